/**
 * The per-process hub of live streams. Writers (ingestion, scheduler) commit changes and
 * `NOTIFY jct_changes`; the hub marks itself dirty and, on one shared tick (about once a second),
 * reads the new `live_feed` rows once for all clients, recomputes the counts of only those scopes
 * that have listeners and that the change touched, and fans the messages out. So a burst of a
 * thousand changes costs one feed query and one counts query per touched scope, and each client gets
 * at most one `counts` message per tick.
 *
 * Every client is a `ReadableStream` whose queue is bounded in bytes: enqueuing never waits, and a
 * client whose queue grows past the bound (it stopped reading) is dropped, so a slow or dead client
 * never holds up the others. Feed rows are delivered strictly in id order: a gap in the ids (a
 * transaction that took its id but has not committed yet) is waited for briefly, so that a
 * connection never sees a smaller id after a larger one.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { type Database, query } from "../../db/client.ts";
import { dateIn, endOfDay } from "../../rules/dates.ts";
import { ruleName as defaultRuleName } from "../../rules/names.ts";
import type { Clock } from "../deps.ts";
import { type Counts, countsKey, loadCounts, type RuleNamer } from "./counts.ts";
import { feedFilter, inScope, type Placed, type Scope, type Touched, touches } from "./scope.ts";
import { countsId, PING, RETRY, sseMessage } from "./sse.ts";

/** The NOTIFY channel writers signal committed changes on. */
export const CHANGES_CHANNEL = "jct_changes";

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

interface FeedRow extends Placed {
  id: number;
  kind: string;
  payload: unknown;
}

interface Client {
  ctrl: ReadableStreamDefaultController<Uint8Array>;
  entry: ScopeEntry;
  closed: boolean;
}

interface ScopeEntry {
  scope: Scope;
  clients: Set<Client>;
  /** The figures last sent, and their identity without the instant. */
  counts: Counts;
  key: string;
  /** The last counts message and the feed position its id names. */
  message: Uint8Array;
  position: number;
}

/** One per process: owns the LISTEN, the timers and every open stream. */
export class LiveHub {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #opts: Required<Omit<HubOptions, "ruleName">> & { ruleName: RuleNamer };
  readonly #scopes = new Map<string, ScopeEntry>();
  #cursor = 0;
  #seq = 0;
  #dirty = false;
  #touched: Touched = { departments: new Set(), halls: new Set() };
  #dayEnd = 0;
  #gap: { id: number; since: number } | null = null;
  #lastRefresh = performance.now();
  #running: Promise<void> | null = null;
  /** When the last tick started (performance.now()), and a tick scheduled for a change, if any. */
  #lastTickAt = -Infinity;
  #soon: ReturnType<typeof setTimeout> | null = null;
  #timers: ReturnType<typeof setInterval>[] = [];
  #unlisten: (() => Promise<void>) | null = null;
  #stopped = false;
  #clients = 0;

  constructor(deps: { database: Database; clock: Clock }, opts: HubOptions = {}) {
    this.#database = deps.database;
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
    const [row] = await query<{ max: string | number | null }>(
      this.#database.db,
      sql`select max(id) as max from live_feed`,
    );
    this.#cursor = Number(row?.max ?? 0);
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
    for (const entry of [...this.#scopes.values()]) for (const c of [...entry.clients]) this.#drop(c, null);
    await this.#running?.catch(() => {});
    await this.#unlisten?.();
    this.#unlisten = null;
  }

  /** Open streams. */
  get clientCount(): number {
    return this.#clients;
  }

  /** A `jct_changes` payload arrived: remember what it touched for the next tick. */
  notify(payload: string): void {
    this.#dirty = true;
    try {
      const { departments, halls } = JSON.parse(payload) as { departments?: unknown; halls?: unknown };
      if (!Array.isArray(departments) || !Array.isArray(halls)) throw new Error("unexpected payload");
      for (const d of departments) this.#touched.departments?.add(String(d));
      for (const h of halls) this.#touched.halls?.add(String(h));
    } catch {
      this.#touched = { departments: null, halls: null };
    }
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
   */
  async connect(
    scope: Scope,
    lastEventId: number | null,
    signal?: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    let from = lastEventId;
    let replay: FeedRow[] = [];
    let fresh: Counts | null = null;
    // Both queries await; the feed may move meanwhile. Repeat until the position is stable, so the
    // replay ends exactly where live delivery to this client begins.
    for (;;) {
      const position = this.#cursor;
      if (from !== null && from < position) {
        replay = replay.concat(await this.#loadReplay(scope, from, position));
        from = position;
      }
      if (!this.#scopes.has(scope.key) && !fresh) {
        fresh = await loadCounts(this.#database.db, scope, this.#clock(), this.#opts.ruleName);
      }
      if (this.#cursor === position && (fresh || this.#scopes.has(scope.key))) break;
    }
    replay = replay.slice(-this.#opts.replayLimit);

    let entry = this.#scopes.get(scope.key);
    if (!entry) {
      const counts = fresh!;
      entry = { scope, clients: new Set(), counts, key: countsKey(counts), ...this.#countsMessage(counts) };
      this.#scopes.set(scope.key, entry);
    } else if (entry.position !== this.#cursor) {
      // The cached message's id is older than alerts this client may have been replayed: re-stamp it.
      Object.assign(entry, this.#countsMessage(entry.counts));
    }
    const client = { entry, closed: false } as Client;
    const stream = new ReadableStream<Uint8Array>({
      start: (ctrl) => {
        client.ctrl = ctrl;
      },
      cancel: () => this.#drop(client, null),
    }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });
    if (this.#stopped || signal?.aborted) {
      client.ctrl.close();
      return stream;
    }
    entry.clients.add(client);
    this.#clients++;
    this.#send(client, RETRY);
    for (const row of replay) this.#send(client, alertMessage(row));
    this.#send(client, entry.message);
    signal?.addEventListener("abort", () => this.#drop(client, null), { once: true });
    return stream;
  }

  /** Run one tick now (waits for a running one first). Tests drive the hub with this. */
  async tick(): Promise<void> {
    while (this.#running) await this.#running.catch(() => {});
    this.#running = this.#tick().finally(() => this.#running = null);
    await this.#running;
  }

  #tickInBackground(): void {
    if (this.#running || this.#stopped) return;
    // The interval also runs: skip it when a change-driven tick ran within the last interval.
    if (performance.now() - this.#lastTickAt < this.#opts.tickMs / 2) return;
    this.#lastTickAt = performance.now();
    this.#running = this.#tick()
      .catch((err) => {
        console.error("live hub tick failed:", err);
        this.#dirty = true;
        this.#touched = { departments: null, halls: null };
      })
      .finally(() => this.#running = null);
  }

  async #tick(): Promise<void> {
    const now = this.#clock();
    if (now > this.#dayEnd) {
      // A new day: "today" and "this month" moved under every scope's figures.
      this.#dayEnd = endOfDay(dateIn(now));
      this.#markAll();
    }
    if (performance.now() - this.#lastRefresh > this.#opts.refreshMs) this.#markAll();
    if (!this.#dirty && this.#gap === null) return;
    const touched = this.#touched;
    this.#dirty = false;
    this.#touched = { departments: new Set(), halls: new Set() };
    await this.#deliverFeed();
    for (const entry of [...this.#scopes.values()]) {
      if (entry.clients.size === 0 || !touches(entry.scope, touched)) continue;
      const counts = await loadCounts(this.#database.db, entry.scope, this.#clock(), this.#opts.ruleName);
      const key = countsKey(counts);
      if (key === entry.key) continue;
      entry.key = key;
      entry.counts = counts;
      Object.assign(entry, this.#countsMessage(counts));
      for (const c of [...entry.clients]) this.#send(c, entry.message);
    }
  }

  #markAll(): void {
    this.#lastRefresh = performance.now();
    this.#dirty = true;
    this.#touched = { departments: null, halls: null };
  }

  /** Read the feed after the cursor once and fan the rows out, in id order, without gaps. */
  async #deliverFeed(): Promise<void> {
    const rows = (await query<FeedRow>(
      this.#database.db,
      sql`select id, kind, department, hall, region, payload from live_feed
          where id > ${this.#cursor} order by id limit 2000`,
    )).map((r) => ({ ...r, id: Number(r.id) }));
    if (rows.length === 2000) this.#dirty = true;
    for (const row of rows) {
      if (row.id !== this.#cursor + 1) {
        const missing = this.#cursor + 1;
        if (this.#gap?.id !== missing) this.#gap = { id: missing, since: performance.now() };
        if (performance.now() - this.#gap.since < this.#opts.gapWaitMs) return;
      }
      this.#gap = null;
      this.#cursor = row.id;
      this.#seq = 0;
      if (row.kind !== "alert") continue;
      const message = alertMessage(row);
      for (const entry of this.#scopes.values()) {
        if (!inScope(entry.scope, row)) continue;
        for (const c of [...entry.clients]) this.#send(c, message);
      }
    }
  }

  async #loadReplay(scope: Scope, after: number, upTo: number): Promise<FeedRow[]> {
    const since = new Date(Date.now() - this.#opts.replayWindowMs).toISOString();
    const rows = await query<FeedRow>(
      this.#database.db,
      sql`select * from (
            select f.id, f.kind, f.department, f.hall, f.region, f.payload from live_feed f
            where f.id > ${after} and f.id <= ${upTo} and f.kind = 'alert' and f.created_at > ${since}::timestamptz
              and ${feedFilter(scope)}
            order by f.id desc limit ${this.#opts.replayLimit}
          ) r order by id`,
    );
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  }

  #countsMessage(counts: Counts): { message: Uint8Array; position: number } {
    return {
      message: sseMessage("counts", countsId(this.#cursor, ++this.#seq), JSON.stringify(counts)),
      position: this.#cursor,
    };
  }

  #broadcast(chunk: Uint8Array): void {
    for (const entry of [...this.#scopes.values()]) for (const c of [...entry.clients]) this.#send(c, chunk);
  }

  #send(client: Client, chunk: Uint8Array): void {
    if (client.closed) return;
    try {
      client.ctrl.enqueue(chunk);
    } catch {
      return this.#drop(client, null);
    }
    if ((client.ctrl.desiredSize ?? 0) < -this.#opts.maxQueueBytes) {
      this.#drop(client, new Error("live stream client too slow: dropped"));
    }
  }

  /** Forget a client; `error` discards its unread queue, otherwise the stream is closed. */
  #drop(client: Client, error: Error | null): void {
    if (client.closed) return;
    client.closed = true;
    this.#clients--;
    const entry = client.entry;
    entry.clients.delete(client);
    if (entry.clients.size === 0 && this.#scopes.get(entry.scope.key) === entry) {
      this.#scopes.delete(entry.scope.key);
    }
    try {
      if (error) client.ctrl.error(error);
      else client.ctrl.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  }
}

function alertMessage(row: FeedRow): Uint8Array {
  const payload = typeof row.payload === "string" ? row.payload : JSON.stringify(row.payload);
  return sseMessage("alert", String(row.id), payload);
}
