/**
 * A resilient EventSource: the browser's own reconnection for brief drops, and when the stream keeps
 * failing (or the browser gives up, e.g. on an HTTP error), a fresh connection after a growing delay.
 * A fresh connection resumes after the last message seen (`?lastEventId=`, as the browser's own
 * reconnection does with the `Last-Event-ID` header), so alerts raised during an outage still arrive.
 *
 * @module
 */

/** The state of the live connection shown on the screen. */
export type FeedStatus = "connecting" | "live" | "reconnecting";

/** The part of `EventSource` used here, so tests can pass a fake. */
export interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void;
  close(): void;
}

/** Options of {@linkcode connectLiveFeed}. */
export interface LiveFeedOptions {
  url: string;
  /** Resume after this message id from the start, e.g. the feed position the page was rendered at. */
  lastEventId?: string | number;
  /** Named events to listen to, with their handlers (the `data` string). */
  on: Record<string, (data: string) => void>;
  onStatus(status: FeedStatus): void;
  /** Defaults to the browser's EventSource. */
  open?: (url: string) => EventSourceLike;
  setTimer?: (fn: () => void, ms: number) => number;
  clearTimer?: (id: number) => void;
  random?: () => number;
}

/** EventSource.CLOSED. */
const CLOSED = 2;
/** Errors in a row (without a successful open) after which we stop relying on the browser's retry. */
export const MAX_BROWSER_RETRIES = 3;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;

/** The delay before manual reconnection attempt `n` (1-based): doubling, capped, with ±20 % jitter. */
export function backoffDelay(n: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, n - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** `url` with its `lastEventId` parameter set to `id` (unchanged when `id` is empty). */
export function withLastEventId(url: string, id: string): string {
  if (!id) return url;
  const q = url.indexOf("?");
  const params = new URLSearchParams(q < 0 ? "" : url.slice(q + 1));
  params.set("lastEventId", id);
  return `${q < 0 ? url : url.slice(0, q)}?${params}`;
}

/** Connect and keep connected; returns a function that disconnects for good. */
export function connectLiveFeed(opts: LiveFeedOptions): () => void {
  const open = opts.open ?? ((url: string) => new EventSource(url) as EventSourceLike);
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms) as unknown as number);
  const clearTimer = opts.clearTimer ?? ((id: number) => clearTimeout(id));
  let source: EventSourceLike | null = null;
  let failures = 0;
  let manualAttempts = 0;
  let timer: number | null = null;
  let stopped = false;
  let lastId = opts.lastEventId == null ? "" : String(opts.lastEventId);

  const connect = () => {
    timer = null;
    if (stopped) return;
    const es = open(withLastEventId(opts.url, lastId));
    source = es;
    es.onopen = () => {
      failures = 0;
      manualAttempts = 0;
      opts.onStatus("live");
    };
    es.onerror = () => {
      if (source !== es) return;
      failures++;
      opts.onStatus("reconnecting");
      if (es.readyState === CLOSED || failures >= MAX_BROWSER_RETRIES) {
        es.close();
        source = null;
        manualAttempts++;
        timer = setTimer(connect, backoffDelay(manualAttempts, opts.random));
      }
    };
    for (const [type, handler] of Object.entries(opts.on)) {
      es.addEventListener(type, (ev) => {
        if (source !== es) return;
        if (ev.lastEventId) lastId = ev.lastEventId;
        handler(String(ev.data));
      });
    }
  };

  opts.onStatus("connecting");
  connect();
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
    source?.close();
    source = null;
  };
}
