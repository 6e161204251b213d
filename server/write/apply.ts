/**
 * Applying evaluations to the stored projection, in the caller's transaction: the case rows, alerts
 * and their history, findings, the manual queue, the live counters, the live feed, the portal outbox,
 * and one NOTIFY `jct_changes` when anything changed. Every kind of row is written for all cases of a
 * batch at once (multi-row statements), so ingesting 5,000 events costs a handful of round trips.
 *
 * @module
 */
import { inArray, sql } from "drizzle-orm";
import type { Evaluation } from "../../rules/evaluate.ts";
import type { Item } from "../../rules/types.ts";
import type { Tx } from "../../db/client.ts";
import {
  alertHistory,
  alerts,
  cases,
  counters,
  departments,
  findings,
  items,
  liveFeed,
  manualQueue,
  notificationsOutbox,
} from "../../db/schema.ts";
import { bulkInsert, type ColumnKey, inList, recordset } from "./bulk.ts";
import type { CounterDelta } from "./counts.ts";
import { CHANGES_CHANNEL, changesPayload } from "../live/changes.ts";
import {
  type CaseOutcome,
  type CasePlan,
  type CaseRow,
  type CaseWrite,
  type NewAlert,
  planCase,
  type PreviousState,
} from "./apply_plan.ts";

export type { CaseOutcome, PreviousState } from "./apply_plan.ts";

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
      timeline: cases.timeline,
      nextChangeAt: cases.nextChangeAt,
    }).from(cases).where(inList(cases.caseId, ids)),
    // Only the columns a plan compares (no instants to turn into Dates, no places).
    tx.select({
      caseId: alerts.caseId,
      id: alerts.id,
      rule: alerts.rule,
      subject: alerts.subject,
      level: alerts.level,
      on: alerts.on,
      resolvedOn: alerts.resolvedOn,
      voidedOn: alerts.voidedOn,
      withdrawn: sql<boolean>`${alerts.withdrawnAt} is not null`,
    }).from(alerts).where(inList(alerts.caseId, ids)),
    tx.select({ caseId: findings.caseId, rule: findings.rule, on: findings.on, state: findings.state })
      .from(findings).where(inList(findings.caseId, ids)),
    tx.select({
      caseId: manualQueue.caseId,
      rule: manualQueue.rule,
      kind: manualQueue.kind,
      subject: manualQueue.subject,
      openedAt: manualQueue.openedAt,
      closedAt: manualQueue.closedAt,
    }).from(manualQueue).where(inList(manualQueue.caseId, ids)),
  ]);
  for (const r of rows) get(r.caseId).row = r as CaseRow;
  for (const { caseId, ...a } of alertRows) {
    get(caseId).alerts.push({ ...a, withdrawn: a.withdrawn === true });
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

/** The items of a batch's cases and the regions of their departments, when the caller has read them. */
export interface ItemPlaces {
  items: Map<string, Item>;
  /** Region by department code. */
  regions: Map<string, string>;
}

/**
 * Apply the outcomes of a batch of cases against their previous state, and NOTIFY if anything changed.
 * `places`: the items and departments' regions already read (else they are read here).
 */
export async function applyOutcomes(
  tx: Tx,
  outcomes: readonly CaseOutcome[],
  previous: Map<string, PreviousState>,
  now: number,
  places?: ItemPlaces,
): Promise<ApplySummary> {
  const parts = applyInParts(tx, previous, now, places ?? await readPlaces(tx, outcomes));
  parts.send(outcomes);
  return await parts.finish();
}

/** The writes of a batch sent in parts: see {@linkcode applyInParts}. */
export interface ApplyParts {
  /** Plan these cases and send their rows (not awaited: finish() waits for every part). */
  send(outcomes: readonly CaseOutcome[]): void;
  /** Send the counters and the NOTIFY, wait for every write, and say what the batch changed. */
  finish(): Promise<ApplySummary>;
}

/** What planning needs besides the cases: departments' regions, items' promised days. */
interface Places {
  regions: Map<string, string>;
  promised: Map<string, number>;
}

const placesOf = (places: ItemPlaces): Places => ({
  regions: places.regions,
  promised: new Map([...places.items].map(([code, item]) => [code, item.promisedDays])),
});

/**
 * Apply a batch's outcomes in parts, so that the database writes one part while the caller evaluates
 * the next (server/write/recalc.ts): each part's rows (case rows, alerts and history, findings, manual
 * queue, live feed, outbox) are sent as soon as it is planned. The counters — rows shared with
 * concurrent batches, whose locks are held until commit — are summed over the parts and written by
 * finish() in one statement, last, followed by one NOTIFY when anything changed.
 */
export function applyInParts(
  tx: Tx,
  previous: Map<string, PreviousState>,
  now: number,
  places: ItemPlaces | Places,
): ApplyParts {
  const { regions, promised } = "items" in places ? placesOf(places) : places;
  const deltas = new Map<string, CounterDelta>();
  const sent: Promise<unknown>[] = [];
  const summary: ApplySummary = { cases: 0, changed: 0, newAlerts: 0, departments: [], halls: [] };
  const departments = new Set<string>(), halls = new Set<string>();
  const keep = (writes: Promise<unknown>[]) => {
    // Awaited by finish(); a failure meanwhile is not an unhandled rejection (the transaction fails).
    for (const w of writes) w.catch(() => {});
    sent.push(...writes);
  };
  return {
    send(outcomes) {
      const plans: CasePlan[] = outcomes.map((o) => {
        const dept = "evaluation" in o ? o.evaluation.department : null;
        const code = "evaluation" in o ? o.evaluation.itemCode : null;
        const n = code ? promised.get(code) ?? null : null;
        return planCase(o, previous.get(o.caseId), dept ? regions.get(dept) ?? null : null, now, deltas, n);
      });
      for (const p of plans) {
        summary.cases++;
        summary.newAlerts += p.newAlerts.length;
        if (!p.changed) continue;
        summary.changed++;
        for (const d of p.departments) departments.add(d);
        for (const h of p.halls) halls.add(h);
      }
      keep(writePlans(tx, plans, now));
    },
    async finish() {
      summary.departments = [...departments].sort();
      summary.halls = [...halls].sort();
      keep([writeCounters(tx, [...deltas.values()])]);
      // A notification is delivered at commit in any case: sent with the writes, one wait for all.
      if (summary.changed > 0 || deltas.size > 0) {
        keep([
          tx.execute(
            sql`select pg_notify(${CHANGES_CHANNEL}, ${changesPayload(summary.departments, summary.halls)})`,
          ).then((r) => r),
        ]);
      }
      await Promise.all(sent);
      return summary;
    },
  };
}

/** The departments' regions and the items' promised days of the outcomes, read from the database. */
async function readPlaces(tx: Tx, outcomes: readonly CaseOutcome[]): Promise<Places> {
  const deptCodes = outcomes.flatMap((
    o,
  ) => ("evaluation" in o && o.evaluation.department ? [o.evaluation.department] : []));
  const regions = new Map<string, string>();
  const [rows, promised] = await Promise.all([
    deptCodes.length
      ? tx.select({ code: departments.code, region: departments.region }).from(departments)
        .where(inArray(departments.code, [...new Set(deptCodes)]))
      : Promise.resolve([]),
    promisedDaysOf(tx, outcomes),
  ]);
  for (const r of rows) regions.set(r.code, r.region);
  return { regions, promised };
}

/** The promised days of the items of the outcomes (the rankings' used/promised ratio). */
async function promisedDaysOf(tx: Tx, outcomes: readonly CaseOutcome[]): Promise<Map<string, number>> {
  const codes = [
    ...new Set(
      outcomes.flatMap((o) => ("evaluation" in o && o.evaluation.itemCode ? [o.evaluation.itemCode] : [])),
    ),
  ];
  const out = new Map<string, number>();
  if (codes.length === 0) return out;
  const rows = await tx.select({
    code: items.code,
    n: sql<number | null>`(${items.data}->>'promisedDays')::int`,
  })
    .from(items).where(inList(items.code, codes));
  for (const r of rows) if (r.n !== null) out.set(r.code, Number(r.n));
  return out;
}

/**
 * Send every plan's rows but the counters. The statements are independent, so they are sent at once:
 * on PostgreSQL they are pipelined on the transaction's connection, one wait for all instead of one per
 * statement.
 */
function writePlans(tx: Tx, plans: CasePlan[], now: number): Promise<unknown>[] {
  const writes: Promise<unknown>[] = writeCaseRows(tx, plans.map((p) => p.caseRow));
  const updates = plans.flatMap((p) => p.alertUpdates);
  if (updates.length) {
    const json = JSON.stringify(updates.map((u) => ({
      id: u.id,
      resolved_on: u.resolvedOn,
      voided_on: u.voidedOn,
      withdrawn_at: u.withdrawnAt?.toISOString() ?? null,
    })));
    // Sent now, in this order (a Drizzle query is sent when first awaited).
    writes.push(
      (async () =>
        await tx.execute(sql`update alerts a set resolved_on = v.resolved_on, voided_on = v.voided_on,
      withdrawn_at = v.withdrawn_at
      from jsonb_to_recordset(${json}::jsonb) as v(id bigint, resolved_on date, voided_on date, withdrawn_at timestamptz)
      where a.id = v.id`))(),
    );
  }
  writes.push(bulkInsert(
    tx,
    alertHistory,
    updates.flatMap((u) => u.history.map((h) => ({ alertId: u.id, ...h }))),
  ));
  writes.push(insertAlerts(tx, plans.flatMap((p) => p.newAlerts)));
  writes.push(bulkInsert(tx, findings, plans.flatMap((p) => p.findings), {
    target: [findings.caseId, findings.rule, findings.on],
    onConflict: ["state", "department"],
    set: { updated_at: "now()" },
  }));
  writes.push(bulkInsert(tx, manualQueue, plans.flatMap((p) => p.manual), {
    target: [
      manualQueue.caseId,
      manualQueue.rule,
      manualQueue.kind,
      manualQueue.subject,
      manualQueue.openedAt,
    ],
    onConflict: ["closedAt"],
  }));
  writes.push(
    bulkInsert(tx, liveFeed, plans.flatMap((p) => p.liveFeed).map((f) => ({ kind: "alert", ...f }))),
  );
  // Due at the injected clock's instant, not the database's now() (tests and replays run on their own clock).
  const outbox = plans.flatMap((p) => p.outbox).map((o) => ({
    ...o,
    createdAt: new Date(now),
    nextAttemptAt: new Date(now),
  }));
  writes.push(bulkInsert(tx, notificationsOutbox, outbox, { onConflict: "nothing" }));
  return writes;
}

/**
 * The counters' deltas, in one statement, the last of the batch's writes: a counter row (a department's
 * hall and key) is shared by concurrent batches and instances, which wait on its lock until this
 * transaction commits, so it is taken as late as possible. In key order, so that they lock shared rows
 * in the same order (no deadlock).
 */
function writeCounters(tx: Tx, deltas: CounterDelta[]): Promise<unknown> {
  const counterRows = deltas.map(({ delta, ...k }) => ({ ...k, value: delta }))
    .sort((a, b) => compareKeys(a, b));
  return bulkInsert(tx, counters, counterRows, {
    target: [counters.department, counters.hall, counters.metric, counters.rule, counters.day],
    onConflict: [],
    set: { value: "counters.value + excluded.value" },
  });
}

/**
 * New alerts and the history they start with, in one statement: each history entry joins the alert
 * it belongs to on the alert's identity (the columns of `alerts_identity_key`), so no id travels back.
 * An alert already stored (a concurrent writer) is left as it is, and so is its history. The entries
 * are inserted in plan order (their ids order each alert's history).
 */
async function insertAlerts(tx: Tx, list: readonly NewAlert[]): Promise<void> {
  if (list.length === 0) return;
  const rows = recordset(alerts, list.map((a) => a.row));
  const names = rows.names.map((n) => `"${n}"`).join(", ");
  const select = sql.raw(rows.select), columns = sql.raw(rows.columns);
  // Each entry carries its alert's identity beside the history columns.
  const entries = JSON.stringify(
    list.flatMap((a) =>
      a.history.map((h) => ({
        case_id: a.row.caseId,
        rule: a.row.rule,
        subject: a.row.subject,
        level: a.row.level,
        on: a.row.on,
        change: h.change,
        change_on: h.on,
      }))
    ).map((e, n) => ({ ...e, n })),
  );
  await tx.execute(sql`with inserted as (
      insert into alerts (${sql.raw(names)})
      select ${select} from jsonb_to_recordset(${rows.json}::jsonb) as x(${columns})
      on conflict do nothing
      returning id, case_id, rule, subject, level, "on")
    insert into alert_history (alert_id, change, "on")
    select i.id, h.change, h.change_on
    from jsonb_to_recordset(${entries}::jsonb)
      as h(case_id text, rule text, subject text, level text, "on" date, change text, change_on date, n bigint)
    join inserted i on i.case_id = h.case_id and i.rule = h.rule and i.subject = h.subject
      and i.level = h.level and i."on" = h."on"
    order by h.n`);
}

/**
 * The case rows: one statement per shape — evaluated or failed (a failed one keeps the rest of the
 * projection), its timeline replaced, appended to (the new events only, not the whole list) or kept.
 */
function writeCaseRows(tx: Tx, rows: readonly CaseWrite[]): Promise<unknown>[] {
  const shapes = new Map<string, CaseWrite[]>();
  for (const r of rows) {
    const key = `${r.evaluated ? "evaluated" : "failed"} ${
      r.timeline === null ? "kept" : "append" in r.timeline ? "append" : "replace"
    }`;
    const list = shapes.get(key);
    if (list) list.push(r);
    else shapes.set(key, [r]);
  }
  return [...shapes.values()].map((part) => {
    const first = part[0];
    const columns = Object.keys(first.evaluated ?? first.failed) as ColumnKey<typeof cases>[];
    const update = columns.filter((k) => k !== "caseId");
    const values = part.map((r): typeof cases.$inferInsert => {
      const row = r.evaluated ?? r.failed;
      if (r.timeline === null) return row;
      return { ...row, timeline: "append" in r.timeline ? r.timeline.append : r.timeline.replace };
    });
    if (first.timeline === null) {
      return bulkInsert(tx, cases, values, { target: [cases.caseId], onConflict: update });
    }
    if ("replace" in first.timeline) {
      return bulkInsert(tx, cases, values, { target: [cases.caseId], onConflict: [...update, "timeline"] });
    }
    // Append the new events to the kept timeline instead of sending it whole.
    return bulkInsert(tx, cases, values, {
      target: [cases.caseId],
      onConflict: update,
      set: { timeline: `coalesce("cases"."timeline", '[]'::jsonb) || excluded."timeline"` },
    });
  });
}

type CounterKey = { department: string; hall: string; metric: string; rule: string; day: string };
function compareKeys(a: CounterKey, b: CounterKey): number {
  for (const k of ["department", "hall", "metric", "rule", "day"] as const) {
    if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  }
  return 0;
}
