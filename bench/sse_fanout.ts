/**
 * The fan-out part of the SSE benchmark (bench/sse_memory.ts): a steady ingestion load through the
 * product's HTTP API (demo events, time-ordered, `rate` events/s in two batches a second), and rounds
 * in which one alert is committed and announced as the writers do (a `live_feed` row and
 * `NOTIFY jct_changes` in one transaction) at a random moment, timed from its commit to its arrival
 * on every stream (the client processes stamp arrivals in epoch ms). The same rounds against the
 * bare Deno.serve streams give the runtime's own fan-out time in the same run.
 *
 * @module
 */
import postgres from "postgres";
import { CHANGES_CHANNEL, changesPayload } from "../server/live/changes.ts";
import { postBatch, type SenderAuth } from "./post_batch.ts";
import { timeOrderedEvents } from "./scale_load.ts";
import type { ClientFleet } from "./sse_client_procs.ts";
import { epochMs } from "./sse_clients.ts";
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
  /** Events the server answered, and the seconds of schedule they were sent over. */
  events: number;
  seconds: number;
  /** The rate achieved: events answered per second of schedule. */
  eventsPerSecond: number;
  refused: number;
  /** Batches answered with an error (the first error's text). */
  failedBatches: number;
  firstError?: string;
  batchSize: number;
  /** Batches that started more than one period behind their schedule (the server could not keep up). */
  lateBatches: number;
  /** Each batch's time, ms. */
  batchMs: Summary;
}

/** Batches in flight at once at most (department systems send concurrently). */
const IN_FLIGHT = 8;
/** A batch every … ms (a request's fixed cost is large beside a few events' work). */
const PERIOD_MS = 500;

/**
 * Post demo events at `rate` events/s: a batch of `rate / 2` every {@linkcode PERIOD_MS} on schedule,
 * up to {@linkcode IN_FLIGHT} batches in flight (a late batch starts as soon as one ends), until stopped.
 */
export function steadyLoad(url: string, senders: SenderAuth, rate: number): { stop(): Promise<LoadFigures> } {
  const events = timeOrderedEvents(Math.max(400, rate * 20), 8080, "load-", Date.now(), 5);
  const perBatch = Math.max(1, Math.round((rate * PERIOD_MS) / 1000));
  let stopped = false, next = 0, answered = 0, refused = 0, k = 0, failed = 0, late = 0, firstError = "";
  let lastStart = 0;
  const batchMs: number[] = [];
  const t0 = performance.now();
  const worker = async () => {
    while (!stopped && next < events.length) {
      const due = t0 + k++ * PERIOD_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else if (-wait > PERIOD_MS) late++;
      if (stopped) return;
      const batch = events.slice(next, next + perBatch);
      next += batch.length;
      const started = lastStart = performance.now();
      try {
        refused += (await postBatch(url, senders, batch)).refused;
        answered += batch.length;
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
      if (next >= events.length) throw new Error("the load ran out of events: measure fewer rounds");
      // The rate sustained: the events answered over the schedule they were sent on, from the first
      // batch to one period after the last one started (late starts stretch it; failures don't count).
      const seconds = (lastStart - t0 + PERIOD_MS) / 1000;
      return {
        targetPerSecond: rate,
        events: answered,
        seconds,
        eventsPerSecond: answered / seconds,
        refused,
        failedBatches: failed,
        ...(firstError ? { firstError } : {}),
        batchSize: perBatch,
        lateBatches: late,
        batchMs: summarize(batchMs),
      };
    },
  };
}

/** Fan-out times of several rounds. */
export interface FanoutFigures {
  rounds: number;
  /** Streams open when the rounds began. */
  streams: number;
  /** Each round that reached every stream: from the alert's commit to its arrival on the last stream, ms. */
  allReachedMs: Summary;
  /** Every stream of every round: from the commit to its arrival, ms. */
  arrivalMs: Summary;
  /** Each round: the trigger's own time (the alert's transaction), ms. */
  commitMs: Summary;
  /** Stream-rounds that had not received the round's alert after 10 s (a dropped stream counts). */
  lost: number;
  /** Each round: its transaction, its first and last arrival after the commit (ms), the streams it reached. */
  each: { commitMs: number; firstMs: number; lastMs: number; reached: number }[];
}

/** What a round's trigger reports: when it began and when the alert was committed (epoch ms). */
export interface Triggered {
  startedAt: number;
  committedAt: number;
}

/** Run `rounds` rounds on the fleet's streams, each `trigger(round)` at a random moment 0.7–1.7 s after the last. */
export async function fanoutRounds(
  fleet: ClientFleet,
  rounds: number,
  trigger: (round: number) => Promise<Triggered>,
): Promise<FanoutFigures> {
  const allReached: number[] = [], arrivals: number[] = [], commits: number[] = [];
  const each: FanoutFigures["each"] = [];
  let lost = 0;
  for (let r = 0; r < rounds; r++) {
    await sleep(700 + Math.random() * 1000);
    const { startedAt, committedAt } = await trigger(r);
    commits.push(committedAt - startedAt);
    const got = await fleet.arrivals(r, committedAt + 10_000);
    lost += fleet.opened - got.arrivals.length;
    const after = got.arrivals.map((at) => at - committedAt);
    arrivals.push(...after);
    const round = summarize(after);
    each.push({
      commitMs: committedAt - startedAt,
      firstMs: round.min,
      lastMs: round.max,
      reached: after.length,
    });
    if (after.length === fleet.opened) allReached.push(round.max);
  }
  return {
    rounds,
    streams: fleet.opened,
    allReachedMs: summarize(allReached),
    arrivalMs: summarize(arrivals),
    commitMs: summarize(commits),
    lost,
    each,
  };
}

/** The hub's trigger: one alert row of the province's first department and its notification. */
export async function alertTrigger(dbUrl: string) {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const [{ code, region }] = await sql<{ code: string; region: string | null }[]>`
    select code, region from departments order by code limit 1`;
  return {
    trigger: async (round: number): Promise<Triggered> => {
      const startedAt = epochMs();
      await sql.begin(async (tx) => {
        await tx`insert into live_feed (kind, department, region, payload)
          values ('alert', ${code}, ${region}, ${tx.json(fanoutAlert(round, code))})`;
        await tx`select pg_notify(${CHANGES_CHANNEL}, ${changesPayload([code], [])})`;
      });
      return { startedAt, committedAt: epochMs() };
    },
    close: () => sql.end(),
  };
}
