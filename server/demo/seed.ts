/**
 * Seeding an empty database with the demo: the Henan reference data through the product's own
 * reference functions, then a few thousand cases through ingestion (sender `demo`), so that every
 * projection, alert and counter is built exactly as for real data.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { CaseEvent } from "../../rules/types.ts";
import type { AppDeps } from "../deps.ts";
import { ingestEvents } from "../write/ingest.ts";
import { upsertItems, upsertReference, validateList } from "../reference.ts";
import { demoCases } from "./cases.ts";
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "./henan.ts";
import { HENAN_ITEMS } from "./henan_items.ts";

/** Options of {@linkcode seedDemo}. */
export interface SeedOptions {
  /** Cases to generate (default 3,000). */
  cases?: number;
  /** The present instant (epoch ms); no event is later. Pass `deps.clock()`. */
  now: number;
  /** Random seed (default 1): the same seed and `now` give the same data. */
  seed?: number;
  /** Events per ingestion batch (default 1,000). */
  batch?: number;
}

/** What seeding did. */
export interface SeedReport {
  /** False when the database already had cases and nothing was done. */
  seeded: boolean;
  cases: number;
  stored: number;
  refused: number;
  /** Wall-clock duration in milliseconds. */
  ms: number;
}

/** The sender id recorded with the demo's events. */
export const DEMO_SENDER = "demo";

/**
 * Seed the demo, only if the database has no case yet. Two instances seeding one PostgreSQL at once
 * with the same seed send the same events (ids and content depend only on the seed and the day), so the second
 * one's batches come back as duplicates, never as conflicts.
 */
export async function seedDemo(deps: AppDeps, opts: SeedOptions): Promise<SeedReport> {
  const t0 = performance.now();
  const { db } = deps.database;
  const [{ any }] = await query<{ any: boolean }>(db, sql`select exists (select 1 from cases) as any`);
  if (any) return { seeded: false, cases: 0, stored: 0, refused: 0, ms: performance.now() - t0 };

  await db.transaction(async (tx) => {
    await upsertReference(tx, "regions", validateList("regions", HENAN_REGIONS));
    await upsertReference(tx, "departments", validateList("departments", HENAN_DEPARTMENTS));
    await upsertReference(tx, "halls", validateList("halls", HENAN_HALLS));
    await upsertItems(tx, validateList("items", HENAN_ITEMS));
  });

  // The calendar in force (built-in years plus an administrator's corrections), as the evaluator uses.
  const { calendar } = deps.calendar;
  const cases = demoCases({ now: opts.now, cases: opts.cases ?? 3000, seed: opts.seed ?? 1, calendar });
  const size = opts.batch ?? 1000;
  let stored = 0;
  let refused = 0;
  let batch: CaseEvent[] = [];
  const flush = async () => {
    const report = await ingestEvents(deps, batch, DEMO_SENDER);
    stored += report.stored;
    refused += report.refused.length;
    if (report.refused.length) console.warn("demo events refused:", report.refused.slice(0, 3));
    batch = [];
  };
  // A case's events stay in one batch, so each case is evaluated once, complete.
  for (const events of cases) {
    batch.push(...events);
    if (batch.length >= size) await flush();
  }
  if (batch.length) await flush();
  return { seeded: true, cases: cases.length, stored, refused, ms: performance.now() - t0 };
}
