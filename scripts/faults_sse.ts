/**
 * A resuming SSE client for the fault script, behaving like a browser's EventSource: it remembers the
 * last event id, and on reconnecting (after its connection dropped, or after `drop()`) sends it as
 * `Last-Event-ID`, retrying while the server cannot answer. It records every `alert` it receives.
 *
 * @module
 */
import { SseParser } from "../bench/sse.ts";
import { sleep } from "./faults_env.ts";

/** An alert as received: its feed id, payload and arrival time (performance.now()). */
export interface Received {
  id: number;
  case: string;
  rule: string;
  at: number;
}

/** A client of /api/v1/stream. */
export class ResumingClient {
  readonly alerts: Received[] = [];
  /** The feed position of the first counts message: every alert after it must arrive. */
  start: number | null = null;
  lastId: string | null = null;
  connects = 0;
  /** Alerts received on a reconnection before its counts message: replayed after Last-Event-ID. */
  replayed = 0;
  /** Failed connection attempts (HTTP errors or refused connections). */
  failures = 0;
  #abort: AbortController | null = null;
  #closed = false;
  #loop: Promise<void> | null = null;
  #resume = Promise.withResolvers<void>();
  #paused = false;

  constructor(readonly url: string, readonly auth: Record<string, string>) {}

  /** Connect (and keep reconnecting until `close()`); resolves once the first counts message came. */
  async open(timeoutMs = 15_000): Promise<void> {
    this.#loop = this.#run();
    const until = performance.now() + timeoutMs;
    while (this.start === null) {
      if (performance.now() > until) throw new Error("stream: no counts message");
      await sleep(50);
    }
  }

  /** Drop the connection now and stay away until `resume()`. */
  drop(): void {
    this.#paused = true;
    this.#resume = Promise.withResolvers<void>();
    this.#abort?.abort();
  }

  /** Reconnect (with Last-Event-ID) after `drop()`. */
  resume(): void {
    this.#paused = false;
    this.#resume.resolve();
  }

  /** Stop for good. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#resume.resolve();
    this.#abort?.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (!this.#closed) {
      if (this.#paused) await this.#resume.promise;
      if (this.#closed) break;
      await this.#once().catch(() => this.failures++);
      if (!this.#closed && !this.#paused) await sleep(500);
    }
  }

  /** One connection, read until it ends. */
  async #once(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    const headers: Record<string, string> = { accept: "text/event-stream", ...this.auth };
    if (this.lastId !== null) headers["last-event-id"] = this.lastId;
    // Only the connection is bounded in time: a healthy stream stays open.
    const timer = setTimeout(() => abort.abort(), 10_000);
    let res: Response;
    try {
      res = await fetch(this.url, { headers, signal: abort.signal });
    } finally {
      clearTimeout(timer);
    }
    if (res.status !== 200 || !res.body) {
      await res.body?.cancel();
      throw new Error(`stream: HTTP ${res.status}`);
    }
    this.connects++;
    const parser = new SseParser();
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let counted = false;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const m of parser.push(value)) {
          if (m.id !== null) this.lastId = m.id;
          if (m.event === "counts" && this.start === null) this.start = Math.floor(Number(m.id));
          if (m.event === "counts") counted = true;
          if (m.event !== "alert") continue;
          if (!counted && this.connects > 1) this.replayed++;
          const a = JSON.parse(m.data) as { case: string; rule: string };
          this.alerts.push({ id: Number(m.id), case: a.case, rule: a.rule, at: performance.now() });
        }
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  }
}
