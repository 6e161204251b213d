/**
 * The red cards of a period in the caller's scope, with their dispositions. Dispositions live only
 * in the cases' `review` events; the cases that have one are re-evaluated with the one evaluator
 * (rules/evaluate.ts) to learn which red card each disposition went to.
 *
 * @module
 */
import { and, asc, between, count, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { alerts, departments, events, items } from "../../db/schema.ts";
import { alertKey } from "../../rules/alert_key.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import { type Scope, scopeWhere } from "../auth/scope.ts";
import { inList } from "../write/bulk.ts";
import type { AppDeps } from "../deps.ts";
import { loadCaseEvents } from "../write/recalc.ts";
import { loadItems } from "../reference.ts";
import type { Period } from "./params.ts";
import { compareGroups, type DepartmentCards, groupName, type RedCard, redCard } from "./notice.ts";

/** The cards of the period in the scope: red, neither voided nor withdrawn. */
function periodCards(scope: Scope, period: Period) {
  return and(
    eq(alerts.level, "red"),
    between(alerts.on, period.from, period.to),
    isNull(alerts.voidedOn),
    isNull(alerts.withdrawnAt),
    scopeWhere(scope, { department: alerts.department, region: alerts.region, hall: alerts.hall }),
  );
}

const CARD = {
  caseId: alerts.caseId,
  rule: alerts.rule,
  subject: alerts.subject,
  on: alerts.on,
  department: alerts.department,
  departmentName: departments.name,
  itemCode: alerts.itemCode,
  itemName: items.name,
};

/** Red cards dated in the period, neither voided nor withdrawn, in the scope. */
export async function loadRedCards(deps: AppDeps, tx: Tx, scope: Scope, period: Period): Promise<RedCard[]> {
  const rows = await tx.select(CARD).from(alerts)
    .leftJoin(departments, eq(departments.code, alerts.department))
    .leftJoin(items, eq(items.code, alerts.itemCode))
    .where(periodCards(scope, period))
    .orderBy(asc(alerts.department), asc(alerts.on), asc(alerts.caseId), asc(alerts.rule));
  return await withDispositions(deps, tx, rows);
}

/** A department of a notice and its number of cards. */
export type CardGroup = Omit<DepartmentCards, "cards">;

/** The departments with cards in the period, in a notice's order (most cards first, then by name). */
export async function redCardGroups(tx: Tx, scope: Scope, period: Period): Promise<CardGroup[]> {
  const counted = await tx.select({ code: alerts.department, name: departments.name, count: count() })
    .from(alerts).leftJoin(departments, eq(departments.code, alerts.department))
    .where(periodCards(scope, period)).groupBy(alerts.department, departments.name);
  return counted.map((g) => ({ code: g.code, name: groupName(g.code, g.name), count: Number(g.count) }))
    .sort(compareGroups);
}

/**
 * The same cards as {@linkcode loadRedCards}, a page at a time, for exports that must not hold a period
 * whole: the groups' cards one after another (by date, case, rule, subject), keyset pages of
 * `pageSize` each, with their dispositions.
 */
export async function* redCardPages(
  deps: AppDeps,
  tx: Tx,
  scope: Scope,
  period: Period,
  groups: readonly CardGroup[],
  pageSize = 1000,
): AsyncGenerator<{ group: CardGroup; cards: RedCard[] }> {
  for (const group of groups) {
    let after: { on: string; caseId: string; rule: string; subject: string } | null = null;
    for (;;) {
      const rows: CardRow[] = await tx.select(CARD).from(alerts)
        .leftJoin(departments, eq(departments.code, alerts.department))
        .leftJoin(items, eq(items.code, alerts.itemCode))
        .where(and(
          periodCards(scope, period),
          group.code === null ? isNull(alerts.department) : eq(alerts.department, group.code),
          after
            ? sql`(${alerts.on}, ${alerts.caseId} collate "C", ${alerts.rule} collate "C", ${alerts.subject} collate "C")
                > (${after.on}, ${after.caseId} collate "C", ${after.rule} collate "C", ${after.subject} collate "C")`
            : undefined,
        ))
        .orderBy(
          asc(alerts.on),
          sql`${alerts.caseId} collate "C"`,
          sql`${alerts.rule} collate "C"`,
          sql`${alerts.subject} collate "C"`,
        )
        .limit(pageSize);
      if (rows.length === 0) break;
      const last = rows[rows.length - 1];
      after = { on: last.on, caseId: last.caseId, rule: last.rule, subject: last.subject };
      yield { group, cards: await withDispositions(deps, tx, rows) };
      if (rows.length < pageSize) break;
    }
  }
}

type CardRow = {
  caseId: string;
  rule: string;
  subject: string;
  on: string;
  department: string | null;
  departmentName: string | null;
  itemCode: string | null;
  itemName: string | null;
};

async function withDispositions(deps: AppDeps, tx: Tx, rows: CardRow[]): Promise<RedCard[]> {
  const dispositions = await loadDispositions(deps, tx, [...new Set(rows.map((r) => r.caseId))]);
  return rows.map((r) => {
    const subject = r.subject || null;
    return redCard({
      ...r,
      subject,
      disposition: dispositions.get(alertKey({ ...r, case: r.caseId, level: "red" })) ?? null,
    });
  });
}

/** Dispositions by red card (case, rule, subject, date) for those of the cases that have one. */
async function loadDispositions(deps: AppDeps, tx: Tx, caseIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (caseIds.length === 0) return out;
  const disposed = await tx.selectDistinct({ caseId: events.caseId }).from(events).where(and(
    inList(events.caseId, caseIds),
    eq(events.type, "review"),
    isNull(events.quarantined),
    sql`${events.payload}->>'action' = 'dispose'`,
  ));
  if (disposed.length === 0) return out;
  const byCase = await loadCaseEvents(tx, disposed.map((d) => d.caseId));
  const codes = [...byCase.values()].flatMap((list) =>
    list.flatMap((e) => (e.type === "received" ? [e.item] : []))
  );
  const itemMap = await loadItems(tx, codes);
  const store = deps.calendar;
  const asOf = deps.clock();
  for (const [caseId, list] of byCase) {
    try {
      const ev = evaluateCase({
        caseId,
        events: list,
        item: (c) => itemMap.get(c),
        calendar: store.calendar,
        asOf,
      });
      for (const d of ev.dispositions) out.set(alertKey({ ...d, case: caseId, level: "red" }), d.disposition);
    } catch (err) {
      // The notice still lists the card; only its disposition is unknown.
      console.error(`evaluating case ${caseId} for its dispositions failed:`, err);
    }
  }
  return out;
}
