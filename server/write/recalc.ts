/**
 * Re-evaluating cases inside a transaction: lock them (per case, in a fixed order so that instances
 * never deadlock), load all their events and items in a few queries, evaluate each with the one
 * evaluator, and apply. A case whose evaluation throws is stored with its error; the others go on.
 *
 * @module
 */
import { and, isNull, type SQL, sql } from "drizzle-orm";
import { evaluateCase, type Evaluation } from "../../rules/evaluate.ts";
import type { CaseEvent, Item } from "../../rules/types.ts";
import { letStatementsGo, query, type Tx } from "../../db/client.ts";
import { events } from "../../db/schema.ts";
import {
  applyInParts,
  type ApplySummary,
  type CaseOutcome,
  type ItemPlaces,
  loadPrevious,
  type PreviousState,
} from "./apply.ts";
import { inList, textArray } from "./bulk.ts";
import type { AppDeps } from "../deps.ts";
import { quarantineForeignEvents, type SenderScopes } from "./quarantine.ts";
import { loadItems } from "../reference.ts";

/**
 * First key of the two-key advisory locks that serialise work on one case; the second key is
 * PostgreSQL's `hashtext(case_id)` (computed in SQL, so the scheduler's one-statement claim and
 * ingestion agree on it).
 */
export const CASE_LOCK_CLASS = 7461002;

/**
 * The query that takes the transaction-scoped locks of the cases in ascending key order (so instances
 * never deadlock), yielding one row `n`; ingestion sends it together with its first reads.
 */
export function caseLocksQuery(caseIds: readonly string[]): SQL {
  return sql`select count(pg_advisory_xact_lock(${CASE_LOCK_CLASS}, k)) as n
    from (select distinct hashtext(x) as k from unnest(${textArray(caseIds)}::text[]) as x order by k) t`;
}

/**
 * Cases evaluated per part of a batch: a part's writes are sent before the next part is evaluated, so
 * the database writes while the process evaluates (the last part's writes and the counters are waited
 * for).
 */
export const EVALUATION_PART = 250;

/** Take the transaction-scoped locks of the cases (see {@linkcode caseLocksQuery}). */
export async function lockCases(tx: Tx, caseIds: readonly string[]): Promise<void> {
  if (caseIds.length === 0) return;
  await tx.execute(caseLocksQuery(caseIds));
}

/**
 * Every stored event of the cases that is evaluated, by case, in arrival order: quarantined events
 * (server/write/quarantine.ts) are left out.
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
 * The items named by `codes` or by the rows of the cases `caseIds` (`cases.item_code`), with the
 * regions of their departments, in one query.
 */
async function loadItemPlaces(
  tx: Tx,
  codes: readonly string[],
  caseIds: readonly string[],
): Promise<ItemPlaces> {
  const out: ItemPlaces = { items: new Map(), regions: new Map() };
  if (codes.length === 0 && caseIds.length === 0) return out;
  const rows = await query<{ code: string; data: Item; region: string | null; department: string | null }>(
    tx,
    sql`select i.code, i.data, i.data->>'department' as department, d.region
        from items i left join departments d on d.code = i.data->>'department'
        where i.code = any(${textArray(codes)}::text[])
          or i.code in (select item_code from cases where case_id = any(${textArray(caseIds)}::text[]))`,
  );
  for (const r of rows) {
    out.items.set(r.code, r.data);
    if (r.department && r.region !== null) out.regions.set(r.department, r.region);
  }
  return out;
}

/** What {@linkcode recalculateCases} reads before evaluating: the cases' stored state and items. */
export interface RecalcInputs {
  previous: Map<string, PreviousState>;
  places: ItemPlaces;
}

/**
 * Read the stored state of the cases and the items they name (their rows' item codes and `codes`),
 * all sent at once. Ingestion sends this with its checks' reads, after the locks: one wait for both.
 */
export async function loadRecalcInputs(
  tx: Tx,
  caseIds: readonly string[],
  codes: readonly string[],
): Promise<RecalcInputs> {
  const [previous, places] = await Promise.all([
    loadPrevious(tx, caseIds),
    loadItemPlaces(tx, codes, caseIds),
  ]);
  return { previous, places };
}

/** Where {@linkcode recalculateCases} takes each case's events from. */
export interface RecalcSource {
  /**
   * Events of the cases stored in this transaction, in arrival order: appended to the timeline kept in
   * the case row (`cases.timeline`). Without it, nothing was added.
   */
  added?: ReadonlyMap<string, readonly CaseEvent[]>;
  /**
   * Read these cases' events from `events` instead of the kept timeline (after events were set aside,
   * or for every case with `true`). Cases with no kept timeline are always read from `events`.
   */
  reload?: ReadonlySet<string> | true;
  /** The caller already holds the cases' locks (the scheduler's claim, ingestion). */
  locked?: boolean;
  /** Skip the cases whose stored `next_change_at` is not due by this instant any more (the scheduler). */
  dueBy?: number;
  /**
   * The cases' state and items, already read in this transaction after their locks were taken (for
   * these cases or more), with every `received` of `added` among the items' codes; else read here.
   */
  inputs?: RecalcInputs;
}

/**
 * Lock, load, evaluate at `now` and apply the cases. Cases with no stored events are skipped.
 * The scheduler calls this for due cases; ingestion for the cases of a batch (with the events it
 * just stored as `source.added`). A case's events come from its row's kept timeline (one read by
 * primary key, with the rest of its previous state), `events` only when that is not kept.
 */
export async function recalculateCases(
  deps: AppDeps,
  tx: Tx,
  caseIds: readonly string[],
  now: number,
  source: RecalcSource = {},
): Promise<ApplySummary & { errors: number; evaluations: Map<string, Evaluation> }> {
  let ids = [...new Set(caseIds)].sort();
  if (!source.locked) await lockCases(tx, ids);
  const store = deps.calendar;
  // The items the cases name (their rows' item codes, and those of the events just added) are read
  // beside the previous state: one wait for both.
  const addedCodes = [...source.added?.values() ?? []].flat().flatMap((e) =>
    e.type === "received" ? [e.item] : []
  );
  const { previous, places } = source.inputs ?? await loadRecalcInputs(tx, ids, addedCodes);
  if (source.dueBy !== undefined) {
    const by = source.dueBy;
    ids = ids.filter((id) => {
      const next = previous.get(id)?.row?.nextChangeAt;
      return next != null && new Date(next).getTime() <= by;
    });
  }
  const byCase = new Map<string, CaseEvent[]>();
  const appended = new Set<string>();
  const fromEvents: string[] = [];
  for (const id of ids) {
    const row = previous.get(id)?.row;
    const kept = row?.timeline;
    const reload = source.reload === true || source.reload?.has(id);
    const added = source.added?.get(id);
    if (kept && !reload) {
      byCase.set(id, added?.length ? [...kept, ...added] : kept);
      appended.add(id);
    } else if (!row && !reload && added?.length) {
      // No row yet: every event evaluated is evaluated (and gets its case a row) in the transaction that
      // stores it, so a case without a row has no evaluated events before this one — only set-aside
      // ones. Its timeline is what was just added; `events` is not read (it probes every month).
      byCase.set(id, [...added]);
    } else fromEvents.push(id);
  }
  // The row's timeline: appended to when it was kept, written whole when read from `events`.
  const timelineWrite = (id: string, list: CaseEvent[]) =>
    appended.has(id) ? { timelineAdded: source.added?.get(id) ?? [] } : { timeline: list };
  for (const [id, list] of await loadCaseEvents(tx, fromEvents)) byCase.set(id, list);
  const codes = new Set<string>();
  for (const list of byCase.values()) {
    for (const e of list) if (e.type === "received") codes.add(e.item);
  }
  // An item not read yet (a case whose events were read from `events`, or a changed item): read now.
  const missing = [...codes].filter((c) => !places.items.has(c));
  if (missing.length) {
    const more = await loadItemPlaces(tx, missing, []);
    for (const [code, item] of more.items) places.items.set(code, item);
    for (const [code, region] of more.regions) places.regions.set(code, region);
  }
  const items = places.items;
  const calendar = store.calendar;
  let errors = 0;
  const evaluations = new Map<string, Evaluation>();
  const evaluate = (caseId: string, list: CaseEvent[]): CaseOutcome => {
    try {
      const evaluation = evaluateCase({
        caseId,
        events: list,
        item: (c) => items.get(c),
        calendar,
        asOf: now,
      });
      evaluations.set(caseId, evaluation);
      return { caseId, evaluation, eventCount: list.length, ...timelineWrite(caseId, list) };
    } catch (err) {
      errors++;
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      console.error(`evaluating case ${caseId} failed:`, err);
      return { caseId, error: message, eventCount: list.length, ...timelineWrite(caseId, list) };
    }
  };
  // In parts: each part's writes are on their way while the next part is evaluated.
  const todo = ids.filter((id) => (byCase.get(id)?.length ?? 0) > 0);
  const parts = applyInParts(tx, previous, now, places);
  for (let i = 0; i < todo.length; i += EVALUATION_PART) {
    if (i > 0) await letStatementsGo();
    parts.send(todo.slice(i, i + EVALUATION_PART).map((id) => evaluate(id, byCase.get(id)!)));
  }
  const summary = await parts.finish();
  deps.metrics?.evaluationErrors(errors);
  return { ...summary, errors, evaluations };
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
  const items = await loadItems(tx, codes);
  const store = deps.calendar;
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
      await quarantineForeignEvents(tx, part, scopes, { now: deps.clock() });
      // Setting aside may have changed any of them: read their events afresh.
      return await recalculateCases(deps, tx, part, deps.clock(), { reload: true });
    });
    n += summary.cases;
  }
  return n;
}
