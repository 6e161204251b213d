/**
 * What the case pages show, read from the database: one case evaluated afresh with its names, the
 * filter choices of the case list (the list itself: server/cases/list_query.ts), and the open manual
 * supervision queue — each limited to the caller's scope.
 *
 * @module
 */
import { asc, eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { cases, departments, halls, items } from "../../db/schema.ts";
import { dateIn } from "../../rules/dates.ts";
import type { Evaluation } from "../../rules/evaluate.ts";
import type { Principal } from "../auth/principal.ts";
import { assertCanSeeCase, scopeWhere, seesFullApplicant } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError } from "../errors.ts";
import { loadQuarantinedEvents, type QuarantinedEvent } from "../write/quarantine.ts";
import { evaluateStoredCase } from "../write/recalc.ts";
import { roleCan } from "../auth/roles.ts";
import { listOrders, type OrderView } from "../supervision/orders.ts";
import { type Explanation, explanationsFor } from "../cases/answers.ts";
import { isActive } from "../../rules/active_alerts.ts";
import { appealDeadline } from "../../rules/rule_9.ts";
import type { Alert, Item } from "../../rules/types.ts";
import type { ProjectedFinding } from "../../rules/projection.ts";
import { type Guidance, guidance } from "./alert_guidance.ts";

/** One case as its page shows it. */
export interface CasePageData {
  caseId: string;
  evaluation: Evaluation;
  itemName: string | null;
  departmentName: string | null;
  hallName: string | null;
  /** Whether the caller sees the applicant's full name and contact. */
  fullApplicant: boolean;
  /** The instant the page was evaluated at (epoch ms). */
  now: number;
  /** Events set aside (已隔离): stored, not evaluated (server/write/quarantine.ts). */
  quarantined: QuarantinedEvent[];
  /** Supervision orders on the case (server/supervision/orders.ts), for readers of orders. */
  orders: OrderView[];
  /** The active alerts, in the order of `evaluation.result.alerts`, each with why and what to do. */
  guidance: { alert: Alert; guidance: Guidance }[];
  /** Department explanations (情况说明) on the case's alerts and findings, oldest first. */
  explanations: Explanation[];
  /** Each of `evaluation.findings` with its 9.10 appeal window (null: never judged abnormal). */
  findings: { finding: ProjectedFinding; appeal: AppealWindow | null }[];
}

/** When a finding was judged abnormal, the last day to appeal (9.10), and whether that is still open. */
export interface AppealWindow {
  judged: string;
  until: string;
  open: boolean;
}

/** Load a case for its page; 404 when unknown or outside the caller's scope. */
export async function loadCasePage(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  caseId: string,
): Promise<CasePageData> {
  const [row] = await tx.select({ department: cases.department, region: cases.region, hall: cases.hall })
    .from(cases).where(eq(cases.caseId, caseId));
  if (!row) throw new NotFoundError("没有此办件 (no such case)"); // as out of scope: ids cannot be probed
  assertCanSeeCase(p, row);
  const now = deps.clock();
  const evaluation = await evaluateStoredCase(deps, tx, caseId, now);
  if (!evaluation) throw new NotFoundError("没有此办件 (no such case)");
  const [names, quarantined, orders, explained, item] = await Promise.all([
    nameOf(tx, evaluation.itemCode, evaluation.department, evaluation.hall),
    loadQuarantinedEvents(tx, caseId),
    roleCan(p.role, "orders:read") ? listOrders(tx, p, { case: caseId }) : [],
    explanationsFor(tx, [caseId]),
    evaluation.itemCode
      ? tx.select({ data: items.data }).from(items).where(eq(items.code, evaluation.itemCode))
        .then((r) => (r[0]?.data ?? null) as Item | null)
      : null,
  ]);
  const { calendar } = deps.calendar;
  const today = dateIn(now);
  const active = evaluation.result.alerts.filter(isActive)
    .map((alert) => ({ alert, guidance: guidance(alert, evaluation, item, calendar, today) }));
  const appealOf = (f: ProjectedFinding): AppealWindow | null => {
    const judged = f.transitions.find((t) => t.state === "abnormal");
    if (!judged) return null;
    const j = dateIn(judged.at);
    const until = appealDeadline({ calendar }, j);
    return { judged: j, until, open: f.transitions.at(-1)!.state === "abnormal" && today <= until };
  };
  return {
    caseId,
    evaluation,
    ...names,
    fullApplicant: seesFullApplicant(p, row),
    now,
    quarantined,
    orders,
    guidance: active,
    explanations: explained.get(caseId) ?? [],
    findings: evaluation.findings.map((finding) => ({ finding, appeal: appealOf(finding) })),
  };
}

async function nameOf(tx: Tx, item: string | null, department: string | null, hall: string | null) {
  const one = async (q: Promise<{ name: string }[]>) => (await q)[0]?.name ?? null;
  const [itemName, departmentName, hallName] = await Promise.all([
    item ? one(tx.select({ name: items.name }).from(items).where(eq(items.code, item))) : null,
    department
      ? one(tx.select({ name: departments.name }).from(departments).where(eq(departments.code, department)))
      : null,
    hall ? one(tx.select({ name: halls.name }).from(halls).where(eq(halls.code, hall))) : null,
  ]);
  return { itemName, departmentName, hallName };
}

/** Most items or halls a filter offers as a choice list (a province-wide list would be too long). */
const MAX_CHOICES = 300;

/** The items of the caller's departments, for the item filter; none when there are too many. */
export async function visibleItems(tx: Tx, p: Principal): Promise<{ code: string; name: string }[]> {
  const rows = await tx.select({ code: items.code, name: items.name }).from(items)
    .where(scopeWhere(p.scope, { department: items.department }))
    .orderBy(asc(items.code)).limit(MAX_CHOICES + 1);
  return rows.length > MAX_CHOICES ? [] : rows;
}

/** The halls of the caller's scope, for the hall filter; none when there are too many. */
export async function visibleHalls(tx: Tx, p: Principal): Promise<{ code: string; name: string }[]> {
  if (
    p.scope.halls !== "all" && p.scope.halls.size === 0 && p.scope.regions !== "all" &&
    p.scope.regions.size === 0
  ) {
    return [];
  }
  const rows = await tx.select({ code: halls.code, name: halls.name }).from(halls)
    .where(scopeWhere(p.scope, { region: halls.region, hall: halls.code }))
    .orderBy(asc(halls.code)).limit(MAX_CHOICES + 1);
  return rows.length > MAX_CHOICES ? [] : rows;
}

/** The departments the caller may filter by. */
export async function visibleDepartments(tx: Tx, p: Principal): Promise<{ code: string; name: string }[]> {
  return await tx.select({ code: departments.code, name: departments.name }).from(departments)
    .where(scopeWhere(p.scope, { department: departments.code, region: departments.region }))
    .orderBy(asc(departments.code));
}
