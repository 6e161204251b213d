/**
 * Applying evaluations to the stored projection, in the caller's transaction: the case rows, alerts
 * and their history, findings, the manual queue, the live counters, the live feed, the portal outbox,
 * and one NOTIFY `jct_changes` when anything changed. Every kind of row is written for all cases of a
 * batch at once (multi-row statements), so ingesting 5,000 events costs a handful of round trips.
 *
 * @module
 */
import { getTableColumns, inArray, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Evaluation } from "../rules/evaluate.ts";
import type { Tx } from "../db/client.ts";
import {
  alertHistory,
  alerts,
  cases,
  counters,
  departments,
  findings,
  liveFeed,
  manualQueue,
  notificationsOutbox,
} from "../db/schema.ts";
import type { CounterDelta } from "./counts.ts";
import { type CaseOutcome, type CasePlan, type CaseRow, planCase, type PreviousState } from "./apply_plan.ts";

export type { CaseOutcome, PreviousState } from "./apply_plan.ts";

/** The channel that announces changed departments and halls to live clients. */
export const CHANGES_CHANNEL = "jct_changes";

/** What applying a batch changed. */
export interface ApplySummary {
  cases: number;
  changed: number;
  newAlerts: number;
  departments: string[];
  halls: string[];
}

/** Load what is stored about the cases (case rows, alerts, findings, manual entries), by case. */
export async function loadPrevious(tx: Tx, caseIds: readonly string[]): Promise<Map<string, PreviousState>> {
  const out = new Map<string, PreviousState>();
  if (caseIds.length === 0) return out;
  const ids = [...caseIds];
  const get = (id: string) => {
    let p = out.get(id);
    if (!p) out.set(id, p = { alerts: [], findings: [], manual: [] });
    return p;
  };
  const [rows, alertRows, findingRows, manualRows] = await Promise.all([
    tx.select({
      caseId: cases.caseId,
      status: cases.status,
      department: cases.department,
      hall: cases.hall,
      result: cases.result,
      contributions: cases.contributions,
      error: cases.error,
    }).from(cases).where(inArray(cases.caseId, ids)),
    tx.select().from(alerts).where(inArray(alerts.caseId, ids)),
    tx.select().from(findings).where(inArray(findings.caseId, ids)),
    tx.select().from(manualQueue).where(inArray(manualQueue.caseId, ids)),
  ]);
  for (const r of rows) get(r.caseId).row = r as CaseRow;
  for (const a of alertRows) {
    get(a.caseId).alerts.push({
      id: a.id,
      rule: a.rule,
      subject: a.subject,
      level: a.level,
      on: a.on,
      resolvedOn: a.resolvedOn,
      voidedOn: a.voidedOn,
      withdrawn: a.withdrawnAt !== null,
    });
  }
  for (const f of findingRows) get(f.caseId).findings.push({ rule: f.rule, on: f.on, state: f.state });
  for (const m of manualRows) {
    get(m.caseId).manual.push({
      rule: m.rule,
      kind: m.kind,
      subject: m.subject,
      openedAt: m.openedAt.getTime(),
      closedAt: m.closedAt?.getTime() ?? null,
    });
  }
  return out;
}

/** Apply one case's evaluation (see {@linkcode applyOutcomes} for batches). */
export async function applyEvaluation(
  tx: Tx,
  evaluation: Evaluation,
  previous: PreviousState | undefined,
  now: number,
): Promise<ApplySummary> {
  const caseId = evaluation.result.case;
  const prev = new Map(previous ? [[caseId, previous]] : []);
  return await applyOutcomes(tx, [{ caseId, evaluation, eventCount: evaluation.timeline.length }], prev, now);
}

/** Apply the outcomes of a batch of cases against their previous state, and NOTIFY if anything changed. */
export async function applyOutcomes(
  tx: Tx,
  outcomes: readonly CaseOutcome[],
  previous: Map<string, PreviousState>,
  now: number,
): Promise<ApplySummary> {
  const deptCodes = outcomes.flatMap((
    o,
  ) => ("evaluation" in o && o.evaluation.department ? [o.evaluation.department] : []));
  const regions = new Map<string, string>();
  if (deptCodes.length) {
    const rows = await tx.select({ code: departments.code, region: departments.region }).from(departments)
      .where(inArray(departments.code, [...new Set(deptCodes)]));
    for (const r of rows) regions.set(r.code, r.region);
  }
  const deltas = new Map<string, CounterDelta>();
  const plans: CasePlan[] = outcomes.map((o) => {
    const dept = "evaluation" in o ? o.evaluation.department : null;
    return planCase(o, previous.get(o.caseId), dept ? regions.get(dept) ?? null : null, now, deltas);
  });
  await writePlans(tx, plans, [...deltas.values()]);

  const changedPlans = plans.filter((p) => p.changed);
  const summary: ApplySummary = {
    cases: plans.length,
    changed: changedPlans.length,
    newAlerts: plans.reduce((n, p) => n + p.newAlerts.length, 0),
    departments: [...new Set(changedPlans.flatMap((p) => p.departments))].sort(),
    halls: [...new Set(changedPlans.flatMap((p) => p.halls))].sort(),
  };
  if (summary.changed > 0 || deltas.size > 0) {
    const payload = JSON.stringify({ departments: summary.departments, halls: summary.halls });
    await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${payload})`);
  }
  return summary;
}

async function writePlans(tx: Tx, plans: CasePlan[], deltas: CounterDelta[]): Promise<void> {
  // Rows of failed evaluations carry fewer columns (they keep the rest): written apart.
  const rows = plans.map((p) => p.caseRow);
  await upsertAll(tx, cases, rows.filter((r) => "itemCode" in r), [cases.caseId]);
  await upsertAll(tx, cases, rows.filter((r) => !("itemCode" in r)), [cases.caseId]);

  const newAlerts = plans.flatMap((p) => p.newAlerts);
  const history: { alertId: number; change: string; on: string | null }[] = [];
  for (const part of chunks(newAlerts, 1000)) {
    const ids = await tx.insert(alerts).values(part.map((a) => a.row) as (typeof alerts.$inferInsert)[])
      .onConflictDoNothing().returning({
        id: alerts.id,
        caseId: alerts.caseId,
        rule: alerts.rule,
        subject: alerts.subject,
        level: alerts.level,
        on: alerts.on,
      });
    const byKey = new Map(ids.map((r) => [`${r.caseId}|${r.rule}|${r.subject}|${r.level}|${r.on}`, r.id]));
    for (const a of part) {
      const r = a.row as { caseId: string; rule: string; subject: string; level: string; on: string };
      const id = byKey.get(`${r.caseId}|${r.rule}|${r.subject}|${r.level}|${r.on}`);
      if (id !== undefined) { for (const h of a.history) history.push({ alertId: id, ...h }); }
    }
  }
  const updates = plans.flatMap((p) => p.alertUpdates);
  if (updates.length) {
    const json = JSON.stringify(updates.map((u) => ({
      id: u.id,
      resolved_on: u.resolvedOn,
      voided_on: u.voidedOn,
      withdrawn_at: u.withdrawnAt?.toISOString() ?? null,
    })));
    await tx.execute(sql`update alerts a set resolved_on = v.resolved_on, voided_on = v.voided_on,
      withdrawn_at = v.withdrawn_at
      from jsonb_to_recordset(${json}::jsonb) as v(id bigint, resolved_on date, voided_on date, withdrawn_at timestamptz)
      where a.id = v.id`);
    for (const u of updates) for (const h of u.history) history.push({ alertId: u.id, ...h });
  }
  for (const part of chunks(history, 5000)) await tx.insert(alertHistory).values(part);

  await upsertAll(tx, findings, plans.flatMap((p) => p.findings), [
    findings.caseId,
    findings.rule,
    findings.on,
  ], [
    "state",
    "department",
  ]);
  await upsertAll(
    tx,
    manualQueue,
    plans.flatMap((p) => p.manual),
    [manualQueue.caseId, manualQueue.rule, manualQueue.kind, manualQueue.subject, manualQueue.openedAt],
    ["closedAt"],
  );
  for (const part of chunks(deltas, 2000)) {
    await tx.insert(counters)
      .values(part.map(({ delta, ...k }) => ({ ...k, value: delta })))
      .onConflictDoUpdate({
        target: [counters.department, counters.hall, counters.metric, counters.rule, counters.day],
        set: { value: sql`${counters.value} + excluded.value` },
      });
  }
  for (const part of chunks(plans.flatMap((p) => p.liveFeed), 2000)) {
    await tx.insert(liveFeed).values(part.map((f) => ({ kind: "alert", ...f })));
  }
  for (const part of chunks(plans.flatMap((p) => p.outbox), 2000)) {
    await tx.insert(notificationsOutbox).values(part).onConflictDoNothing();
  }
}

/** Multi-row insert … on conflict do update of the given keys (every non-target column by default). */
async function upsertAll(
  tx: Tx,
  table: PgTable,
  rows: Record<string, unknown>[],
  target: PgColumn[],
  keys?: string[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const targetNames = new Set(target.map((c) => c.name));
  const updateKeys = keys ?? Object.keys(rows[0]).filter((k) => !targetNames.has(columns[k].name));
  const set: Record<string, unknown> = {};
  for (const k of updateKeys) set[k] = sql.raw(`excluded.${columns[k].name}`);
  if (table === findings) set.updatedAt = sql`now()`;
  const per = Math.max(1, Math.floor(30000 / Object.keys(rows[0]).length));
  for (const part of chunks(rows, per)) {
    // deno-lint-ignore no-explicit-any
    await tx.insert(table).values(part as any).onConflictDoUpdate({ target, set });
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
