/**
 * The measured part of `deno task bench:scale`'s loading: demo events in time order, POSTed through
 * the product's HTTP ingestion as the two kinds of sender send them (bench/post_batch.ts). The bulk
 * is bench/scale_clone.ts.
 *
 * @module
 */
import { demoCases } from "../server/demo/cases.ts";
import type { CaseEvent } from "../rules/types.ts";
import { postBatch, type SenderAuth } from "./post_batch.ts";

/**
 * Demo events of `cases` cases received over the last `workdays` working days, case ids prefixed,
 * sorted by time (the order real traffic arrives in).
 */
export function timeOrderedEvents(
  cases: number,
  seed: number,
  prefix: string,
  now: number,
  workdays: number,
): CaseEvent[] {
  const all = demoCases({ now, cases, seed, workdays }).flat().map((e) =>
    prefix ? { ...e, id: prefix + e.id, case: prefix + e.case } as CaseEvent : e
  );
  return all.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

/** The result of {@linkcode postInBatches}. */
export interface IngestFigures {
  events: number;
  stored: number;
  refused: number;
  seconds: number;
  eventsPerSecond: number;
  batchMs: number[];
}

/** POST the events in batches, one after another; throughput and each batch's time. */
export async function postInBatches(
  url: string,
  auth: SenderAuth,
  events: readonly CaseEvent[],
  batch: number,
  log: (s: string) => void = () => {},
): Promise<IngestFigures> {
  const batchMs: number[] = [];
  let stored = 0, refused = 0;
  const t0 = performance.now();
  for (let i = 0; i < events.length; i += batch) {
    const started = performance.now();
    const report = await postBatch(url, auth, events.slice(i, i + batch));
    batchMs.push(performance.now() - started);
    stored += report.stored;
    refused += report.refused;
    if ((i / batch) % 20 === 19) log(`  ${i + batch} / ${events.length}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    events: events.length,
    stored,
    refused,
    seconds,
    eventsPerSecond: events.length / seconds,
    batchMs,
  };
}
