/**
 * The supervision agency's own records (RULES.md §5): random spot checks with their drawn samples and
 * results, supervision orders (督办) with every step of their history, and the manual queue's
 * assignments. Append-only where RULES.md §6 says "nothing is ever deleted": results and order steps
 * are new rows; an order's row carries its current state for the indexed look-ups.
 * Imports are bare so that drizzle-kit (running under Node) can load this file too.
 *
 * @module
 */
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** A random spot check (随机抽查): its scope, period, size and seed as drawn. */
export const spotChecks = pgTable("spot_checks", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  /** `department` or `region` (a region includes its sub-regions). */
  scopeKind: text("scope_kind").notNull(),
  scopeCode: text("scope_code").notNull(),
  /** Received dates, inclusive. */
  fromOn: date("from_on", { mode: "string" }).notNull(),
  toOn: date("to_on", { mode: "string" }).notNull(),
  size: integer("size").notNull(),
  seed: text("seed").notNull(),
  /** How many cases of the scope and period the sample was drawn from. */
  population: integer("population").notNull(),
  createdBy: text("created_by").notNull(),
  createdByOffice: text("created_by_office").notNull(),
  createdAt: ts("created_at").notNull(),
  /** Where the spot check is visible: the scope's region (null for a department without one). */
  region: text("region"),
});

/** The drawn sample, in sample order (position 1 = smallest hash). */
export const spotCheckCases = pgTable("spot_check_cases", {
  spotCheckId: bigint("spot_check_id", { mode: "number" }).notNull(),
  position: integer("position").notNull(),
  caseId: text("case_id").notNull(),
  hash: text("hash").notNull(),
  department: text("department"),
  region: text("region"),
}, (t) => [primaryKey({ columns: [t.spotCheckId, t.position] })]);

/** Results of sampled cases; a corrected result is a new row (the latest counts). */
export const spotCheckResults = pgTable("spot_check_results", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  spotCheckId: bigint("spot_check_id", { mode: "number" }).notNull(),
  caseId: text("case_id").notNull(),
  /** `conforming` (合格) or `nonconforming` (不合格). */
  result: text("result").notNull(),
  note: text("note").notNull(),
  by: text("by").notNull(),
  byOffice: text("by_office").notNull(),
  at: ts("at").notNull(),
}, (t) => [index("spot_check_results_check_idx").on(t.spotCheckId, t.caseId)]);

/** Supervision orders (督办): the current state; every step is in {@linkcode orderSteps}. */
export const supervisionOrders = pgTable("supervision_orders", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  caseId: text("case_id").notNull(),
  rule: text("rule").notNull(),
  /** `warning` or `red` for an alert; `spot_check` for a nonconforming spot-check result. */
  level: text("level").notNull(),
  /** The alert's date, or the spot-check result's date. */
  on: date("on", { mode: "string" }).notNull(),
  subject: text("subject"),
  spotCheckId: bigint("spot_check_id", { mode: "number" }),
  spotCheckResultId: bigint("spot_check_result_id", { mode: "number" }),
  department: text("department"),
  region: text("region"),
  text: text("text").notNull(),
  days: integer("days").notNull(),
  issuedAt: ts("issued_at").notNull(),
  issuedBy: text("issued_by").notNull(),
  issuedByOffice: text("issued_by_office").notNull(),
  /** The reply is due by the end of this day (addWorkdays(issued or returned date, days)). */
  dueOn: date("due_on", { mode: "string" }).notNull(),
  /** 00:00 of addWorkdays(that date, days + 1): from then on an unanswered order is overdue. */
  overdueAt: ts("overdue_at").notNull(),
  /** `open`, `replied`, `overdue`, `closed`. */
  state: text("state").notNull(),
  updatedAt: ts("updated_at").notNull(),
}, (t) => [
  index("supervision_orders_case_idx").on(t.caseId),
  index("supervision_orders_department_idx").on(t.department, t.state),
  index("supervision_orders_due_idx").on(t.overdueAt).where(sql`state = 'open'`),
]);

/** Every step of an order: issued, replied, returned, accepted, overdue. Append-only. */
export const orderSteps = pgTable("order_steps", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  orderId: bigint("order_id", { mode: "number" }).notNull(),
  action: text("action").notNull(),
  text: text("text"),
  /** The deadline set by this step (issued, returned). */
  dueOn: date("due_on", { mode: "string" }),
  by: text("by").notNull(),
  byOffice: text("by_office").notNull(),
  at: ts("at").notNull(),
  /** The order's department, kept here so overdue counts per department and month read one index. */
  department: text("department"),
}, (t) => [
  index("order_steps_order_idx").on(t.orderId),
  index("order_steps_action_idx").on(t.action, t.at),
]);

/** Who on the agency works on a manual queue item, and by when (审核期限); the latest row counts. */
export const queueAssignments = pgTable("queue_assignments", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  queueId: bigint("queue_id", { mode: "number" }).notNull(),
  assignee: text("assignee"),
  dueOn: date("due_on", { mode: "string" }),
  by: text("by").notNull(),
  byOffice: text("by_office").notNull(),
  at: ts("at").notNull(),
}, (t) => [index("queue_assignments_queue_idx").on(t.queueId, t.id)]);
