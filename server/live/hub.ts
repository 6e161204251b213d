/**
 * The per-process hub of live streams. Writers (ingestion, scheduler) commit changes and
 * `NOTIFY jct_changes`; the hub marks itself dirty and, on one shared tick (about once a second),
 * reads the new `live_feed` rows once for all clients, recomputes the counts of only those scopes
 * that have listeners and that the change touched, and fans the messages out. So a burst of a
 * thousand changes costs one feed query and one counts query per touched scope, and each client gets
 * at most one `counts` message per tick.
 *
 * The pieces: each client's bounded queue and slow-client drop (client.ts), the feed's id order and
 * gap wait (feed_order.ts) and its queries (feed.ts), the listened scopes with their cached counts
 * (registry.ts), the notifications gathered between ticks (changes.ts). This module owns the LISTEN,
 * the timers and the order of a tick.
 *
 * @module
 */
import { dateIn, endOfDay, shanghaiInstant } from "../../rules/dates.ts";
import { ruleName as defaultRuleName } from "../../rules/names.ts";
import type { Database } from "../../db/client.ts";
import type { Clock } from "../deps.ts";
import { CHANGES_CHANNEL, PendingChanges } from "./changes.ts";
import { LiveClient } from "./client.ts";
import { loadCounts, type RuleNamer } from "./counts.ts";
import { type ChangedMessage, type CountsMessage, SSE_EVENTS } from "./wire.ts";
import { alertMessage, FEED_BATCH, feedHead, type FeedRow, readFeed, readReplay } from "./feed.ts";
import { FeedOrder } from "./feed_order.ts";
import { ScopeRegistry } from "./registry.ts";
import { inScope, type Scope, touches } from "./scope.ts";
import { PING, RETRY, sseMessage } from "./sse.ts";
import type { Metrics } from "../metrics/metrics.ts";

/** Options of {@linkcode LiveHub}. */
export interface HubOptions {
  /** Interval of the shared tick; 0 = no timer (tests call `tick()`). Default 1000. */
  tickMs?: number;
  /** Interval of `: ping` comments; 0 = none. Default 10 000 (the stream promises ≤ 15 s). */
  pingMs?: number;
  /** Bytes a client may have unread before it is dropped. Default 256 KiB. */
  maxQueueBytes?: number;
  /** How long a gap in feed ids is waited for before it is skipped (a rolled-back insert). Default 3000. */
  gapWaitMs?: number;
  /** Recompute every listened scope this often even without a notification (lost NOTIFY). Default 60 000. */
  refreshMs?: number;
  /** Replay after `Last-Event-ID`: at most this many rows … Default 1000. */
  replayLimit?: number;
  /** … of at most this age. Default 24 h. */
  replayWindowMs?: number;
  ruleName?: RuleNamer;
}

/** One per process: owns the LISTEN, the timers and every open stream. */
export class LiveHub {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #opts: Required<Omit<HubOptions, "ruleName">> & { ruleName: RuleNamer };
  readonly #feed: FeedOrder;
  readonly #scopes: ScopeRegistry;
  readonly #changes = new PendingChanges();
  #dayEnd = 0;
  #lastRefresh = performance.now();
  #running: Promise<void> | null = null;
  /** When the last tick with work started (performance.now()), and a tick scheduled for a change, if any. */
  #lastTickAt = -Infinity;
  #soon: ReturnType<typeof setTimeout> | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];
  #unlisten: (() => Promise<void>) | null = null;
  #stopped = false;
  readonly #metrics: Metrics | undefined;

  constructor(deps: { database: Database; clock: Clock; metrics?: Metrics }, opts: HubOptions = {}) {
    this.#database = deps.database;
    this.#metrics = deps.metrics;
    this.#clock = deps.clock;
    this.#opts = {
      tickMs: 1000,
      pingMs: 10_000,
      maxQueueBytes: 256 * 1024,
      gapWaitMs: 3000,
      refreshMs: 60_000,
      replayLimit: 1000,
      replayWindowMs: 24 * 3600_000,
      ruleName: defaultRuleName,
      ...opts,
    };
    this.#feed = new FeedOrder(this.#opts.gapWaitMs);
    this.#scopes = new ScopeRegistry((counts) => ({
      message: sseMessage(SSE_EVENTS.counts, this.#feed.nextCountsId(), JSON.stringify(counts)),
      position: this.#feed.position,
    }));
  }

  /** Listen for changes, start at the newest feed row, start the shared timers. */
  async start(): Promise<void> {
    // On a re-established LISTEN (PostgreSQL restarted), changes may have gone unannounced: look at all.
    let listened = false;
    this.#unlisten = await this.#database.listen(
      CHANGES_CHANNEL,
      (payload) => this.notify(payload),
      () => {
        if (listened) this.#markAll();
        listened = true;
      },
    );
    this.#feed.startAt(await feedHead(this.#database.db));
    this.#dayEnd = endOfDay(dateIn(this.#clock()));
    if (this.#opts.tickMs > 0) {
      this.#timers.push(setInterval(() => this.#tickInBackground(), this.#opts.tickMs));
    }
    if (this.#opts.pingMs > 0) this.#timers.push(setInterval(() => this.#broadcast(PING), this.#opts.pingMs));
  }

  /** Close every stream, stop the timers and the LISTEN. Never waits for a client. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#soon !== null) clearTimeout(this.#soon);
    this.#soon = null;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    for (const c of this.#scopes.clients()) c.close();
    await this.#running?.catch(() => {});
    await this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Open streams. */
  get clientCount(): number {
    return this.#scopes.clientCount;
  }

  /** Open streams by scope kind (for `/metrics`). */
  streamsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const e of this.#scopes.entries()) out[e.scope.kind] = (out[e.scope.kind] ?? 0) + e.clients.size;
    return out;
  }

  /** A `jct_changes` payload arrived: remember what it touched for the next tick. */
  notify(payload: string): void {
    this.#changes.note(payload);
    this.#tickSoon();
  }

  /**
   * Deliver a change without waiting for the next interval: right away when the last tick is at least
   * `tickMs` old, else at that moment. Changes are still coalesced to about one message a second, but
   * the first change after a quiet spell reaches the screen at once.
   */
  #tickSoon(): void {
    if (this.#opts.tickMs <= 0 || this.#soon !== null || this.#stopped) return;
    const wait = Math.max(0, this.#lastTickAt + this.#opts.tickMs - performance.now());
    this.#soon = setTimeout(() => {
      this.#soon = null;
      this.#tickInBackground();
    }, wait);
  }

  /**
   * Open a stream for the scope. With `lastEventId` (the feed position of `Last-Event-ID`), the
   * alerts after it are replayed first; then the scope's current counts; then live messages.
   * `signal` ends the stream; `onClose` is called once when it has ended, for any reason (the stream
   * route's credential watch forgets it then: server/live/credential_watch.ts).
   */
  async connect(
    scope: Scope,
    lastEventId: number | null,
    signal?: AbortSignal,
    onClose?: () => void,
  ): Promise<ReadableStream<Uint8Array>> {
    const db = this.#database.db;
    let from = lastEventId;
    let replay: FeedRow[] = [];
    let fresh: CountsMessage | null = null;
    // Both queries await; the feed may move meanwhile. Repeat until the position is stable, so the
    // replay ends exactly where live delivery to this client begins.
    for (;;) {
      const position = this.#feed.position;
      if (from !== null && from < position) {
        const window = {
          limit: this.#opts.replayLimit,
          windowMs: this.#opts.replayWindowMs,
          now: this.#clock(),
        };
        replay = replay.concat(await readReplay(db, scope, from, position, window));
        from = position;
      }
      if (!this.#scopes.get(scope.key) && !fresh) {
        fresh = await loadCounts(db, scope, this.#clock(), this.#opts.ruleName);
      }
      if (this.#feed.position === position && (fresh || this.#scopes.get(scope.key))) break;
    }
    replay = replay.slice(-this.#opts.replayLimit);

    // Closed before it began: no entry either, or its figures would go stale unlistened and be served
    // to the scope's next client.
    if (this.#stopped || signal?.aborted) {
      onClose?.();
      return new ReadableStream({ start: (ctrl) => ctrl.close() });
    }
    const entry = this.#scopes.entry(scope, this.#feed.position, fresh);
    const client = new LiveClient(this.#opts.maxQueueBytes, (c) => {
      this.#scopes.leave(entry, c);
      onClose?.();
    });
    this.#scopes.join(entry, client);
    client.send(RETRY);
    for (const row of replay) client.send(alertMessage(row));
    client.send(entry.message);
    signal?.addEventListener("abort", () => client.close(), { once: true });
    return client.stream;
  }

  /** Run one tick now (waits for a running one first). Tests drive the hub with this. */
  async tick(): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
    this.#running = this.#tick().finally(() => this.#running = null);
    await this.#running;
  }

  #tickInBackground(): void {
    if (this.#running || this.#stopped) return;
    // The interval also runs: skip it when a tick delivered something within the last half interval.
    if (performance.now() - this.#lastTickAt < this.#opts.tickMs / 2) return;
    this.#running = this.#tick()
      .catch((err) => {
        console.error("live hub tick failed:", err);
        this.#changes.markAll();
      })
      .finally(() => this.#running = null);
  }

  async #tick(): Promise<void> {
    const now = this.#clock();
    const newDay = now > this.#dayEnd;
    if (newDay) {
      // A new day: "today" and "this month" moved under every scope's figures, and every countdown.
      this.#dayEnd = endOfDay(dateIn(now));
      this.#markAll();
    }
    if (performance.now() - this.#lastRefresh > this.#opts.refreshMs) this.#markAll();
    if (!this.#changes.dirty && !this.#feed.waiting) return;
    // Only ticks with work count for coalescing: after idle ticks a change goes out at once.
    this.#lastTickAt = performance.now();
    const started = this.#lastTickAt;
    const touched = this.#changes.take();
    // A written change (not a periodic look at everything) may move cases without moving the counts:
    // `event: changed` tells lists of the scope (the /cases desk) to read their page again.
    const written = touched.departments !== null || newDay;
    await this.#deliverFeed();
    for (const entry of this.#scopes.entries()) {
      if (entry.clients.size === 0 || !touches(entry.scope, touched)) continue;
      const counts = await loadCounts(this.#database.db, entry.scope, this.#clock(), this.#opts.ruleName);
      if (this.#scopes.update(entry, counts)) {
        for (const c of [...entry.clients]) c.send(entry.message);
      } else if (written) {
        const changed: ChangedMessage = { at: shanghaiInstant(this.#clock()) };
        const message = sseMessage(SSE_EVENTS.changed, this.#feed.nextCountsId(), JSON.stringify(changed));
        for (const c of [...entry.clients]) c.send(message);
      }
    }
    this.#metrics?.hubDelivered((performance.now() - started) / 1000);
  }

  #markAll(): void {
    this.#lastRefresh = performance.now();
    this.#changes.markAll();
  }

  /** Read the feed after the position once and fan the rows out, in id order, without gaps. */
  async #deliverFeed(): Promise<void> {
    const rows = await readFeed(this.#database.db, this.#feed.position);
    if (rows.length === FEED_BATCH) this.#changes.dirty = true;
    for (const row of this.#feed.take(rows)) {
      if (row.kind !== "alert") continue;
      const message = alertMessage(row);
      for (const entry of this.#scopes.entries()) {
        if (!inScope(entry.scope, row)) continue;
        for (const c of [...entry.clients]) c.send(message);
      }
    }
  }

  #broadcast(chunk: Uint8Array): void {
    for (const c of this.#scopes.clients()) c.send(chunk);
  }
}
