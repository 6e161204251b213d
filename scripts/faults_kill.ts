/**
 * Fault 1: SIGKILL the server in the middle of heavy ingestion. Generated events go out in many
 * concurrent batches; once a share of the batches has been acknowledged the server is killed with
 * requests still in flight. A new server on the same database then receives every event that was not
 * acknowledged (some of which may have been committed just before the kill: they must come back as
 * duplicates). Checking the outcome is faults_verify.ts's job.
 *
 * @module
 */
import { addDays, dateIn } from "../rules/dates.ts";
import { generateCases } from "../rules/gen.ts";
import type { CaseEvent } from "../rules/types.ts";
import { hallCode } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
import postgres from "postgres";
import type { SenderAuth } from "../bench/post_batch.ts";
import { SENDER_TYPES } from "../server/auth/sender_kinds.ts";
import { sleep } from "./faults_env.ts";

/** Prefix of the case numbers of this scenario. */
export const KILL_PREFIX = "FK";

/** Generated events of `cases` cases received over the 75 days before yesterday (nothing today), without reviews. */
export function killEvents(cases: number, now: number): CaseEvent[] {
  const to = addDays(dateIn(now), -1);
  const { events } = generateCases({
    seed: 20260601,
    cases,
    from: addDays(to, -75),
    to,
    items: HENAN_ITEMS,
    casePrefix: KILL_PREFIX,
  });
  // The generator's hall codes are not the demo's: use the hall of the item's region.
  const items = new Map(HENAN_ITEMS.map((i) => [i.code, i]));
  // Supervisors' decisions (review) are made on the product's pages, never sent over ingestion (no
  // sender kind may push them): this scenario sends what the department systems and the evaluation
  // platform send.
  return events.filter((e) => e.type !== "review").map((e) =>
    e.type === "received" && e.hall !== undefined
      ? { ...e, hall: hallCode(items.get(e.item)!.department.split("-")[0]) }
      : e
  );
}

/** What sending batches produced. */
export interface SendReport {
  /** Ids acknowledged (stored or duplicate in a 200/207 answer). */
  acknowledged: Set<string>;
  /** Batches not (fully) acknowledged, to be sent again. */
  pending: CaseEvent[][];
  stored: number;
  duplicates: number;
  refused: number;
  /** The first refusals, as `type field: error` (a refusal is a failure of the scenario). */
  refusals: string[];
  failedRequests: number;
  /** Requests being answered right now. */
  inFlight: number;
}

interface Answer {
  stored: number;
  duplicates: number;
  refused: { index: number; field: string; error: string }[];
}

/**
 * POST one batch as its senders send it: the lifecycle from the department system, evaluations from
 * the evaluation platform (two requests when it holds both). False unless every event was acknowledged.
 */
async function postBatch(
  url: string,
  auth: SenderAuth,
  batch: CaseEvent[],
  report: SendReport,
): Promise<boolean> {
  // A batch is two requests: on a re-send, the part already acknowledged is not sent again (its
  // events would come back as duplicates that were answered, not lost answers).
  const left = batch.filter((e) => !report.acknowledged.has(e.id));
  const evaluations = left.filter((e) => SENDER_TYPES.evaluation.has(e.type));
  const lifecycle = left.filter((e) => !SENDER_TYPES.evaluation.has(e.type));
  let ok = true;
  for (
    const [part, authorization] of [[lifecycle, auth.department], [evaluations, auth.evaluation]] as const
  ) {
    if (part.length > 0 && !await postPart(url, authorization, part, report)) ok = false;
  }
  return ok;
}

/** POST events of one sender; true when all were acknowledged. */
async function postPart(url: string, auth: string, batch: CaseEvent[], report: SendReport): Promise<boolean> {
  let res: Response;
  try {
    res = await fetch(`${url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: auth },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(60_000),
    });
  } catch {
    report.failedRequests++;
    return false;
  }
  const text = await res.text().catch(() => "");
  if (res.status === 429) {
    const wait = Number(res.headers.get("retry-after") ?? "1");
    await sleep(Math.min(10, Math.max(1, wait)) * 1000);
  }
  if (res.status !== 200 && res.status !== 207) {
    report.failedRequests++;
    return false;
  }
  const answer = JSON.parse(text) as Answer;
  const refused = new Set(answer.refused.map((r) => r.index));
  for (const r of answer.refused.slice(0, Math.max(0, 5 - report.refusals.length))) {
    report.refusals.push(`${batch[r.index]?.type} ${r.field}: ${r.error}`);
  }
  batch.forEach((e, i) => refused.has(i) || report.acknowledged.add(e.id));
  report.stored += answer.stored;
  report.duplicates += answer.duplicates;
  report.refused += refused.size;
  return refused.size === 0;
}

/** Options of {@linkcode sendBatches}. */
export interface SendOptions {
  url: string;
  auth: SenderAuth;
  concurrency: number;
  /** Called after each acknowledged batch with the count so far; return true to stop sending. */
  onAck?: (ackedBatches: number) => boolean;
  /** Attempts per batch (default 1). */
  attempts?: number;
}

/** Send batches with `concurrency` requests in flight; returns what was (not) acknowledged. */
export async function sendBatches(
  batches: CaseEvent[][],
  opts: SendOptions,
  report: SendReport = emptyReport(),
): Promise<SendReport> {
  let next = 0, acked = 0, stop = false;
  const worker = async () => {
    while (!stop && next < batches.length) {
      const batch = batches[next++];
      let ok = false;
      for (let attempt = 0; attempt < (opts.attempts ?? 1) && !ok && !stop; attempt++) {
        if (attempt > 0) await sleep(300);
        report.inFlight++;
        ok = await postBatch(opts.url, opts.auth, batch, report);
        report.inFlight--;
      }
      if (!ok) {
        report.pending.push(batch);
        continue;
      }
      acked++;
      if (opts.onAck?.(acked)) stop = true;
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  // Batches never started.
  for (; next < batches.length; next++) report.pending.push(batches[next]);
  return report;
}

/** A report with nothing in it. */
export function emptyReport(): SendReport {
  return {
    acknowledged: new Set(),
    pending: [],
    stored: 0,
    duplicates: 0,
    refused: 0,
    refusals: [],
    failedRequests: 0,
    inFlight: 0,
  };
}

/** Cut events into batches of `size`, shuffled so that a case's events arrive out of order. */
export function toBatches(events: readonly CaseEvent[], size: number, seed = 7): CaseEvent[][] {
  const list = [...events];
  let s = seed;
  for (let i = list.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  const out: CaseEvent[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Stored events of the scenario's cases. */
export async function countStored(dbUrl: string, prefix: string): Promise<number> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from events
      where case_id like ${prefix + "%"}`;
    return n;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** When and how the kill landed. */
export interface KillReport {
  /** Events committed but not yet acknowledged when the kill was decided (their answer may still come). */
  committedAhead: number;
  inFlight: number;
  acknowledged: number;
}

/**
 * Aim the kill at the worst moment: poll the events table and send `kill` as soon as it holds more
 * of the scenario's events than have been acknowledged (a batch is committed, its answer not yet
 * read), or after `maxMs` whatever the table holds.
 */
export async function killWhenCommittedAhead(
  dbUrl: string,
  prefix: string,
  report: SendReport,
  kill: () => void,
  maxMs = 3000,
): Promise<KillReport> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const until = performance.now() + maxMs;
    let ahead = 0;
    while (performance.now() < until) {
      const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from events
        where case_id like ${prefix + "%"}`;
      ahead = n - report.acknowledged.size;
      if (ahead > 0) break;
    }
    const inFlight = report.inFlight, acknowledged = report.acknowledged.size;
    kill();
    return { committedAhead: Math.max(0, ahead), inFlight, acknowledged };
  } finally {
    await sql.end({ timeout: 2 });
  }
}
