/**
 * The fan-out part of the SSE benchmark (bench/sse_memory.ts): a steady ingestion load through the
 * product's HTTP API (demo events, time-ordered, `rate` events/s in two batches a second), and rounds
 * in which one alert is committed and announced as the writers do (a `live_feed` row and
 * `NOTIFY jct_changes` in one transaction) at a random moment, timed from before its transaction to
 * its arrival on every stream. The same rounds against the bare Deno.serve streams give the
 * runtime's own fan-out time in the same run.
 *
 * @module
 */
import postgres from "postgres";
import { CHANGES_CHANNEL, changesPayload } from "../server/live/changes.ts";
import { postBatch, type SenderAuth } from "./post_batch.ts";
import { timeOrderedEvents } from "./scale_load.ts";
import type { RawSse } from "./sse_clients.ts";
import { summarize, type Summary } from "./stats.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The alert payload of round `round` (its case number carries the mark the clients look for). */
export function fanoutAlert(round: number, department: string) {
  return {
    case: `fanout-${round}`,
    rule: "8.1",
    name: "即将超期预警",
    level: "warning",
    on: new Date().toISOString().slice(0, 10),
    subject: null,
    department,
    item: null,
    applicant: "张*",
  };
}

/** What the load achieved. */
export interface LoadFigures {
  targetPerSecond: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  refused: number;
  /** Batches answered with an error (the first error's text). */
  failedBatches: number;
  firstError?: string;
  batchSize: number;
  /** Each batch's time, ms. */
  batchMs: Summary;
}

/** Batches in flight at once at most (department systems send concurrently). */
const IN_FLIGHT = 4;
/** A batch every … ms (a request's fixed cost is large beside 20 events' work). */
const PERIOD_MS = 500;

/**
 * Post demo events at `rate` events/s: a batch of `rate / 2` every {@linkcode PERIOD_MS} on schedule,
 * up to {@linkcode IN_FLIGHT} batches in flight (a late batch starts as soon as one ends), until stopped.
 */
export function steadyLoad(url: string, senders: SenderAuth, rate: number): { stop(): Promise<LoadFigures> } {
  const events = timeOrderedEvents(Math.max(200, rate * 10), 8080, "load-", Date.now(), 5);
  const perBatch = Math.max(1, Math.round((rate * PERIOD_MS) / 1000));
  let stopped = false, sent = 0, refused = 0, k = 0, failed = 0, firstError = "";
  const batchMs: number[] = [];
  const t0 = performance.now();
  const worker = async () => {
    while (!stopped && sent < events.length) {
      const wait = t0 + k++ * PERIOD_MS - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopped) return;
      const batch = events.slice(sent, sent + perBatch);
      sent += batch.length;
      const started = performance.now();
      try {
        refused += (await postBatch(url, senders, batch)).refused;
      } catch (err) {
        // A failed batch is counted and reported, and the load goes on.
        failed++;
        firstError ||= String(err);
      }
      batchMs.push(performance.now() - started);
    }
  };
  const running = Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return {
    stop: async () => {
      stopped = true;
      await running;
      const seconds = (performance.now() - t0) / 1000;
      if (sent >= events.length) throw new Error("the load ran out of events: measure fewer rounds");
      return {
        targetPerSecond: rate,
        events: sent,
        seconds,
        eventsPerSecond: sent / seconds,
        refused,
        failedBatches: failed,
        ...(firstError ? { firstError } : {}),
        batchSize: perBatch,
        batchMs: summarize(batchMs),
      };
    },
  };
}

/** Fan-out times of several rounds. */
export interface FanoutFigures {
  rounds: number;
  /** Each round: from before the alert's commit to its arrival on the last stream, ms. */
  allReachedMs: Summary;
  /** Every stream of every round: arrival, ms. */
  arrivalMs: Summary;
  /** Streams that had not received a round's alert after 10 s, summed over rounds. */
  lost: number;
}

/** Collects the arrivals of the rounds: pass `onRound` to the streams, then {@linkcode run}. */
export class FanoutRounds {
  #t0 = 0;
  #round = -1;
  #got = 0;
  #last = 0;
  readonly #arrivals: number[] = [];

  /** The streams' handler. */
  readonly onRound = (_client: RawSse, round: number, at: number) => {
    if (round !== this.#round) return;
    this.#got++;
    this.#last = at;
    this.#arrivals.push(at - this.#t0);
  };

  /** Run `rounds` rounds, each `trigger(round)` at a random moment 0.7–1.7 s after the last. */
  async run(clients: readonly RawSse[], rounds: number, trigger: (round: number) => Promise<void>) {
    const allReached: number[] = [];
    let lost = 0;
    for (let r = 0; r < rounds; r++) {
      await sleep(700 + Math.random() * 1000);
      this.#round = r;
      this.#got = 0;
      this.#t0 = performance.now();
      await trigger(r);
      const open = clients.filter((c) => !c.closed).length;
      const deadline = performance.now() + 10_000;
      while (this.#got < open && performance.now() < deadline) await sleep(5);
      lost += clients.length - this.#got;
      if (this.#got === clients.length) allReached.push(this.#last - this.#t0);
    }
    this.#round = -1;
    const figures: FanoutFigures = {
      rounds,
      allReachedMs: summarize(allReached),
      arrivalMs: summarize(this.#arrivals),
      lost,
    };
    return figures;
  }
}

/** The hub's trigger: one alert row of the province's first department and its notification. */
export async function alertTrigger(dbUrl: string) {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const [{ code, region }] = await sql<{ code: string; region: string | null }[]>`
    select code, region from departments order by code limit 1`;
  return {
    trigger: async (round: number) => {
      await sql.begin(async (tx) => {
        await tx`insert into live_feed (kind, department, region, payload)
          values ('alert', ${code}, ${region}, ${tx.json(fanoutAlert(round, code))})`;
        await tx`select pg_notify(${CHANGES_CHANNEL}, ${changesPayload([code], [])})`;
      });
    },
    close: () => sql.end(),
  };
}
