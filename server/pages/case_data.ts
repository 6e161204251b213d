/**
 * What the case pages show, read from the database: one case evaluated afresh with its names, the
 * case list with live countdowns, and the open manual supervision queue — each limited to the
 * caller's scope.
 *
 * @module
 */
import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { cases, departments, halls, items, manualQueue } from "../../db/schema.ts";
import type { Calendar } from "../../rules/calendar.ts";
import { dateIn } from "../../rules/dates.ts";
import type { Evaluation } from "../../rules/evaluate.ts";
import type { IsoDate } from "../../rules/types.ts";
import type { Principal } from "../auth/principal.ts";
import { assertCanSeeCase, scopeWhere, seesFullApplicant } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError } from "../errors.ts";
import { maskName } from "../privacy.ts";
import { loadQuarantinedEvents, type QuarantinedEvent } from "../quarantine.ts";
import { evaluateStoredCase } from "../recalc.ts";
import { roleCan } from "../auth/roles.ts";
import { listOrders, type OrderView } from "../supervision/orders.ts";

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
  /** Events set aside (已隔离): stored, not evaluated (server/quarantine.ts). */
  quarantined: QuarantinedEvent[];
  /** Supervision orders on the case (server/supervision/orders.ts), for readers of orders. */
  orders: OrderView[];
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
  const [names, quarantined, orders] = await Promise.all([
    nameOf(tx, evaluation.itemCode, evaluation.department, evaluation.hall),
    loadQuarantinedEvents(tx, caseId),
    roleCan(p.role, "orders:read") ? listOrders(tx, p, { case: caseId }) : [],
  ]);
  return { caseId, evaluation, ...names, fullApplicant: seesFullApplicant(p, row), now, quarantined, orders };
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

/**
 * remaining(today) of a stored case: counted afresh from its deadline while it runs (the stored value
 * is as of its last evaluation), else the stored (frozen) value.
 */
export function liveRemaining(
  calendar: Calendar,
  today: IsoDate,
  row: { status: string; deadline: string | null; remaining: number | null; paused: boolean },
): number | null {
  if (row.status !== "accepted" || row.paused || row.deadline === null) return row.remaining;
  return today <= row.deadline
    ? calendar.workdaysBetween(today, row.deadline)
    : -calendar.workdaysBetween(row.deadline, today);
}

/** Filters of the case list. */
export interface CaseListFilter {
  department?: string;
  /** `open` (待受理 and 受理中), a status, or `all`. */
  status: string;
  /** Only cases with an unvoided red card. */
  red: boolean;
}

/** One line of the case list. */
export interface CaseListRow {
  caseId: string;
  status: string;
  itemName: string | null;
  departmentName: string | null;
  applicant: string;
  receivedOn: string | null;
  deadline: string | null;
  remaining: number | null;
  paused: boolean;
  red: number;
  warnings: number;
}

/** Most cases the list shows. */
export const CASE_LIST_LIMIT = 300;

/** The cases in scope matching the filter, sorted by live remaining (most urgent first). */
export async function listCases(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  filter: CaseListFilter,
): Promise<{ rows: CaseListRow[]; truncated: boolean; today: IsoDate }> {
  const where: (SQL | undefined)[] = [
    scopeWhere(p.scope, { department: cases.department, region: cases.region, hall: cases.hall }),
  ];
  if (filter.department) where.push(eq(cases.department, filter.department));
  if (filter.status === "open") where.push(inArray(cases.status, ["received", "accepted"]));
  else if (filter.status !== "all") where.push(eq(cases.status, filter.status));
  if (filter.red) {
    where.push(sql`exists (select 1 from alerts a where a.case_id = ${cases.caseId} and a.level = 'red'
      and a.voided_on is null and a.withdrawn_at is null)`);
  }
  // Ordered by deadline, which orders running cases by remaining; paused ones (no deadline) follow.
  const found = await tx.select({
    caseId: cases.caseId,
    status: cases.status,
    itemName: items.name,
    departmentName: departments.name,
    applicantName: cases.applicantName,
    receivedOn: cases.receivedOn,
    deadline: cases.deadline,
    remaining: cases.remaining,
    paused: cases.paused,
    result: cases.result,
  }).from(cases)
    .leftJoin(items, eq(items.code, cases.itemCode))
    .leftJoin(departments, eq(departments.code, cases.department))
    .where(and(...where))
    .orderBy(sql`${cases.deadline} asc nulls last`, asc(cases.caseId))
    .limit(CASE_LIST_LIMIT + 1);
  const { calendar } = deps.calendar;
  const today = dateIn(deps.clock());
  const rows = found.slice(0, CASE_LIST_LIMIT).map((r) => {
    const alerts = (r.result as { alerts?: { level: string; resolved: string | null; voided?: string }[] })
      .alerts ?? [];
    return {
      caseId: r.caseId,
      status: r.status,
      itemName: r.itemName,
      departmentName: r.departmentName,
      applicant: maskName(r.applicantName),
      receivedOn: r.receivedOn,
      deadline: r.deadline,
      remaining: liveRemaining(calendar, today, r),
      paused: r.paused,
      red: alerts.filter((a) => a.level === "red" && !a.voided).length,
      warnings: alerts.filter((a) => a.level === "warning" && a.resolved === null && !a.voided).length,
    };
  });
  rows.sort((a, b) => (a.remaining ?? Infinity) - (b.remaining ?? Infinity));
  return { rows, truncated: found.length > CASE_LIST_LIMIT, today };
}

/** The departments the caller may filter by. */
export async function visibleDepartments(tx: Tx, p: Principal): Promise<{ code: string; name: string }[]> {
  return await tx.select({ code: departments.code, name: departments.name }).from(departments)
    .where(scopeWhere(p.scope, { department: departments.code, region: departments.region }))
    .orderBy(asc(departments.code));
}

/** One open manual supervision item. */
export interface QueueRow {
  caseId: string;
  rule: string;
  kind: string;
  subject: string | null;
  departmentName: string | null;
  openedAt: number;
  ageWorkdays: number;
}

/** The open manual supervision items in scope, oldest first, with their age in working days. */
export async function listQueue(deps: AppDeps, tx: Tx, p: Principal): Promise<QueueRow[]> {
  const rows = await tx.select({
    caseId: manualQueue.caseId,
    rule: manualQueue.rule,
    kind: manualQueue.kind,
    subject: manualQueue.subject,
    departmentName: departments.name,
    openedAt: manualQueue.openedAt,
  }).from(manualQueue)
    .leftJoin(departments, eq(departments.code, manualQueue.department))
    .where(and(
      isNull(manualQueue.closedAt),
      scopeWhere(p.scope, { department: manualQueue.department, region: manualQueue.region }),
    ))
    .orderBy(asc(manualQueue.openedAt), asc(manualQueue.id));
  const { calendar } = deps.calendar;
  const today = dateIn(deps.clock());
  return rows.map((r) => ({
    ...r,
    subject: r.subject || null,
    openedAt: r.openedAt.getTime(),
    ageWorkdays: calendar.workdaysBetween(dateIn(r.openedAt.getTime()), today),
  }));
}
