import assert from "node:assert/strict";
import {
  backoffDelay,
  connectLiveFeed,
  type EventSourceLike,
  MAX_BROWSER_RETRIES,
  withLastEventId,
} from "./live_feed.ts";
import type { FeedStatus } from "./live_feed.ts";

class FakeSource implements EventSourceLike {
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  listeners = new Map<string, (ev: MessageEvent) => void>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (ev: MessageEvent) => void) {
    this.listeners.set(type, listener);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  fail(readyState = 0) {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }
  emit(type: string, data: string, lastEventId = "") {
    this.listeners.get(type)?.(new MessageEvent(type, { data, lastEventId }));
  }
}

function harness(lastEventId?: number) {
  const sources: FakeSource[] = [];
  const statuses: FeedStatus[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const received: string[] = [];
  const stop = connectLiveFeed({
    url: "/api/v1/stream?hall=H1",
    lastEventId,
    on: { counts: (d) => received.push(`counts:${d}`) },
    onStatus: (s) => statuses.push(s),
    open: (url) => {
      const s = new FakeSource(url);
      sources.push(s);
      return s;
    },
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
    random: () => 0.5,
  });
  return { sources, statuses, timers, received, stop };
}

Deno.test("backoffDelay() doubles from one second up to thirty", () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 6, 20].map((n) => backoffDelay(n, mid)), [1000, 2000, 4000, 30000, 30000]);
  assert.equal(backoffDelay(1, () => 0), 800);
});

Deno.test("connectLiveFeed() reports live on open and passes named events on", () => {
  const h = harness();
  h.sources[0].open();
  h.sources[0].emit("counts", "{}");
  assert.deepEqual(h.statuses, ["connecting", "live"]);
  assert.deepEqual(h.received, ["counts:{}"]);
});

Deno.test("connectLiveFeed() leaves brief drops to the browser and reports reconnecting", () => {
  const h = harness();
  h.sources[0].open();
  h.sources[0].fail(0);
  assert.equal(h.statuses.at(-1), "reconnecting");
  assert.equal(h.sources[0].closed, false);
  assert.equal(h.timers.length, 0);
  h.sources[0].open();
  assert.equal(h.statuses.at(-1), "live");
});

Deno.test("connectLiveFeed() reconnects itself with growing delays when the stream keeps failing", () => {
  const h = harness();
  for (let i = 0; i < MAX_BROWSER_RETRIES; i++) h.sources[0].fail(0);
  assert.equal(h.sources[0].closed, true);
  assert.equal(h.timers.length, 1);
  assert.equal(h.timers[0].ms, 1000);
  h.timers[0].fn();
  assert.equal(h.sources.length, 2);
  h.sources[1].fail(2);
  assert.equal(h.timers[1].ms, 2000);
  h.timers[1].fn();
  h.sources[2].open();
  h.sources[2].fail(2);
  assert.equal(h.timers[2].ms, 1000, "a successful open resets the backoff");
});

Deno.test("connectLiveFeed() ignores a closed connection's late messages and stops for good", () => {
  const h = harness();
  h.sources[0].fail(2);
  h.sources[0].emit("counts", "late");
  assert.deepEqual(h.received, []);
  h.stop();
  h.timers[0].fn();
  assert.equal(h.sources.length, 1);
});

Deno.test("withLastEventId() sets the parameter, keeping the others", () => {
  assert.equal(withLastEventId("/api/v1/stream?hall=H1", "42"), "/api/v1/stream?hall=H1&lastEventId=42");
  assert.equal(
    withLastEventId("/api/v1/stream?lastEventId=1&hall=H1", "42.000003"),
    "/api/v1/stream?lastEventId=42.000003&hall=H1",
  );
  assert.equal(withLastEventId("/api/v1/stream", "7"), "/api/v1/stream?lastEventId=7");
  assert.equal(withLastEventId("/api/v1/stream?hall=H1", ""), "/api/v1/stream?hall=H1");
});

Deno.test("connectLiveFeed() starts after the page's feed position and resumes after the last message", () => {
  const h = harness(40);
  assert.equal(h.sources[0].url, "/api/v1/stream?hall=H1&lastEventId=40");
  h.sources[0].open();
  h.sources[0].emit("counts", "{}", "57.000002");
  h.sources[0].fail(2);
  h.timers[0].fn();
  assert.equal(h.sources[1].url, "/api/v1/stream?hall=H1&lastEventId=57.000002");
});

Deno.test("connectLiveFeed() without a position opens the plain URL", () => {
  const h = harness();
  assert.equal(h.sources[0].url, "/api/v1/stream?hall=H1");
});
