/**
 * One ingested batch, counted (`jct_events_*`, `jct_ingest_batch_duration_seconds`) and logged.
 *
 * @module
 */
import type { Context } from "hono";
import type { AppDeps } from "../deps.ts";
import type { IngestReport } from "../write/ingest.ts";
import { requestIdOf } from "./observe.ts";

/** Record a batch the events route handled; `started` is its `performance.now()` at the start. */
export function observeBatch(
  deps: AppDeps,
  c: Context,
  sender: string,
  report: IngestReport,
  started: number,
): void {
  const seconds = (performance.now() - started) / 1000;
  deps.metrics?.ingested(sender, report, seconds);
  deps.log?.batch({
    requestId: requestIdOf(c),
    sender,
    stored: report.stored,
    duplicates: report.duplicates,
    refused: report.refused.length,
    warnings: (report as { warnings?: unknown[] }).warnings?.length ?? 0,
    durationMs: Math.round(seconds * 10_000) / 10,
  });
}
