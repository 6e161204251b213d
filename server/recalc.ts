/**
 * Re-evaluating cases inside a transaction: lock them (per case, in a fixed order so that instances
 * never deadlock), load all their events and items in a few queries, evaluate each with the one
 * evaluator, and apply. A case whose evaluation throws is stored with its error; the others go on.
 *
 * @module
 */
import { and, isNull, sql } from "drizzle-orm";
import { evaluateCase, type Evaluation } from "../rules/evaluate.ts";
import type { CaseEvent } from "../rules/types.ts";
import type { Tx } from "../db/client.ts";
import { events } from "../db/schema.ts";
import { applyOutcomes, type ApplySummary, type CaseOutcome, loadPrevious } from "./apply.ts";
import { inList } from "./bulk.ts";
import { calendarStore } from "./calendar_store.ts";
import type { AppDeps } from "./deps.ts";
import { quarantineForeignEvents, type SenderScopes } from "./quarantine.ts";
import { loadItems } from "./reference.ts";

/** First key of the two-key advisory locks that serialise work on one case. */
export const CASE_LOCK_CLASS = 7461002;

/** A 32-bit FNV-1a hash of a case id: the second key of its advisory lock. */
export function caseLockKey(caseId: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(caseId)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Take the transaction-scoped locks of the cases, in ascending key order. */
export async function lockCases(tx: Tx, caseIds: readonly string[]): Promise<void> {
  const keys = [...new Set(caseIds.map(caseLockKey))].sort((a, b) => a - b);
  if (keys.length === 0) return;
  await tx.execute(
    sql`select count(pg_advisory_xact_lock(${CASE_LOCK_CLASS}, k))
        from unnest(${`{${keys.join(",")}}`}::int[]) with ordinality as t(k, n)`,
  );
}

/**
 * Every stored event of the cases that is evaluated, by case, in arrival order: quarantined events
 * (server/quarantine.ts) are left out.
 */
export async function loadCaseEvents(tx: Tx, caseIds: readonly string[]): Promise<Map<string, CaseEvent[]>> {
  const out = new Map<string, CaseEvent[]>();
  if (caseIds.length === 0) return out;
  const rows = await tx.select({ caseId: events.caseId, payload: events.payload }).from(events)
    .where(and(inList(events.caseId, caseIds), isNull(events.quarantined))).orderBy(events.seq);
  for (const r of rows) {
    const list = out.get(r.caseId);
    if (list) list.push(r.payload as CaseEvent);
    else out.set(r.caseId, [r.payload as CaseEvent]);
  }
  return out;
}

/**
 * Lock, load, evaluate at `now` and apply the cases. Cases with no stored events are skipped.
 * The scheduler calls this for due cases; ingestion for the cases of a batch.
 */
export async function recalculateCases(
  deps: AppDeps,
  tx: Tx,
  caseIds: readonly string[],
  now: number,
): Promise<ApplySummary & { errors: number }> {
  const ids = [...new Set(caseIds)].sort();
  await lockCases(tx, ids);
  const [byCase, previous, store] = await Promise.all([
    loadCaseEvents(tx, ids),
    loadPrevious(tx, ids),
    calendarStore(deps.database, tx),
  ]);
  const codes = new Set<string>();
  for (const list of byCase.values()) {
    for (const e of list) if (e.type === "received") codes.add(e.item);
  }
  const items = await loadItems(tx, codes);
  const calendar = store.calendar;
  let errors = 0;
  const outcomes: CaseOutcome[] = [];
  for (const caseId of ids) {
    const list = byCase.get(caseId);
    if (!list) continue;
    try {
      const evaluation = evaluateCase({
        caseId,
        events: list,
        item: (c) => items.get(c),
        calendar,
        asOf: now,
      });
      outcomes.push({ caseId, evaluation, eventCount: list.length });
    } catch (err) {
      errors++;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      console.error(`evaluating case ${caseId} failed:`, err);
      outcomes.push({ caseId, error: message, eventCount: list.length });
    }
  }
  const summary = await applyOutcomes(tx, outcomes, previous, now);
  return { ...summary, errors };
}

/** Evaluate one stored case afresh at `now` without storing anything; undefined when it has no events. */
export async function evaluateStoredCase(
  deps: AppDeps,
  tx: Tx,
  caseId: string,
  now: number,
): Promise<Evaluation | undefined> {
  const list = (await loadCaseEvents(tx, [caseId])).get(caseId);
  if (!list) return undefined;
  const codes = list.flatMap((e) => (e.type === "received" ? [e.item] : []));
  const [items, store] = await Promise.all([loadItems(tx, codes), calendarStore(deps.database, tx)]);
  return evaluateCase({
    caseId,
    events: list,
    item: (c) => items.get(c),
    calendar: store.calendar,
    asOf: now,
  });
}

/**
 * Recalculate many cases in transactions of `chunk` cases each; returns how many were evaluated.
 * Used after reference data changes (an item arriving late or moving department, a calendar year), so
 * it first quarantines the events that a newly known department puts out of their sender's scope.
 */
export async function recalculateInChunks(
  deps: AppDeps,
  caseIds: readonly string[],
  chunk = 500,
): Promise<number> {
  let n = 0;
  const scopes: SenderScopes = new Map();
  for (let i = 0; i < caseIds.length; i += chunk) {
    const part = caseIds.slice(i, i + chunk);
    const summary = await deps.database.db.transaction(async (tx) => {
      await lockCases(tx, part);
      await quarantineForeignEvents(tx, part, scopes);
      return await recalculateCases(deps, tx, part, deps.clock());
    });
    n += summary.cases;
  }
  return n;
}
