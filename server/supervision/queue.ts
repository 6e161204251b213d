/**
 * The manual supervision queue as the agency works it (RULES.md §6): open items of the scope with
 * filters (kind, region, department, age in working days), sort, who works on each and by when
 * (审核期限: by default 5 working days after the item opened; overdue ones are flagged), and the
 * decisions each kind of item takes — also in bulk, one reason for all, each recorded as its own
 * `review` event through {@linkcode recordReview}.
 *
 * @module
 */
import { and, asc, desc, eq, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { departments, events, manualQueue, regions } from "../../db/schema.ts";
import { users } from "../../db/schema_auth.ts";
import { queueAssignments } from "../../db/schema_supervision.ts";
import { dateIn, startOfDay } from "../../rules/dates.ts";
import { recordAudit } from "../audit.ts";
import { inList } from "../write/bulk.ts";
import type { Explanation } from "../cases/answers.ts";
import type { Principal } from "../auth/principal.ts";
import { assertFilterInScope, regionTree, scopeWhere } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { parseReviewInput, recordReview } from "../routes/reviews.ts";
import { actorOf } from "./common.ts";

/** Working days a queue item may wait for its decision unless an assignment sets another deadline. */
export const DEFAULT_REVIEW_DAYS = 5;
/** Most items the page lists. */
export const QUEUE_LIMIT = 500;

/** The queue's filters and sort. */
export interface QueueFilter {
  kind?: string;
  region?: string;
  department?: string;
  /** Only items waiting at least this many working days. */
  minAge?: number;
  /** `mine`: assigned to the caller; `none`: unassigned. */
  assignee?: string;
  /** Only items past their review deadline. */
  overdue?: boolean;
  sort?: "oldest" | "newest" | "due";
}

/** One open item. */
export interface QueueItem {
  id: number;
  caseId: string;
  rule: string;
  kind: string;
  subject: string | null;
  department: string | null;
  departmentName: string | null;
  region: string | null;
  regionName: string | null;
  openedAt: number;
  ageWorkdays: number;
  assignee: string | null;
  assigneeName: string | null;
  reviewDueOn: string;
  reviewOverdue: boolean;
}

/** The open items of the scope matching the filter. */
export async function listQueueItems(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  f: QueueFilter = {},
): Promise<QueueItem[]> {
  const calendar = deps.calendar.calendar;
  const today = dateIn(deps.clock());
  const where: (SQL | undefined)[] = [
    isNull(manualQueue.closedAt),
    scopeWhere(p.scope, { department: manualQueue.department, region: manualQueue.region }),
  ];
  if (f.kind) where.push(eq(manualQueue.kind, f.kind));
  if (f.department) {
    assertFilterInScope(p, { department: f.department });
    where.push(eq(manualQueue.department, f.department));
  }
  if (f.region) {
    assertFilterInScope(p, { region: f.region });
    where.push(inArray(manualQueue.region, [...await regionTree(tx, f.region)]));
  }
  if (f.minAge && f.minAge > 0) {
    // Waiting ≥ k working days ⇔ opened before the day after the (ordinal(today) − k)-th working day.
    const cutoff = calendar.dateOfOrdinal(Math.max(1, calendar.ordinal(today) - f.minAge + 1));
    where.push(lt(manualQueue.openedAt, new Date(startOfDay(cutoff))));
  }
  const latest = tx.$with("latest").as(
    tx.selectDistinctOn([queueAssignments.queueId], {
      queueId: queueAssignments.queueId,
      assignee: queueAssignments.assignee,
      dueOn: queueAssignments.dueOn,
    }).from(queueAssignments).orderBy(queueAssignments.queueId, desc(queueAssignments.id)),
  );
  if (f.assignee === "none") where.push(sql`latest.assignee is null`);
  else if (f.assignee) where.push(sql`latest.assignee = ${f.assignee}`);
  const rows = await tx.with(latest).select({
    id: manualQueue.id,
    caseId: manualQueue.caseId,
    rule: manualQueue.rule,
    kind: manualQueue.kind,
    subject: manualQueue.subject,
    department: manualQueue.department,
    departmentName: departments.name,
    region: manualQueue.region,
    regionName: regions.name,
    openedAt: manualQueue.openedAt,
    assignee: latest.assignee,
    dueOn: latest.dueOn,
    assigneeName: users.displayName,
  }).from(manualQueue)
    .leftJoin(departments, eq(departments.code, manualQueue.department))
    .leftJoin(regions, eq(regions.code, manualQueue.region))
    .leftJoin(latest, eq(latest.queueId, manualQueue.id))
    .leftJoin(users, eq(users.username, latest.assignee))
    .where(and(...where))
    .orderBy(
      f.sort === "newest" ? desc(manualQueue.openedAt) : asc(manualQueue.openedAt),
      asc(manualQueue.id),
    )
    .limit(QUEUE_LIMIT);
  const items = rows.map((r): QueueItem => {
    const opened = dateIn(r.openedAt.getTime());
    const reviewDueOn = r.dueOn ?? calendar.addWorkdays(opened, DEFAULT_REVIEW_DAYS);
    return {
      id: r.id,
      caseId: r.caseId,
      rule: r.rule,
      kind: r.kind,
      subject: r.subject || null,
      department: r.department,
      departmentName: r.departmentName,
      region: r.region,
      regionName: r.regionName,
      openedAt: r.openedAt.getTime(),
      ageWorkdays: calendar.workdaysBetween(opened, today),
      assignee: r.assignee,
      assigneeName: r.assigneeName,
      reviewDueOn,
      reviewOverdue: today > reviewDueOn,
    };
  });
  if (f.overdue) items.splice(0, items.length, ...items.filter((i) => i.reviewOverdue));
  if (f.sort === "due") {
    items.sort((a, b) => a.reviewDueOn.localeCompare(b.reviewDueOn) || a.openedAt - b.openedAt);
  }
  return items;
}

/** The supervisors a caller may assign items to: active province accounts and region accounts of the scope. */
export async function assignableSupervisors(
  tx: Tx,
  p: Principal,
): Promise<{ username: string; name: string }[]> {
  const rows = await tx.select({
    username: users.username,
    name: users.displayName,
    role: users.role,
    region: users.region,
  })
    .from(users).where(and(eq(users.active, true), inArray(users.role, ["province", "region"])))
    .orderBy(asc(users.username));
  const regionsSet = p.scope.regions;
  return rows.filter((u) =>
    p.scope.departments === "all"
      ? true
      : u.role === "region" && regionsSet !== "all" && u.region !== null && regionsSet.has(u.region)
  ).map(({ username, name }) => ({ username, name }));
}

/** The open items by id that the caller may decide (the rest answer 404). */
async function openItems(tx: Tx, p: Principal, ids: readonly number[]) {
  if (ids.length === 0) {
    throw new ValidationError("items: 请至少选择一项 (select at least one item)", { field: "items" });
  }
  const rows = await tx.select().from(manualQueue).where(and(
    inArray(manualQueue.id, [...ids]),
    scopeWhere(p.scope, { department: manualQueue.department, region: manualQueue.region }),
  ));
  if (rows.length !== new Set(ids).size) throw new NotFoundError("没有此人工监察事项 (no such queue item)");
  return rows;
}

/** Assign items to a supervisor and/or set their review deadline (audited). */
export async function assignQueueItems(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  ids: readonly number[],
  input: { assignee?: string | null; dueOn?: string | null },
  ip: string | null,
): Promise<number> {
  const rows = await openItems(tx, p, ids);
  if (input.assignee) {
    const ok = (await assignableSupervisors(tx, p)).some((s) => s.username === input.assignee);
    if (!ok) {
      throw new ValidationError("assignee: 没有此监察人员 (unknown supervisor)", { field: "assignee" });
    }
  }
  if (input.dueOn && input.dueOn < dateIn(deps.clock())) {
    throw new ValidationError("dueOn: 审核期限不能早于今天 (must not be in the past)", { field: "dueOn" });
  }
  const now = deps.clock();
  const actor = actorOf(p);
  // A field not given keeps its current value (the latest assignment's).
  const current = new Map(
    (await tx.selectDistinctOn([queueAssignments.queueId], {
      queueId: queueAssignments.queueId,
      assignee: queueAssignments.assignee,
      dueOn: queueAssignments.dueOn,
    }).from(queueAssignments).where(inArray(queueAssignments.queueId, rows.map((r) => r.id)))
      .orderBy(queueAssignments.queueId, desc(queueAssignments.id))).map((a) => [a.queueId, a]),
  );
  await tx.transaction(async (t) => {
    await t.insert(queueAssignments).values(rows.map((r) => ({
      queueId: r.id,
      assignee: input.assignee === undefined ? current.get(r.id)?.assignee ?? null : input.assignee,
      dueOn: input.dueOn === undefined ? current.get(r.id)?.dueOn ?? null : input.dueOn,
      by: actor.by,
      byOffice: actor.byOffice,
      at: new Date(now),
    })));
    await recordAudit(t, {
      actor: actor.by,
      role: p.role,
      action: "queue.assign",
      target: rows.map((r) => r.caseId).join(","),
      detail: { items: rows.map((r) => r.id), ...input, office: actor.byOffice },
      ip,
      at: new Date(now),
    });
  });
  return rows.length;
}

/** A decision the queue offers, by item kind. */
export const QUEUE_ACTIONS = {
  confirm: { label: "确认预警有效", kinds: ["late_correction", "new_materials"] },
  void: { label: "作废预警", kinds: ["late_correction", "new_materials"] },
  judge_abnormal: { label: "研判：纳入异常", kinds: ["feedback"] },
  judge_normal: { label: "研判：不计异常", kinds: ["feedback"] },
  close_abnormal: { label: "核实：维持异常", kinds: ["investigation"] },
  close_normal: { label: "核实：不计异常", kinds: ["investigation"] },
} as const;
/** A queue decision. */
export type QueueAction = keyof typeof QUEUE_ACTIONS;

/** Whether a decision fits an item kind. */
export function actionFits(action: QueueAction, kind: string): boolean {
  return (QUEUE_ACTIONS[action].kinds as readonly string[]).includes(kind);
}

/** The review a queue decision records on one item. */
function reviewOf(action: QueueAction, item: { rule: string; subject: string | null }, reason: string) {
  const base = { rule: item.rule, ...(item.subject ? { subject: item.subject } : {}), reason };
  switch (action) {
    case "confirm":
      return { action: "confirm", ...base };
    case "void":
      return { action: "void", ...base };
    case "judge_abnormal":
    case "judge_normal":
      return { action: "judge", ...base, abnormal: action === "judge_abnormal" };
    case "close_abnormal":
    case "close_normal":
      return { action: "close_investigation", ...base, abnormal: action === "close_abnormal" };
  }
}

/** What a (bulk) decision did, per item. */
export interface DecisionReport {
  decided: { id: number; caseId: string; applied: boolean; note: string | null }[];
  /** Items the decision does not fit (another kind), left open. */
  skipped: { id: number; caseId: string; kind: string }[];
}

/** Decide items with one reason: each fitting item gets its own `review` event (audited). */
export async function decideQueueItems(
  deps: AppDeps,
  p: Principal,
  ids: readonly number[],
  action: QueueAction,
  reason: string,
  ip: string | null,
): Promise<DecisionReport> {
  const rows = await openItems(deps.database.db, p, ids);
  const report: DecisionReport = { decided: [], skipped: [] };
  for (const r of rows.sort((a, b) => a.id - b.id)) {
    if (r.closedAt !== null || !actionFits(action, r.kind)) {
      report.skipped.push({ id: r.id, caseId: r.caseId, kind: r.kind });
      continue;
    }
    const input = parseReviewInput(reviewOf(action, { rule: r.rule, subject: r.subject || null }, reason));
    const out = await recordReview(deps, p, r.caseId, input, ip);
    report.decided.push({
      id: r.id,
      caseId: r.caseId,
      applied: out.record?.applied ?? false,
      note: out.record?.note ?? null,
    });
  }
  return report;
}

/** A staff appeal (9.10) of a listed case, as the queue shows it beside the item of its rule. */
export interface QueueAppeal {
  caseId: string;
  rule: string;
  text: string;
  at: string;
  /** Who sent it: the department account (or department system). */
  by: string;
}

/**
 * The appeals of some cases, from the stored `appeal` events (by the case index; quarantined ones left
 * out, as the evaluator leaves them out) — not from the cases' kept timelines, which a case gets only
 * when it is next evaluated.
 */
export async function appealsFor(tx: Tx, caseIds: readonly string[]): Promise<Map<string, QueueAppeal[]>> {
  const out = new Map<string, QueueAppeal[]>();
  if (caseIds.length === 0) return out;
  const rows = await tx.select({ caseId: events.caseId, sender: events.sender, payload: events.payload })
    .from(events)
    .where(
      and(
        inList(events.caseId, [...new Set(caseIds)]),
        eq(events.type, "appeal"),
        isNull(events.quarantined),
      ),
    );
  const found = rows.map((r) => {
    const e = r.payload as { rule?: string; text?: string; at?: string };
    return { caseId: r.caseId, rule: e.rule ?? "", text: e.text ?? "", at: e.at ?? "", by: r.sender };
  }).sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  for (const a of found) out.set(a.caseId, [...(out.get(a.caseId) ?? []), a]);
  return out;
}

/** The explanations and appeals that answer a queue item: explanations of its rule and subject, appeals of its rule. */
export function answersOf(
  item: Pick<QueueItem, "caseId" | "rule" | "subject">,
  explanations: Map<string, Explanation[]>,
  appeals: Map<string, QueueAppeal[]>,
): { explanations: Explanation[]; appeals: QueueAppeal[] } {
  return {
    explanations: (explanations.get(item.caseId) ?? []).filter((e) =>
      e.rule === item.rule && (e.subject || null) === item.subject
    ),
    appeals: (appeals.get(item.caseId) ?? []).filter((a) => a.rule === item.rule),
  };
}
