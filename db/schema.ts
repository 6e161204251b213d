/**
 * The database schema. SQL names are snake_case, TypeScript keys camelCase. Migrations are generated
 * from this file by drizzle-kit (`deno task db:generate`) and committed under `db/migrations/`.
 * Imports are bare so that drizzle-kit (running under Node) can load this file too.
 *
 * @module
 */
import {
  bigint,
  bigserial,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Administrative regions (行政区划): 410000 河南省, 410100 郑州市, … */
export const regions = pgTable("regions", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  parent: text("parent"),
});

/** Departments (部门) with their region. */
export const departments = pgTable("departments", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  region: text("region").notNull(),
});

/** Government service halls (政务服务大厅). */
export const halls = pgTable("halls", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  region: text("region").notNull(),
});

/** The item catalogue (事项); `data` is the full EXCHANGE.md item object. */
export const items = pgTable("items", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  department: text("department").notNull(),
  data: jsonb("data").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Working-day calendars by year; the built-in years are seeded, an administrator may add or correct one. */
export const calendarYears = pgTable("calendar_years", {
  year: integer("year").primaryKey(),
  holidays: jsonb("holidays").notNull(),
  workdays: jsonb("workdays").notNull(),
  source: text("source").notNull(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
  updatedBy: text("updated_by"),
});

/**
 * The append-only event log: every acknowledged event, exactly once. Partitioned by month of
 * `stored_at` (db/migrations/0014_partition_events.sql; months created ahead by server/partitions.ts),
 * so the primary key includes `stored_at`; `seq` alone stays unique (one sequence) and orders arrival.
 */
export const events = pgTable("events", {
  seq: bigserial("seq", { mode: "number" }).notNull(),
  id: text("id").notNull(),
  caseId: text("case_id").notNull(),
  type: text("type").notNull(),
  at: ts("at").notNull(),
  payload: jsonb("payload").notNull(),
  contentHash: text("content_hash").notNull(),
  sender: text("sender").notNull(),
  storedAt: ts("stored_at").notNull().defaultNow(),
  /**
   * Why the event is set aside (server/write/quarantine.ts): its sender is an ingest client whose scope does
   * not cover the case's department, known only after the event arrived. Kept, never evaluated.
   */
  quarantined: text("quarantined"),
}, (t) => [
  primaryKey({ name: "events_pkey", columns: [t.seq, t.storedAt] }),
  index("events_case_idx").on(t.caseId),
]);

/**
 * Event identity (EXCHANGE.md "Order and identity"): one row per (sender, event id) ever stored, with
 * the content hash (rules/canonical.ts `eventContentHash`). Kept apart from `events` so that `events`
 * needs no unique index of its own (it may be partitioned by time; a unique key there would have to
 * contain the partition key). Ingestion checks a batch with one indexed read of this table.
 */
export const eventKeys = pgTable("event_keys", {
  sender: text("sender").notNull(),
  eventId: text("event_id").notNull(),
  contentHash: text("content_hash").notNull(),
  caseId: text("case_id").notNull(),
}, (t) => [primaryKey({ columns: [t.sender, t.eventId] })]);

/**
 * Which senders sent a `received` for a case, naming which item (server/write/data_conflicts.ts): two
 * senders' claims naming different departments are a data conflict. Read per batch by case id.
 */
export const caseClaims = pgTable("case_claims", {
  caseId: text("case_id").notNull(),
  sender: text("sender").notNull(),
  item: text("item").notNull(),
  claimedAt: ts("claimed_at").notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.caseId, t.sender, t.item] }),
  index("case_claims_sender_idx").on(t.sender, t.caseId),
]);

/**
 * The case projection: the evaluator's latest result and what the scheduler and counts need. Its key,
 * case_id, is a unique index with text_pattern_ops (`cases_case_id_key`) rather than a primary key
 * (which must use the default operator class): one index answers the lookups by case number,
 * `on conflict (case_id)` and the search by prefix (`like 'X%'`), so a case write updates one index
 * fewer (migration 0021). It is the table's replica identity (migration 0023, not expressible here).
 */
export const cases = pgTable("cases", {
  caseId: text("case_id").notNull(),
  status: text("status").notNull(),
  itemCode: text("item_code"),
  department: text("department"),
  hall: text("hall"),
  region: text("region"),
  /** The applicant's name as sent (full data; masked at every display edge). */
  applicantName: text("applicant_name"),
  receivedOn: date("received_on", { mode: "string" }),
  acceptedOn: date("accepted_on", { mode: "string" }),
  closedOn: date("closed_on", { mode: "string" }),
  deadline: date("deadline", { mode: "string" }),
  remaining: integer("remaining"),
  /**
   * While the clock runs: the working-day ordinal at which remaining reaches 0, so remaining(today) =
   * countdown_zero − ordinal(today) without evaluating again (rules/countdown.ts); null when frozen.
   */
  countdownZero: integer("countdown_zero"),
  /** Active alerts as filter tokens: `rule`, `rule:level` and `:level` (rules/countdown.ts alertTokens). */
  activeAlerts: text("active_alerts").array().notNull().default(sql`'{}'::text[]`),
  paused: boolean("paused").notNull().default(false),
  /** The next instant its state can change by time alone; null when none is due. */
  nextChangeAt: ts("next_change_at"),
  /** The evaluator's EXCHANGE.md object as of `evaluatedAt`. */
  result: jsonb("result").notNull(),
  /**
   * The case's evaluated events (not quarantined), in arrival order — the evaluator's input, kept here
   * so that re-evaluating a case reads one row by primary key and never the growing `events` table.
   * Null for a case not evaluated since the column was added: server/write/recalc.ts then reads `events`.
   */
  timeline: jsonb("timeline"),
  /** The keys this case adds 1 to in `counters` (see server/write/counts.ts). */
  contributions: jsonb("contributions").notNull().default([]),
  calendarMissing: jsonb("calendar_missing").notNull().default([]),
  /** Why the case could not be evaluated, if it could not (the others go on). */
  error: text("error"),
  evaluatedAt: ts("evaluated_at").notNull(),
  eventCount: integer("event_count").notNull().default(0),
}, (t) => [
  // The scheduler's due cases; most closed cases have no next change, and their writes skip it.
  index("cases_next_change_idx").on(t.nextChangeAt).where(sql`next_change_at is not null`),
  index("cases_hall_idx").on(t.hall),
  // Spot checks draw from one scope's cases of a period (server/supervision/spot_checks.ts).
  // Also the case list by received: one (department, status) range per status (server/cases/list_query.ts).
  index("cases_dept_status_received_idx").on(t.department, t.status, t.receivedOn, t.caseId),
  index("cases_region_received_idx").on(t.region, t.receivedOn),
  // The case list (server/cases/list_query.ts): each sort has a (department, key, case_id) index — the
  // date sorts (department, status, key, case_id), read one status at a time — so a department's page
  // is an index range scan; running cases sort by countdown_zero (partial index).
  index("cases_dept_running_idx").on(t.department, t.countdownZero, t.caseId)
    .where(sql`countdown_zero is not null`),
  index("cases_running_idx").on(t.countdownZero, t.caseId).where(sql`countdown_zero is not null`),
  // The frozen cases (paused and closed) by remaining, one status at a time: a department's, and the
  // province's or a region's — so an in-progress list never reads the completed rows that make up most
  // of the frozen ones.
  index("cases_dept_status_frozen_idx").on(t.department, t.status, t.remaining, t.caseId)
    .where(sql`countdown_zero is null`),
  index("cases_frozen_status_idx").on(t.status, t.remaining, t.caseId).where(sql`countdown_zero is null`),
  index("cases_dept_status_deadline_idx").on(t.department, t.status, t.deadline, t.caseId),
  // Province-, region- and hall-wide lists by deadline, one status at a time.
  index("cases_status_deadline_idx").on(t.status, t.deadline, t.caseId),
  // Province- and region-wide lists by received, one status at a time.
  index("cases_status_received_idx").on(t.status, t.receivedOn, t.caseId),
  // The item filter and the search's item branch (`item_code = any(codes)`, server/cases/list_search.ts);
  // with the department (an item's cases are its department's), a department's count of an item reads
  // the index alone.
  // (Also extended statistics on (item_code, department), migration 0025, not expressible here.)
  index("cases_item_idx").on(t.itemCode, t.department),
  index("cases_dept_evaluated_idx").on(t.department, t.evaluatedAt, t.caseId),
  // The list's rule/level filter (server/cases/list_query.ts adds the predicate): most cases have no
  // active alert, and their writes skip this index.
  index("cases_active_alerts_idx").using("gin", t.activeAlerts).where(sql`active_alerts <> '{}'::text[]`),
  // The key (see above); also the search (?q=) by prefix of the case number.
  uniqueIndex("cases_case_id_key").on(t.caseId.op("text_pattern_ops")),
  // Search (?q=): prefix of the applicant's name.
  index("cases_applicant_pattern_idx").on(t.applicantName.op("text_pattern_ops")),
]);

/**
 * Alerts (预警 and 红牌) as raised; never deleted. Stored with fillfactor 90 (migration 0019, not
 * expressible here): resolving, voiding or withdrawing one changes no indexed column, so it is a HOT
 * update when its page has room.
 */
export const alerts = pgTable("alerts", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  caseId: text("case_id").notNull(),
  rule: text("rule").notNull(),
  /** '' when the rule has no subject. */
  subject: text("subject").notNull().default(""),
  level: text("level").notNull(),
  on: date("on", { mode: "string" }).notNull(),
  raisedAt: ts("raised_at").notNull(),
  resolvedOn: date("resolved_on", { mode: "string" }),
  voidedOn: date("voided_on", { mode: "string" }),
  /** Set when a late-arriving event shows the alert never applied (kept, never deleted). */
  withdrawnAt: ts("withdrawn_at"),
  department: text("department"),
  hall: text("hall"),
  region: text("region"),
  itemCode: text("item_code"),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [
  uniqueIndex("alerts_identity_key").on(t.caseId, t.rule, t.subject, t.level, t.on),
  index("alerts_department_idx").on(t.department, t.on),
]);

/**
 * Every change of an alert: raised, resolved, voided, withdrawn, reinstated. Partitioned by month of
 * `at` (db/migrations/0005_partition_by_month.sql; months created ahead by server/partitions.ts), so
 * the primary key includes `at`.
 */
export const alertHistory = pgTable("alert_history", {
  id: bigserial("id", { mode: "number" }).notNull(),
  alertId: bigint("alert_id", { mode: "number" }).notNull(),
  change: text("change").notNull(),
  on: date("on", { mode: "string" }),
  at: ts("at").notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: "alert_history_pkey", columns: [t.id, t.at] }),
  index("alert_history_alert_idx").on(t.alertId),
]);

/** Evaluation findings (9.1–9.9) and their current state. */
export const findings = pgTable("findings", {
  caseId: text("case_id").notNull(),
  rule: text("rule").notNull(),
  on: date("on", { mode: "string" }).notNull(),
  state: text("state").notNull(),
  department: text("department"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.caseId, t.rule, t.on] })]);

/** The manual supervision queue (人工监察). */
export const manualQueue = pgTable("manual_queue", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  caseId: text("case_id").notNull(),
  rule: text("rule").notNull(),
  kind: text("kind").notNull(),
  subject: text("subject").notNull().default(""),
  openedAt: ts("opened_at").notNull(),
  closedAt: ts("closed_at"),
  department: text("department"),
  region: text("region"),
}, (t) => [uniqueIndex("manual_queue_identity_key").on(t.caseId, t.rule, t.kind, t.subject, t.openedAt)]);

/**
 * Live counts kept incrementally: one row per (department, hall, metric, rule, day) key; a case's
 * evaluation adds or removes its contributions in the same transaction that changes it. Stored with
 * fillfactor 70 (migration 0019): a new value changes no indexed column, so it is a HOT update when its
 * page has room.
 */
export const counters = pgTable("counters", {
  department: text("department").notNull(),
  hall: text("hall").notNull(),
  metric: text("metric").notNull(),
  rule: text("rule").notNull(),
  /** '' for undated metrics. */
  day: text("day").notNull(),
  value: integer("value").notNull(),
}, (t) => [
  primaryKey({ columns: [t.department, t.hall, t.metric, t.rule, t.day] }),
  // The rankings and trends read one metric over a span of days or months (server/reports/tally_query.ts).
  index("counters_metric_day_idx").on(t.metric, t.day),
  // A hall's wall-screen snapshot reads only that hall's rows (the primary key leads with department).
  index("counters_hall_metric_day_idx").on(t.hall, t.metric, t.day),
]);

/**
 * Messages for live clients (new alerts), kept for `Last-Event-ID` resumption within a window and
 * pruned beyond it (server/partitions.ts). Partitioned by month of `created_at`, like alert_history.
 */
export const liveFeed = pgTable("live_feed", {
  id: bigserial("id", { mode: "number" }).notNull(),
  kind: text("kind").notNull(),
  department: text("department"),
  hall: text("hall"),
  region: text("region"),
  payload: jsonb("payload").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
}, (t) => [primaryKey({ name: "live_feed_pkey", columns: [t.id, t.createdAt] })]);

/**
 * Messages to the unified provincial work portal (8.1 warnings, supervision orders), delivered by the
 * outbox worker (server/portal/worker.ts): pending until sent, retried with backoff, dead-lettered
 * (`dead_at`) after the configured number of attempts.
 */
export const notificationsOutbox = pgTable("notifications_outbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  caseId: text("case_id").notNull(),
  rule: text("rule").notNull(),
  department: text("department"),
  payload: jsonb("payload").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  sentAt: ts("sent_at"),
  attempts: integer("attempts").notNull().default(0),
  /** When the worker may (next) try it; also the lease of a claimed message. */
  nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
  lastAttemptAt: ts("last_attempt_at"),
  lastError: text("last_error"),
  deadAt: ts("dead_at"),
}, (t) => [
  uniqueIndex("notifications_outbox_key").on(t.caseId, t.rule, t.payload),
  index("notifications_outbox_due_idx").on(t.nextAttemptAt).where(sql`sent_at is null and dead_at is null`),
  // Counting dead messages for /metrics without reading the whole outbox.
  index("notifications_outbox_dead_idx").on(t.deadAt).where(sql`dead_at is not null`),
]);

/** The ranking score's weights and caps (server/reports/score.ts), newest row in force; never updated. */
export const rankingWeights = pgTable("ranking_weights", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  weights: jsonb("weights").notNull(),
  setBy: text("set_by").notNull(),
  setAt: ts("set_at").notNull().defaultNow(),
});
