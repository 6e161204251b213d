/**
 * What applying one case's evaluation changes, computed without touching the database: the case
 * row, alert inserts and changes, findings, manual-queue entries, counter deltas and live messages.
 * `server/write/apply.ts` loads the previous state, calls {@linkcode planCase} per case and writes every
 * case's plan in a few multi-row statements.
 *
 * @module
 */
import { type Evaluation, incompleteResult } from "../../rules/evaluate.ts";
import { firstOf, ofType } from "../../rules/timeline.ts";
import type { Alert, CaseEvent, CaseResult } from "../../rules/types.ts";
import { type AlertIdentity, alertKey } from "../../rules/alert_key.ts";
import type {
  alertHistory,
  alerts,
  cases,
  findings,
  liveFeed,
  manualQueue,
  notificationsOutbox,
} from "../../db/schema.ts";
import { sameCanonical } from "../../rules/canonical.ts";
import { alertTokens } from "../../rules/active_alerts.ts";
import { contributions, type CounterDelta, diffContributions, statusKey } from "./counts.ts";
import type { AlertMessage } from "../live/wire.ts";
import { maskName } from "../privacy.ts";
import { tallyKeys } from "../reports/tally_keys.ts";
import { ruleName } from "../../rules/names.ts";

/** New alerts reach the live feed and the portal outbox only when raised this recently (not a backfill). */
export const FRESH_ALERT_MS = 24 * 3600_000;

/** The stored case row (the projection), as read back. */
export interface CaseRow {
  caseId: string;
  status: string;
  department: string | null;
  hall: string | null;
  result: CaseResult;
  contributions: string[];
  error: string | null;
  /** The stored evaluator input (null: not kept yet, read from `events`). */
  timeline?: CaseEvent[] | null;
  nextChangeAt?: Date | null;
}

/** A stored alert. */
export interface StoredAlert {
  id: number;
  rule: string;
  subject: string;
  level: string;
  on: string;
  resolvedOn: string | null;
  voidedOn: string | null;
  withdrawn: boolean;
}

/** Everything stored about a case that an evaluation may change. */
export interface PreviousState {
  row?: CaseRow;
  alerts: StoredAlert[];
  findings: { rule: string; on: string; state: string }[];
  manual: { rule: string; kind: string; subject: string; openedAt: number; closedAt: number | null }[];
}

/** A case to apply: its evaluation, or why it could not be evaluated. */
export type CaseOutcome =
  | ({ caseId: string; evaluation: Evaluation; eventCount: number } & TimelineWrite)
  | ({ caseId: string; error: string; eventCount: number } & TimelineWrite);

/**
 * How the case row's kept timeline changes: replaced by `timeline`, or `timelineAdded` appended to
 * the stored one (less to send and parse); neither: kept as stored.
 */
export interface TimelineWrite {
  timeline?: CaseEvent[];
  timelineAdded?: readonly CaseEvent[];
}

type CaseInsert = typeof cases.$inferInsert;

/** The columns of a case row that an evaluation sets (all but the kept timeline). */
export type EvaluatedCaseRow = Required<Omit<CaseInsert, "timeline">>;

/** The columns a failed evaluation sets: its error and counts; the last good projection is kept. */
export type FailedCaseRow = Required<
  Pick<
    CaseInsert,
    | "caseId"
    | "status"
    | "result"
    | "contributions"
    | "department"
    | "hall"
    | "error"
    | "evaluatedAt"
    | "eventCount"
  >
>;

/** The case row's write: the evaluated or failed columns, and what becomes of the kept timeline. */
export type CaseWrite =
  & ({ evaluated: EvaluatedCaseRow; failed?: never } | { failed: FailedCaseRow; evaluated?: never })
  & { timeline: { replace: CaseEvent[] } | { append: readonly CaseEvent[] } | null };

/** One change in an alert's history (`alert_history` without its alert id and instant). */
export type HistoryEntry = Pick<typeof alertHistory.$inferInsert, "change" | "on"> & { on: string | null };

/** A new alert: its row and the history it starts with. */
export interface NewAlert {
  row: typeof alerts.$inferInsert & Required<Pick<typeof alerts.$inferInsert, "subject">>;
  history: HistoryEntry[];
}

/** A change to a stored alert (by id) and the history entries that record it. */
export interface AlertUpdate {
  id: number;
  resolvedOn: string | null;
  voidedOn: string | null;
  withdrawnAt: Date | null;
  history: HistoryEntry[];
}

/** A live-feed row of a new alert. */
export type FeedRow = Omit<typeof liveFeed.$inferInsert, "kind"> & { payload: AlertMessage };

/** The writes one case needs. */
export interface CasePlan {
  caseRow: CaseWrite;
  newAlerts: NewAlert[];
  alertUpdates: AlertUpdate[];
  findings: (typeof findings.$inferInsert)[];
  manual: (typeof manualQueue.$inferInsert)[];
  liveFeed: FeedRow[];
  outbox: (typeof notificationsOutbox.$inferInsert)[];
  /** True when anything visible changed (for NOTIFY). */
  changed: boolean;
  departments: string[];
  halls: string[];
}

function timelineOf(o: TimelineWrite): CaseWrite["timeline"] {
  if (o.timeline) return { replace: o.timeline };
  if (o.timelineAdded?.length) return { append: o.timelineAdded };
  return null;
}

/**
 * Plan the writes of one case. `region` is the region of the case's department, `promisedDays` its
 * item's promised days (for the rankings' used/promised ratio).
 */
export function planCase(
  outcome: CaseOutcome,
  previous: PreviousState | undefined,
  region: string | null,
  now: number,
  counters: Map<string, CounterDelta>,
  promisedDays: number | null = null,
): CasePlan {
  const prev = previous?.row;
  const at = new Date(now);
  const timeline = timelineOf(outcome);
  if ("error" in outcome) {
    // Keep the last good projection and counts; say why this evaluation failed. A case never
    // evaluated is stored as incomplete, placed nowhere, and counted so (the list shows it).
    const result = prev?.result ?? incompleteResult(outcome.caseId);
    const kept = prev?.contributions ?? [statusKey(result.status)];
    if (!prev) diffContributions(undefined, { department: null, hall: null, keys: kept }, counters);
    return {
      ...emptyPlan({
        failed: {
          caseId: outcome.caseId,
          status: prev?.status ?? result.status,
          result,
          contributions: kept,
          department: prev?.department ?? null,
          hall: prev?.hall ?? null,
          error: outcome.error,
          evaluatedAt: at,
          eventCount: outcome.eventCount,
        },
        timeline,
      }),
      changed: prev?.error !== outcome.error,
      departments: prev?.department ? [prev.department] : [],
    };
  }

  const ev = outcome.evaluation;
  const { result } = ev;
  const department = ev.department;
  const received = firstOf(ev.timeline, "received");
  const amendedName = ofType(ev.timeline, "amended").map((a) => a.applicant?.name).filter(Boolean).at(-1);
  const applicantName = amendedName ?? received?.applicant.name ?? null;
  const closed = ev.timeline.find((e) => e.type === "completed" || e.type === "rejected");
  const keys = [...contributions(ev), ...tallyKeys(ev, promisedDays)].sort();
  const plan = emptyPlan({
    evaluated: {
      caseId: result.case,
      status: result.status,
      itemCode: ev.itemCode,
      department,
      hall: ev.hall,
      region,
      applicantName,
      receivedOn: received?.date ?? null,
      acceptedOn: firstOf(ev.timeline, "accepted")?.date ?? null,
      closedOn: closed?.date ?? null,
      deadline: result.deadline,
      remaining: result.remaining,
      countdownZero: ev.countdown.running ? ev.countdown.zero : null,
      activeAlerts: alertTokens(result.alerts),
      paused: result.paused,
      nextChangeAt: ev.nextChangeAt === null ? null : new Date(ev.nextChangeAt),
      result,
      contributions: keys,
      calendarMissing: ev.calendarMissing,
      error: null,
      evaluatedAt: at,
      eventCount: outcome.eventCount,
    },
    timeline,
  });
  const before = counters.size;
  diffContributions(
    prev ? { department: prev.department, hall: prev.hall, keys: prev.contributions } : undefined,
    { department, hall: ev.hall, keys },
    counters,
  );
  const countsChanged = counters.size !== before;

  const place = { department, hall: ev.hall, region, itemCode: ev.itemCode };
  for (const { alert, raisedAt } of planAlerts(plan, ev, previous?.alerts ?? [], place, now)) {
    if (raisedAt >= now - FRESH_ALERT_MS && !alert.voided) announce(plan, alert, ev, applicantName, region);
  }
  planFindings(plan, ev, previous?.findings ?? []);
  planManual(plan, ev, previous?.manual ?? [], region, now);

  // Comparing the whole result costs most, so it is the last question asked.
  plan.changed = countsChanged || !prev || prev.error !== null || prev.department !== department ||
    plan.newAlerts.length + plan.alertUpdates.length + plan.findings.length + plan.manual.length > 0 ||
    !sameCanonical(prev.result, result);
  plan.departments = [...new Set([department, prev?.department].filter((d): d is string => !!d))];
  plan.halls = [...new Set([ev.hall, prev?.hall].filter((h): h is string => !!h))];
  return plan;
}

function emptyPlan(caseRow: CaseWrite): CasePlan {
  return {
    caseRow,
    newAlerts: [],
    alertUpdates: [],
    findings: [],
    manual: [],
    liveFeed: [],
    outbox: [],
    changed: false,
    departments: [],
    halls: [],
  };
}

/**
 * The evaluation's alerts against the stored ones, matched by identity ({@linkcode alertKey}): new
 * ones inserted, changed ones updated, stored ones the evaluation no longer raises withdrawn.
 * Returns the new alerts with the instants they were raised.
 */
function planAlerts(
  plan: CasePlan,
  ev: Evaluation,
  storedAlerts: readonly StoredAlert[],
  place: { department: string | null; hall: string | null; region: string | null; itemCode: string | null },
  now: number,
): { alert: Alert; raisedAt: number }[] {
  const caseId = ev.result.case;
  const fresh: { alert: Alert; raisedAt: number }[] = [];
  const stored = new Map(storedAlerts.map((a) => [keyOf(caseId, a), a]));
  const matched = new Set<string>();
  for (const a of ev.result.alerts) {
    const key = keyOf(caseId, a);
    const s = stored.get(key);
    if (!s) {
      const raised = ev.raised.get(key)?.raisedAt;
      if (raised === undefined) throw new Error(`case ${caseId}: alert ${key} has no projected instant`);
      const history: HistoryEntry[] = [{ change: "raised", on: a.on }];
      if (a.resolved) history.push({ change: "resolved", on: a.resolved });
      if (a.voided) history.push({ change: "voided", on: a.voided });
      plan.newAlerts.push({
        row: {
          caseId,
          rule: a.rule,
          subject: a.subject ?? "",
          level: a.level,
          on: a.on,
          raisedAt: new Date(raised),
          resolvedOn: a.resolved,
          voidedOn: a.voided ?? null,
          ...place,
        },
        history,
      });
      fresh.push({ alert: a, raisedAt: raised });
      continue;
    }
    matched.add(key);
    const history: HistoryEntry[] = [];
    if (s.withdrawn) history.push({ change: "reinstated", on: a.on });
    if (s.resolvedOn !== a.resolved) {
      history.push({ change: a.resolved ? "resolved" : "unresolved", on: a.resolved });
    }
    if (s.voidedOn !== (a.voided ?? null)) {
      history.push({ change: a.voided ? "voided" : "unvoided", on: a.voided ?? null });
    }
    if (history.length) {
      plan.alertUpdates.push({
        id: s.id,
        resolvedOn: a.resolved,
        voidedOn: a.voided ?? null,
        withdrawnAt: null,
        history,
      });
    }
  }
  for (const [key, s] of stored) {
    if (matched.has(key) || s.withdrawn) continue;
    // A late event shows this alert never applied: keep it, marked withdrawn.
    plan.alertUpdates.push({
      id: s.id,
      resolvedOn: s.resolvedOn,
      voidedOn: s.voidedOn,
      withdrawnAt: new Date(now),
      history: [{ change: "withdrawn", on: null }],
    });
  }
  return fresh;
}

/** The identity of an alert of the case (read from its parts: the alert is not copied for it). */
const keyOf = (caseId: string, a: Omit<AlertIdentity, "case">) =>
  alertKey({ case: caseId, rule: a.rule, subject: a.subject, level: a.level, on: a.on });

/** A finding's identity within its case. */
const findingKey = (f: { rule: string; on: string }) => JSON.stringify([f.rule, f.on]);

/** Findings whose state changed, and stored ones the evaluation no longer reports (withdrawn). */
function planFindings(plan: CasePlan, ev: Evaluation, storedFindings: PreviousState["findings"]): void {
  const caseId = ev.result.case, department = ev.department;
  const stored = new Map(storedFindings.map((f) => [findingKey(f), f]));
  const current = new Set<string>();
  for (const f of ev.result.findings) {
    const key = findingKey(f);
    current.add(key);
    if (stored.get(key)?.state !== f.state) {
      plan.findings.push({ caseId, rule: f.rule, on: f.on, state: f.state, department });
    }
  }
  for (const [key, f] of stored) {
    if (current.has(key) || f.state === "withdrawn") continue;
    plan.findings.push({ caseId, rule: f.rule, on: f.on, state: "withdrawn", department });
  }
}

/** A manual-queue entry's identity within its case. */
const manualKey = (m: { rule: string; kind: string; subject: string | null; openedAt: number }) =>
  JSON.stringify([m.rule, m.kind, m.subject ?? "", m.openedAt]);

/** Manual entries opened or closed by the evaluation; stored open ones it no longer opens are closed now. */
function planManual(
  plan: CasePlan,
  ev: Evaluation,
  storedManual: PreviousState["manual"],
  region: string | null,
  now: number,
): void {
  const caseId = ev.result.case, department = ev.department;
  const row = (m: PreviousState["manual"][number]): typeof manualQueue.$inferInsert => ({
    caseId,
    rule: m.rule,
    kind: m.kind,
    subject: m.subject,
    openedAt: new Date(m.openedAt),
    closedAt: m.closedAt === null ? null : new Date(m.closedAt),
    department,
    region,
  });
  const stored = new Map(storedManual.map((m) => [manualKey(m), m]));
  const openNow = new Set<string>();
  for (const m of ev.manual) {
    const key = manualKey(m);
    openNow.add(key);
    if (stored.get(key)?.closedAt === m.closedAt) continue;
    plan.manual.push(row({ ...m, subject: m.subject ?? "" }));
  }
  for (const [key, m] of stored) {
    // Data conflicts are opened by ingestion, not by the evaluator (server/write/data_conflicts.ts).
    if (openNow.has(key) || m.closedAt !== null || m.kind === "data_conflict") continue;
    plan.manual.push(row({ ...m, closedAt: now }));
  }
}

/** A new alert for the live feed, and for 8.1 warnings a message to the unified provincial portal. */
function announce(
  plan: CasePlan,
  a: Alert,
  ev: Evaluation,
  applicantName: string | null,
  region: string | null,
) {
  const kind = firstOf(ev.timeline, "received")?.applicant.kind ?? "person";
  const payload: AlertMessage = {
    case: ev.result.case,
    rule: a.rule,
    name: ruleName(a.rule),
    level: a.level,
    on: a.on,
    subject: a.subject ?? null,
    department: ev.department,
    item: ev.itemCode,
    applicant: maskName(applicantName, kind),
  };
  plan.liveFeed.push({ department: ev.department, hall: ev.hall, region, payload });
  if (a.rule === "8.1" && a.level === "warning") {
    plan.outbox.push({
      caseId: ev.result.case,
      rule: a.rule,
      department: ev.department,
      payload: {
        kind: "8.1-warning",
        case: ev.result.case,
        on: a.on,
        item: ev.itemCode,
        department: ev.department,
        deadline: ev.result.deadline,
        remaining: ev.result.remaining,
        text: `办件 ${ev.result.case} 剩余办理时限 ${ev.result.remaining ?? "-"} 个工作日，请及时办理。`,
      },
    });
  }
}
