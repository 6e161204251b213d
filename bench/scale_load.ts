/**
 * Loading the province-volume data set for `deno task bench:scale`: time-ordered HTTP ingestion of
 * demo events (the measured part), and the bulk — copies of the ingested cases made inside
 * PostgreSQL (events, case rows with their kept timelines, alerts, findings, manual queue; the
 * counters scaled to match), so that ten million events take minutes instead of hours.
 *
 * @module
 */
import postgres from "postgres";
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

/**
 * Make `copies` copies of every case stored so far: case id `K<k>-<id>` (events' ids likewise, the
 * case id replaced throughout payloads, results and timelines), then scale the live counters by
 * `copies + 1` so they match. Returns the seconds it took.
 */
export async function cloneCases(dbUrl: string, copies: number, log: (s: string) => void): Promise<number> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const t0 = performance.now();
  try {
    const [{ max }] = await sql<{ max: string }[]>`select max(seq)::text as max from events`;
    await sql`create temporary table template_alerts as select * from alerts`;
    for (let k = 1; k <= copies; k++) {
      const p = `K${k}-`;
      await sql.begin(async (tx) => {
        await tx`insert into events (id, case_id, type, at, payload, content_hash, sender, quarantined)
          select ${p} || id, ${p} || case_id, type, at, replace(payload::text, case_id, ${p} || case_id)::jsonb,
            content_hash, sender, quarantined
          from events where seq <= ${max}::bigint order by seq`;
        await tx`insert into cases (case_id, status, item_code, department, hall, region, applicant_name,
            received_on, accepted_on, closed_on, deadline, remaining, paused, next_change_at, result,
            timeline, contributions, calendar_missing, error, evaluated_at, event_count)
          select ${p} || case_id, status, item_code, department, hall, region, applicant_name, received_on,
            accepted_on, closed_on, deadline, remaining, paused, next_change_at,
            replace(result::text, case_id, ${p} || case_id)::jsonb,
            replace(timeline::text, case_id, ${p} || case_id)::jsonb, contributions, calendar_missing, error,
            evaluated_at, event_count
          from cases where case_id not like 'K%'`;
        await tx`insert into alerts (case_id, rule, subject, level, "on", raised_at, resolved_on, voided_on,
            withdrawn_at, department, hall, region, item_code)
          select ${p} || case_id, rule, subject, level, "on", raised_at, resolved_on, voided_on, withdrawn_at,
            department, hall, region, item_code from template_alerts`;
        await tx`insert into findings (case_id, rule, "on", state, department)
          select ${p} || case_id, rule, "on", state, department from findings where case_id not like 'K%'`;
        await tx`insert into manual_queue (case_id, rule, kind, subject, opened_at, closed_at, department, region)
          select ${p} || case_id, rule, kind, subject, opened_at, closed_at, department, region
          from manual_queue where case_id not like 'K%'`;
      });
      if (k % 5 === 0 || k === copies) {
        log(`  copy ${k} / ${copies} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
      }
    }
    await sql`update counters set value = value * ${copies + 1}`;
    log("  analyze …");
    await sql`analyze`;
  } finally {
    await sql.end();
  }
  return (performance.now() - t0) / 1000;
}
