/**
 * The per-process hub of live streams. Writers (ingestion, scheduler) commit changes and
 * `NOTIFY jct_changes`; the hub gathers what they touched and runs one pass at a bounded rate
 * (cadence.ts: at once after a quiet spell, then at most every `feedMs`, default 500 ms). A pass
 * reads the new `live_feed` rows once for all clients and — at most once per `tickMs`, default 1 s,
 * the coalescing interval — starts recomputing, a few scopes at a time, the counts of only the
 * scopes that have listeners and that the changes touched. Each scope's alerts of the pass (in id
 * order) are serialised once and written to every client of the scope as one chunk as soon as the
 * feed is read; its counts, when they changed, follow as a second shared chunk once loaded. The
 * counts load runs beside the following passes (one at a time), so a slow counts query holds up no
 * alert.
 *
 * So a burst of a thousand changes costs one feed query per pass and one counts query per touched
 * scope per second; an alert waits at most `feedMs` plus one feed read; each client gets at most one
 * write per pass, two in the pass that also brings new counts (at most once per `tickMs`). Writing
 * never waits for a client (client.ts): one that stops reading is dropped.
 *
 * The pieces: each client's bounded queue and slow-client drop (client.ts), the feed's id order and
 * gap wait (feed_order.ts) and its queries (feed.ts), the listened scopes with their cached counts
 * (registry.ts), the notifications gathered between passes (changes.ts), the rate of the passes
 * (cadence.ts). This module owns the LISTEN, the timers and what a pass does.
 *
 * @module
 */
import { dateIn, endOfDay, shanghaiInstant } from "../../rules/dates.ts";
import { ruleName as defaultRuleName } from "../../rules/names.ts";
import type { Database, Db } from "../../db/client.ts";
import type { Clock } from "../deps.ts";
import { Cadence } from "./cadence.ts";
import { CHANGES_CHANNEL, PendingChanges } from "./changes.ts";
import { LiveClient } from "./client.ts";
import { loadCounts, loadCountsOf, type RuleNamer } from "./counts.ts";
import { type ChangedMessage, type CountsMessage, SSE_EVENTS } from "./wire.ts";
import { alertMessage, FEED_BATCH, feedHead, type FeedRow, readFeed, readReplay } from "./feed.ts";
import { FeedOrder } from "./feed_order.ts";
import { type ScopeEntry, ScopeRegistry } from "./registry.ts";
import { inScope, type Scope, touches } from "./scope.ts";
import { concatChunks, PING, RETRY, sseMessage } from "./sse.ts";
import type { Metrics } from "../metrics/metrics.ts";

/** Options of {@linkcode LiveHub}. */
export interface HubOptions {
  /**
   * Least time between two counts messages of a scope (the coalescing interval); 0 = no timers
   * (tests call `tick()`). Default 1000.
   */
  tickMs?: number;
  /**
   * Least time between two passes (how long an alert may wait), at most `tickMs`. Default 500: under
   * steady ingestion a pass runs every interval and writes its alerts to every client of their
   * scopes, so the interval bounds both an alert's wait and the writes per client (250 ms doubles
   * the writes; at 10,000 streams of one scope the runs with it sustained less ingestion).
   */
  feedMs?: number;
  /** Scopes whose counts are loaded at once in a pass. Default 4. */
  countsConcurrency?: number;
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
  /** What the hub reads with (feed, replay, counts). */
  readonly #reads: Db;
  readonly #clock: Clock;
  readonly #opts: Required<Omit<HubOptions, "ruleName" | "feedMs">> & { ruleName: RuleNamer };
  readonly #feed: FeedOrder;
  readonly #scopes: ScopeRegistry;
  readonly #changes = new PendingChanges();
  readonly #pass: Cadence;
  /** A notification arrived since the last feed read (or the last read was full). */
  #feedDirty = false;
  /** When counts were last loaded (performance.now()); the next `tick()` loads them regardless. */
  #lastCountsAt = -Infinity;
  #countsNow = false;
  /** The counts load in progress (beside the passes), or null. */
  #countsLoading: Promise<void> | null = null;
  #dayEnd = 0;
  /** The day moved since the last counts pass: lists of every scope read their page again. */
  #newDay = false;
  #lastRefresh = performance.now();
  #timers: ReturnType<typeof setInterval>[] = [];
  #unlisten: (() => Promise<void>) | null = null;
  #stopped = false;
  readonly #metrics: Metrics | undefined;

  /**
   * @param deps.reads A connection pool of the hub's own for its reads (server/main.ts opens two
   *   connections), so that delivery never queues for a connection behind ingestion's transactions;
   *   default `database.db`.
   */
  constructor(
    deps: { database: Database; reads?: Db; clock: Clock; metrics?: Metrics },
    opts: HubOptions = {},
  ) {
    this.#database = deps.database;
    this.#reads = deps.reads ?? deps.database.db;
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
      countsConcurrency: 4,
      ruleName: defaultRuleName,
      ...opts,
    };
    const feedMs = Math.min(opts.feedMs ?? 500, this.#opts.tickMs);
    this.#pass = new Cadence(feedMs, () => this.#deliver(), (err) => {
      console.error("live hub pass failed:", err);
      this.#markAll();
    });
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
        if (listened) {
          this.#markAll();
          this.#pass.request();
        }
        listened = true;
      },
    );
    this.#feed.startAt(await feedHead(this.#reads));
    this.#dayEnd = endOfDay(dateIn(this.#clock()));
    if (this.#opts.tickMs > 0) this.#timers.push(setInterval(() => this.#watch(), this.#opts.tickMs));
    if (this.#opts.pingMs > 0) this.#timers.push(setInterval(() => this.#ping(), this.#opts.pingMs / 2));
  }

  /** Close every stream, stop the timers and the LISTEN. Never waits for a client. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
    for (const c of this.#scopes.clients()) c.close();
    await this.#pass.stop();
    await this.#countsLoading;
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

  /** A `jct_changes` payload arrived: the next pass reads the feed and recomputes what it touched. */
  notify(payload: string): void {
    this.#changes.note(payload);
    this.#feedDirty = true;
    this.#pass.request();
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
    const db = this.#reads;
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
    // The shared buffers of RETRY and the scope's message, not a per-client copy of them.
    client.send(RETRY);
    for (const row of replay) client.send(alertMessage(row));
    client.send(entry.message);
    signal?.addEventListener("abort", () => client.close(), { once: true });
    return client.stream;
  }

  /** Run a pass now that also loads the touched scopes' counts (after a pass in progress). Tests drive the hub with this. */
  async tick(): Promise<void> {
    await this.#countsLoading;
    this.#countsNow = true;
    await this.#pass.run();
    await this.#countsLoading;
  }

  /** The shared timer: a new day or a due refresh recomputes every scope; a gap is looked at again. */
  #watch(): void {
    if (this.#stopped) return;
    this.#clockMoved();
    if (this.#changes.dirty || this.#feedDirty || this.#feed.waiting) this.#pass.request();
  }

  /** Mark every scope when the day moved (`#newDay`) or the periodic refresh is due. */
  #clockMoved(): void {
    const now = this.#clock();
    if (now > this.#dayEnd) {
      // A new day: "today" and "this month" moved under every scope's figures, and every countdown.
      this.#dayEnd = endOfDay(dateIn(now));
      this.#newDay = true;
      this.#markAll();
    }
    if (performance.now() - this.#lastRefresh > this.#opts.refreshMs) this.#markAll();
  }

  /** Anything may have changed, the feed included (a lost notification, a new day, the refresh). */
  #markAll(): void {
    this.#lastRefresh = performance.now();
    this.#changes.markAll();
    this.#feedDirty = true;
  }

  /**
   * One pass: read the feed after the position and, when due, the counts of the touched scopes (at
   * the same time); hand each scope its alerts (in id order, without gaps) as one chunk per client
   * as soon as the feed is read, then its counts when they are loaded.
   */
  async #deliver(): Promise<void> {
    this.#clockMoved();
    const started = performance.now();
    // One counts load at a time.
    const countsDue = this.#changes.dirty && this.#countsLoading === null &&
      (this.#countsNow || started - this.#lastCountsAt >= this.#opts.tickMs);
    this.#countsNow = false;
    const feedDue = this.#feedDirty || this.#feed.waiting;
    if (!countsDue && !feedDue) {
      if (this.#changes.dirty && this.#countsLoading === null) this.#pass.request(); // counts wait for their interval
      return;
    }
    this.#feedDirty = false;
    let counts: { due: ScopeEntry[]; written: boolean } | null = null;
    if (countsDue) {
      this.#lastCountsAt = started;
      const touched = this.#changes.take();
      // A written change (not a periodic look at everything) may move cases without moving the
      // counts: `event: changed` tells lists of the scope (the /cases desk) to read their page again.
      const written = touched.departments !== null || this.#newDay;
      this.#newDay = false;
      const due = this.#scopes.entries().filter((e) => e.clients.size > 0 && touches(e.scope, touched));
      counts = { due, written };
    }
    const rows = feedDue ? await readFeed(this.#reads, this.#feed.position) : [];
    if (rows.length === FEED_BATCH) this.#feedDirty = true;

    // The scopes as they are now: a client that joined during the read was replayed up to the old
    // position and gets these rows here.
    const alerts = new Chunks();
    const entries = this.#scopes.entries();
    for (const row of this.#feed.take(rows)) {
      if (row.kind !== "alert") continue;
      const message = alertMessage(row);
      for (const entry of entries) if (inScope(entry.scope, row)) alerts.add(entry, message);
    }
    alerts.send();

    // Then the counts, beside the next passes: a slow counts query holds up no later alert.
    if (counts) {
      this.#countsLoading = this.#deliverCounts(counts.due, counts.written).catch((err) => {
        console.error("live hub counts failed:", err);
        this.#markAll();
      }).finally(() => {
        this.#countsLoading = null;
        if (this.#changes.dirty) this.#pass.request();
      });
    }
    // More rows waiting, a gap being waited for, counts not yet due: another pass after the interval.
    if (this.#feedDirty || this.#feed.waiting || this.#changes.dirty) this.#pass.request();
    this.#metrics?.hubDelivered((performance.now() - started) / 1000);
  }

  /**
   * Load the due scopes' counts and write each scope whose figures changed its new counts message as
   * one shared chunk (or `event: changed` after a written change that left them as they were). Ids
   * are stamped at the feed position of that moment, so they grow past every alert already sent.
   */
  async #deliverCounts(due: ScopeEntry[], written: boolean): Promise<void> {
    const loaded = await loadCountsOf(due, (e) => e.scope, this.#reads, this.#clock(), {
      ruleName: this.#opts.ruleName,
      concurrency: this.#opts.countsConcurrency,
    });
    const counts = new Chunks();
    for (const [entry, figures] of loaded) {
      if (this.#scopes.update(entry, figures)) counts.add(entry, entry.message);
      else if (written) {
        const changed: ChangedMessage = { at: shanghaiInstant(this.#clock()) };
        counts.add(entry, sseMessage(SSE_EVENTS.changed, this.#feed.nextCountsId(), JSON.stringify(changed)));
      }
    }
    counts.send();
  }

  /** `: ping` to the scopes that were sent nothing for a ping interval (a busy stream needs none). */
  #ping(): void {
    const now = performance.now();
    for (const entry of this.#scopes.entries()) {
      if (now - entry.sentAt < this.#opts.pingMs) continue;
      entry.sentAt = now;
      for (const c of [...entry.clients]) c.send(PING);
    }
  }
}

/** The messages of a pass by scope, written to each client of the scope as one chunk. */
class Chunks {
  readonly #out = new Map<ScopeEntry, Uint8Array[]>();

  add(entry: ScopeEntry, message: Uint8Array): void {
    const list = this.#out.get(entry);
    if (list) list.push(message);
    else this.#out.set(entry, [message]);
  }

  /** One shared chunk per scope, queued to each of its clients (never awaited: client.ts). */
  send(): void {
    for (const [entry, messages] of this.#out) {
      const chunk = concatChunks(messages);
      entry.sentAt = performance.now();
      for (const c of [...entry.clients]) c.send(chunk);
    }
  }
}
