/**
 * The red cards of a period in the caller's scope, with their dispositions. Dispositions live only
 * in the cases' `review` events; the cases that have one are re-evaluated with the one evaluator
 * (rules/evaluate.ts) to learn which red card each disposition went to.
 *
 * @module
 */
import { and, asc, between, eq, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { alerts, departments, events, items } from "../../db/schema.ts";
import { alertKey } from "../../rules/alert_key.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import { type Scope, scopeWhere } from "../auth/scope.ts";
import { inList } from "../bulk.ts";
import type { AppDeps } from "../deps.ts";
import { loadCaseEvents } from "../recalc.ts";
import { loadItems } from "../reference.ts";
import type { Period } from "./params.ts";
import { type RedCard, redCard } from "./notice.ts";

/** Red cards dated in the period, neither voided nor withdrawn, in the scope. */
export async function loadRedCards(deps: AppDeps, tx: Tx, scope: Scope, period: Period): Promise<RedCard[]> {
  const rows = await tx.select({
    caseId: alerts.caseId,
    rule: alerts.rule,
    subject: alerts.subject,
    on: alerts.on,
    department: alerts.department,
    departmentName: departments.name,
    itemCode: alerts.itemCode,
    itemName: items.name,
  }).from(alerts)
    .leftJoin(departments, eq(departments.code, alerts.department))
    .leftJoin(items, eq(items.code, alerts.itemCode))
    .where(and(
      eq(alerts.level, "red"),
      between(alerts.on, period.from, period.to),
      isNull(alerts.voidedOn),
      isNull(alerts.withdrawnAt),
      scopeWhere(scope, { department: alerts.department, region: alerts.region, hall: alerts.hall }),
    ))
    .orderBy(asc(alerts.department), asc(alerts.on), asc(alerts.caseId), asc(alerts.rule));
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
