/**
 * Supervision orders (督办, RULES.md §5): a supervisor issues one on an alert or a nonconforming
 * spot-check result, addressed to the case's department, with a reply period of k working days; the
 * department replies (整改情况); the supervisor accepts (办结) or returns it with a new deadline (退回).
 * An order without a reply turns overdue (逾期未反馈) at 00:00 of addWorkdays(date, k + 1), applied by
 * the scheduler ({@linkcode markOverdueOrders}). Every step is a row of `order_steps` and an audit
 * record in the same transaction; each new order is also a message to the work portal.
 *
 * @module
 */
import { and, asc, desc, eq, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { z } from "zod";
import { query, type Tx } from "../../db/client.ts";
import { alerts, cases, departments, notificationsOutbox } from "../../db/schema.ts";
import { orderSteps, spotCheckResults, supervisionOrders } from "../../db/schema_supervision.ts";
import { dateIn } from "../../rules/dates.ts";
import { ruleName } from "../../rules/names.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import { roleCan } from "../auth/roles.ts";
import { assertCanDecideCase, assertFilterInScope, inScope, scopeWhere } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { type Actor, actorOf, DateField, parseInput, TextField } from "./common.ts";
import { DEFAULT_ORDER_DAYS, MAX_ORDER_DAYS, orderDeadline, overdueAfter } from "./order_dates.ts";

/** The rule id of an order opened from a spot-check result. */
export const SPOT_CHECK_RULE = "spot_check";

const Days = z.number({ error: "应为整数 (must be an integer)" }).int("应为整数 (must be an integer)")
  .min(1, "至少 1 个工作日 (at least 1)").max(MAX_ORDER_DAYS, `最多 ${MAX_ORDER_DAYS} 个工作日`);

/** An order on an alert, or on a spot-check result (`spotCheck` + `case`). */
export const OrderInput = z.object({
  case: z.string({ error: "必填 (required)" }).trim().min(1, "必填 (required)").max(128),
  rule: z.string().trim().min(1).max(16).optional(),
  level: z.enum(["warning", "red"], { error: "应为 warning 或 red" }).optional(),
  on: DateField.optional(),
  subject: z.string().trim().max(200).optional().transform((s) => (s ? s : undefined)),
  spotCheck: z.number().int().positive().optional(),
  days: Days.optional(),
  text: TextField(4000),
}).strict().superRefine((v, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (v.spotCheck !== undefined) {
    for (const k of ["rule", "level", "on", "subject"] as const) {
      if (v[k] !== undefined) {
        issue(k, "针对抽查结果的督办不需要此项 (not for an order on a spot-check result)");
      }
    }
  } else {
    if (v.rule === undefined) issue("rule", "必填：督办针对的规则 (required)");
    if (v.level === undefined) issue("level", "必填：预警 warning 或红牌 red (required)");
    if (v.on === undefined) issue("on", "必填：告警日期 (required)");
  }
});
/** A validated order. */
export type OrderInput = z.infer<typeof OrderInput>;

/** A department's reply. */
export const ReplyInput = z.object({ text: TextField(4000) }).strict();
/** The supervisor's acceptance (an optional remark). */
export const AcceptInput = z.object({ text: z.string().trim().max(4000).optional() }).strict();
/** A return with a new deadline: `days` from today (default 5) or an explicit `dueOn`. */
export const ReturnInput = z.object({
  text: TextField(4000),
  days: Days.optional(),
  dueOn: DateField.optional(),
})
  .strict().superRefine((v, ctx) => {
    if (v.days !== undefined && v.dueOn !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["dueOn"],
        message: "days 与 dueOn 只能给一个 (give one of days, dueOn)",
      });
    }
  });

/** An order as the API answers it. */
export interface OrderView {
  id: number;
  case: string;
  rule: string;
  ruleName: string;
  level: string;
  on: string;
  subject: string | null;
  spotCheck: number | null;
  department: string | null;
  departmentName: string | null;
  text: string;
  days: number;
  issuedAt: string;
  issuedBy: string;
  issuedByOffice: string;
  dueOn: string;
  overdueAt: string;
  state: "open" | "replied" | "overdue" | "closed";
  steps: {
    action: string;
    text: string | null;
    dueOn: string | null;
    by: string;
    byOffice: string;
    at: string;
  }[];
}

const notFound = () => new NotFoundError("没有此督办 (no such order)");

type OrderRow = typeof supervisionOrders.$inferSelect;

/** Whether a principal may see an order: supervisors and readers of its department's cases. */
function seesOrder(p: Principal, o: { department: string | null; region: string | null }): boolean {
  return roleCan(p.role, "orders:read") && inScope(p.scope, o);
}

async function step(
  tx: Tx,
  o: OrderRow,
  action: string,
  actor: Actor,
  at: number,
  extra: { text?: string | null; dueOn?: string | null } = {},
) {
  await tx.insert(orderSteps).values({
    orderId: o.id,
    action,
    text: extra.text ?? null,
    dueOn: extra.dueOn ?? null,
    by: actor.by,
    byOffice: actor.byOffice,
    at: new Date(at),
    department: o.department,
  });
}

async function audit(
  tx: Tx,
  p: { name: string; role: string } | null,
  actor: Actor,
  action: string,
  o: OrderRow,
  detail: Record<string, unknown>,
  at: number,
  ip: string | null,
) {
  await recordAudit(tx, {
    actor: actor.by,
    role: p?.role ?? "system",
    action,
    target: o.caseId,
    detail: { order: o.id, office: actor.byOffice, ...detail },
    ip,
    at: new Date(at),
  });
}

/** The portal message of a new order (delivered by server/portal/worker.ts). */
function orderMessage(o: OrderRow, departmentName: string | null) {
  const what = o.rule === SPOT_CHECK_RULE
    ? "随机抽查不合格"
    : `${o.rule} ${ruleName(o.rule)}${o.level === "red" ? "红牌" : "预警"}`;
  return {
    kind: "order",
    order: o.id,
    case: o.caseId,
    rule: o.rule,
    level: o.level,
    department: o.department,
    dueOn: o.dueOn,
    text: `【督办】${
      departmentName ?? o.department ?? ""
    }：办件 ${o.caseId}（${what}）${o.text}。请于 ${o.dueOn} 前在监察台反馈整改情况。`,
  };
}

/** Issue an order (supervisors, within scope); 201 body = {@linkcode OrderView}. */
export async function issueOrder(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  raw: unknown,
  ip: string | null,
): Promise<OrderView> {
  const input = parseInput(OrderInput, raw);
  const now = deps.clock();
  const id = await tx.transaction(async (t) => {
    const [c] = await t.select({ department: cases.department, region: cases.region, hall: cases.hall })
      .from(cases).where(eq(cases.caseId, input.case));
    if (!c) throw new NotFoundError("没有此办件 (no such case)");
    assertCanDecideCase(p, c);
    let target: {
      rule: string;
      level: string;
      on: string;
      subject: string | null;
      spotCheckResultId?: number;
    };
    if (input.spotCheck !== undefined) {
      const [r] = await t.select().from(spotCheckResults)
        .where(
          and(eq(spotCheckResults.spotCheckId, input.spotCheck), eq(spotCheckResults.caseId, input.case)),
        )
        .orderBy(desc(spotCheckResults.id)).limit(1);
      if (!r || r.result !== "nonconforming") {
        throw new ValidationError("spotCheck: 该办件在此抽查中没有不合格结果 (no nonconforming result)", {
          field: "spotCheck",
        });
      }
      target = {
        rule: SPOT_CHECK_RULE,
        level: "spot_check",
        on: dateIn(r.at.getTime()),
        subject: null,
        spotCheckResultId: r.id,
      };
    } else {
      const [a] = await t.select({ id: alerts.id }).from(alerts).where(and(
        eq(alerts.caseId, input.case),
        eq(alerts.rule, input.rule!),
        eq(alerts.subject, input.subject ?? ""),
        eq(alerts.level, input.level!),
        eq(alerts.on, input.on!),
        isNull(alerts.withdrawnAt),
      ));
      if (!a) {
        throw new ValidationError("rule: 该办件没有这条告警 (the case has no such alert)", { field: "rule" });
      }
      target = { rule: input.rule!, level: input.level!, on: input.on!, subject: input.subject ?? null };
    }
    const [dup] = await t.select({ id: supervisionOrders.id }).from(supervisionOrders).where(and(
      eq(supervisionOrders.caseId, input.case),
      eq(supervisionOrders.rule, target.rule),
      eq(supervisionOrders.level, target.level),
      eq(supervisionOrders.on, target.on),
      target.spotCheckResultId === undefined
        ? sql`coalesce(${supervisionOrders.subject}, '') = ${target.subject ?? ""}`
        : eq(supervisionOrders.spotCheckId, input.spotCheck!),
      sql`${supervisionOrders.state} <> 'closed'`,
    ));
    if (dup) {
      throw new ConflictError(`已有未办结的督办第 ${dup.id} 号 (an open order exists)`, { order: dup.id });
    }
    const { calendar } = deps.calendar;
    const days = input.days ?? DEFAULT_ORDER_DAYS;
    const issuedOn = dateIn(now);
    const { dueOn, overdueAt } = orderDeadline(calendar, issuedOn, days);
    const actor = actorOf(p);
    const [o] = await t.insert(supervisionOrders).values({
      caseId: input.case,
      rule: target.rule,
      level: target.level,
      on: target.on,
      subject: target.subject,
      spotCheckId: input.spotCheck ?? null,
      spotCheckResultId: target.spotCheckResultId ?? null,
      department: c.department,
      region: c.region,
      text: input.text,
      days,
      issuedAt: new Date(now),
      issuedBy: actor.by,
      issuedByOffice: actor.byOffice,
      dueOn,
      overdueAt: new Date(overdueAt),
      state: "open",
      updatedAt: new Date(now),
    }).returning();
    await step(t, o, "issued", actor, now, { text: input.text, dueOn });
    await audit(t, p, actor, "order.issue", o, { ...input, dueOn }, now, ip);
    const [d] = c.department
      ? await t.select({ name: departments.name }).from(departments).where(eq(departments.code, c.department))
      : [];
    await t.insert(notificationsOutbox).values({
      caseId: o.caseId,
      rule: o.rule,
      department: o.department,
      payload: orderMessage(o, d?.name ?? null),
      // Due at the injected clock's instant, not the database's now().
      createdAt: new Date(now),
      nextAttemptAt: new Date(now),
    }).onConflictDoNothing();
    return o.id;
  });
  return await loadOrder(tx, p, id);
}

/** Lock an order for a transition; 404 unless visible. */
async function lockOrder(t: Tx, p: Principal, id: number): Promise<OrderRow> {
  const [o] = await t.select().from(supervisionOrders).where(eq(supervisionOrders.id, id)).for("update");
  if (!o || !seesOrder(p, o)) throw notFound();
  return o;
}

/** Apply an overdue transition that is due but not yet applied (before a reply is recorded). */
async function catchUpOverdue(t: Tx, o: OrderRow, now: number): Promise<OrderRow> {
  if (o.state !== "open" || o.overdueAt.getTime() > now) return o;
  await markOverdue(t, [o], now);
  return { ...o, state: "overdue" };
}

/**
 * A step on order `id` asked by `p` from address `ip` with the request body `raw`: the order as it is
 * afterwards.
 */
export type OrderStep = (
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  id: number,
  raw: unknown,
  ip: string | null,
) => Promise<OrderView>;

/** The department replies (整改情况): open or overdue → replied. Department staff of the order only. */
export const replyOrder: OrderStep = async (deps, tx, p, id, raw, ip) => {
  const input = parseInput(ReplyInput, raw);
  const now = deps.clock();
  await tx.transaction(async (t) => {
    let o = await lockOrder(t, p, id);
    if (!roleCan(p.role, "orders:reply")) {
      throw new ForbiddenError("只有被督办部门可以反馈 (only the department replies)");
    }
    o = await catchUpOverdue(t, o, now);
    if (o.state !== "open" && o.state !== "overdue") {
      throw new ConflictError(
        `督办当前状态为 ${STATE_NAMES[o.state] ?? o.state}，不能反馈 (cannot reply now)`,
      );
    }
    const actor = actorOf(p);
    await t.update(supervisionOrders).set({ state: "replied", updatedAt: new Date(now) }).where(
      eq(supervisionOrders.id, id),
    );
    await step(t, o, "replied", actor, now, { text: input.text });
    await audit(t, p, actor, "order.reply", o, { ...input, late: o.state === "overdue" }, now, ip);
  });
  return await loadOrder(tx, p, id);
};

async function supervisorStep(
  deps: AppDeps,
  tx: Tx,
  p: Principal,
  id: number,
  ip: string | null,
  action: "accepted" | "returned",
  apply: (t: Tx, o: OrderRow, now: number) => Promise<{ text?: string | null; dueOn?: string | null }>,
) {
  const now = deps.clock();
  await tx.transaction(async (t) => {
    const o = await lockOrder(t, p, id);
    if (!roleCan(p.role, "cases:decide")) throw new ForbiddenError("无权作出监察处理 (not a supervisor)");
    if (o.state !== "replied") {
      throw new ConflictError(
        `督办当前状态为 ${STATE_NAMES[o.state] ?? o.state}，须待部门反馈后办结或退回 (not replied)`,
      );
    }
    const extra = await apply(t, o, now);
    const actor = actorOf(p);
    await step(t, o, action, actor, now, extra);
    await audit(t, p, actor, action === "accepted" ? "order.accept" : "order.return", o, extra, now, ip);
  });
  return await loadOrder(tx, p, id);
}

/** The supervisor accepts the reply: replied → closed. */
export const acceptOrder: OrderStep = (deps, tx, p, id, raw, ip) => {
  const input = parseInput(AcceptInput, raw ?? {});
  return supervisorStep(deps, tx, p, id, ip, "accepted", async (t, _o, now) => {
    await t.update(supervisionOrders).set({ state: "closed", updatedAt: new Date(now) }).where(
      eq(supervisionOrders.id, id),
    );
    return { text: input.text || null };
  });
};

/** The supervisor returns the reply with a new deadline: replied → open. */
export const returnOrder: OrderStep = (deps, tx, p, id, raw, ip) => {
  const input = parseInput(ReturnInput, raw);
  return supervisorStep(deps, tx, p, id, ip, "returned", async (t, o, now) => {
    const { calendar } = deps.calendar;
    const today = dateIn(now);
    let dueOn: string, overdueAt: number, days = o.days;
    if (input.dueOn !== undefined) {
      if (input.dueOn < today) {
        throw new ValidationError("dueOn: 新期限不能早于今天 (must not be in the past)", { field: "dueOn" });
      }
      dueOn = input.dueOn;
      overdueAt = overdueAfter(calendar, dueOn);
    } else {
      days = input.days ?? DEFAULT_ORDER_DAYS;
      ({ dueOn, overdueAt } = orderDeadline(calendar, today, days));
    }
    await t.update(supervisionOrders).set({
      state: "open",
      dueOn,
      days,
      overdueAt: new Date(overdueAt),
      updatedAt: new Date(now),
    }).where(eq(supervisionOrders.id, id));
    return { text: input.text, dueOn };
  });
};

const SYSTEM: Actor = { by: "system", byOffice: "监察台（定时任务）" };

/** Turn the given open orders overdue, each step dated at its overdue instant (exactly once: `state = 'open'` guards). */
async function markOverdue(t: Tx, rows: readonly OrderRow[], now: number): Promise<number> {
  let n = 0;
  for (const o of rows) {
    const changed = await t.update(supervisionOrders).set({ state: "overdue", updatedAt: new Date(now) })
      .where(and(eq(supervisionOrders.id, o.id), eq(supervisionOrders.state, "open"))).returning({
        id: supervisionOrders.id,
      });
    if (changed.length === 0) continue;
    const at = o.overdueAt.getTime();
    await step(t, o, "overdue", SYSTEM, at, { dueOn: o.dueOn });
    await audit(t, null, SYSTEM, "order.overdue", o, { dueOn: o.dueOn }, at, null);
    n++;
  }
  return n;
}

/**
 * The scheduler's pass: every open order whose overdue instant has come turns overdue, once. Orders
 * another instance is working on are skipped (`SKIP LOCKED`), taken on its next pass if still open.
 */
export async function markOverdueOrders(deps: AppDeps, now: number, limit = 500): Promise<number> {
  let total = 0;
  while (true) {
    const n = await deps.database.db.transaction(async (t) => {
      const due = await t.select().from(supervisionOrders)
        .where(and(eq(supervisionOrders.state, "open"), lte(supervisionOrders.overdueAt, new Date(now))))
        .orderBy(asc(supervisionOrders.overdueAt)).limit(limit).for("update", { skipLocked: true });
      return due.length === 0 ? -1 : await markOverdue(t, due, now);
    });
    if (n < 0) return total;
    total += n;
    if (n < limit) return total;
  }
}

/** The earliest instant an open order turns overdue (for the scheduler's sleep), or null. */
export async function nextOrderOverdueAt(tx: Tx): Promise<number | null> {
  const [row] = await query<{ next: string | Date | null }>(
    tx,
    sql`select min(overdue_at) as next from supervision_orders where state = 'open'`,
  );
  if (row?.next == null) return null;
  return row.next instanceof Date ? row.next.getTime() : Date.parse(String(row.next));
}

/** State names for pages and messages. */
export const STATE_NAMES: Record<string, string> = {
  open: "待反馈",
  replied: "已反馈待验收",
  overdue: "逾期未反馈",
  closed: "已办结",
};

function view(
  o: OrderRow,
  departmentName: string | null,
  steps: (typeof orderSteps.$inferSelect)[],
): OrderView {
  return {
    id: o.id,
    case: o.caseId,
    rule: o.rule,
    ruleName: o.rule === SPOT_CHECK_RULE ? "随机抽查不合格" : ruleName(o.rule),
    level: o.level,
    on: o.on,
    subject: o.subject,
    spotCheck: o.spotCheckId,
    department: o.department,
    departmentName,
    text: o.text,
    days: o.days,
    issuedAt: o.issuedAt.toISOString(),
    issuedBy: o.issuedBy,
    issuedByOffice: o.issuedByOffice,
    dueOn: o.dueOn,
    overdueAt: o.overdueAt.toISOString(),
    state: o.state as OrderView["state"],
    steps: steps.map((s) => ({
      action: s.action,
      text: s.text,
      dueOn: s.dueOn,
      by: s.by,
      byOffice: s.byOffice,
      at: s.at.toISOString(),
    })),
  };
}

/** One order with its steps; 404 when unknown or not visible. */
export async function loadOrder(tx: Tx, p: Principal, id: number): Promise<OrderView> {
  const [row] = await tx.select({ o: supervisionOrders, name: departments.name }).from(supervisionOrders)
    .leftJoin(departments, eq(departments.code, supervisionOrders.department)).where(
      eq(supervisionOrders.id, id),
    );
  if (!row || !seesOrder(p, row.o)) throw notFound();
  const steps = await tx.select().from(orderSteps).where(eq(orderSteps.orderId, id)).orderBy(
    asc(orderSteps.at),
    asc(orderSteps.id),
  );
  return view(row.o, row.name, steps);
}

/** Filters of the order list. */
export interface OrderFilter {
  state?: string;
  department?: string;
  case?: string;
}

/** Most orders a list answers. */
export const ORDER_LIST_LIMIT = 500;

/** The orders in the principal's scope matching the filter: overdue first, then by due date. */
export async function listOrders(tx: Tx, p: Principal, f: OrderFilter = {}): Promise<OrderView[]> {
  if (!roleCan(p.role, "orders:read")) throw new ForbiddenError();
  if (f.department) assertFilterInScope(p, { department: f.department });
  const where: (SQL | undefined)[] = [
    scopeWhere(p.scope, { department: supervisionOrders.department, region: supervisionOrders.region }),
  ];
  if (f.state === "active") where.push(inArray(supervisionOrders.state, ["open", "replied", "overdue"]));
  else if (f.state) where.push(eq(supervisionOrders.state, f.state));
  if (f.department) where.push(eq(supervisionOrders.department, f.department));
  if (f.case) where.push(eq(supervisionOrders.caseId, f.case));
  const rows = await tx.select({ o: supervisionOrders, name: departments.name }).from(supervisionOrders)
    .leftJoin(departments, eq(departments.code, supervisionOrders.department))
    .where(and(...where))
    .orderBy(
      sql`case ${supervisionOrders.state} when 'overdue' then 0 when 'replied' then 1 when 'open' then 2 else 3 end`,
      asc(supervisionOrders.dueOn),
      asc(supervisionOrders.id),
    )
    .limit(ORDER_LIST_LIMIT);
  if (rows.length === 0) return [];
  const steps = await tx.select().from(orderSteps).where(inArray(orderSteps.orderId, rows.map((r) => r.o.id)))
    .orderBy(asc(orderSteps.at), asc(orderSteps.id));
  return rows.map((r) => view(r.o, r.name, steps.filter((s) => s.orderId === r.o.id)));
}

/** Orders overdue now, per department (the overview and the supervisor's pages). */
export async function overdueOrdersByDepartment(
  tx: Tx,
  opts: { departments?: readonly string[] } = {},
): Promise<Map<string, number>> {
  const rows = await query<{ department: string | null; n: number | string }>(
    tx,
    sql`select department, count(*) as n from supervision_orders where state = 'overdue'
        ${
      opts.departments
        ? sql`and department in (${sql.join(opts.departments.map((d) => sql`${d}`), sql`, `)})`
        : sql``
    }
        group by department`,
  );
  return new Map(rows.map((r) => [r.department ?? "", Number(r.n)]));
}

/**
 * Orders that turned overdue in a period [fromMs, toMs), per department (the rankings' measure
 * "supervision orders overdue" of a month): each overdue episode counts once, in the month it began.
 */
export async function ordersOverdueInPeriodByDepartment(
  tx: Tx,
  fromMs: number,
  toMs: number,
): Promise<Map<string, number>> {
  const rows = await query<{ department: string | null; n: number | string }>(
    tx,
    sql`select department, count(*) as n from order_steps
        where action = 'overdue' and at >= ${new Date(fromMs).toISOString()}::timestamptz
          and at < ${new Date(toMs).toISOString()}::timestamptz
        group by department`,
  );
  return new Map(rows.map((r) => [r.department ?? "", Number(r.n)]));
}
