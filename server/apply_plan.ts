/**
 * What applying one case's evaluation changes, computed without touching the database: the case
 * row, alert inserts and changes, findings, manual-queue entries, counter deltas and live messages.
 * `server/apply.ts` loads the previous state, calls {@linkcode planCase} per case and writes every
 * case's plan in a few multi-row statements.
 *
 * @module
 */
import { type Evaluation, incompleteResult } from "../rules/evaluate.ts";
import { firstOf, ofType } from "../rules/timeline.ts";
import type { Alert, CaseEvent, CaseResult } from "../rules/types.ts";
import { alertKey } from "../rules/alert_key.ts";
import { canonicalJson } from "../rules/canonical.ts";
import { alertTokens } from "../rules/active_alerts.ts";
import { contributions, type CounterDelta, diffContributions } from "./counts.ts";
import type { AlertMessage } from "./live/wire.ts";
import { maskName } from "./privacy.ts";
import { tallyKeys } from "./reports/tally_keys.ts";
import { ruleName } from "../rules/names.ts";

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

function timelineFields(o: TimelineWrite): Record<string, unknown> {
  if (o.timeline) return { timeline: o.timeline };
  if (o.timelineAdded?.length) return { timelineAdded: o.timelineAdded };
  return {};
}

/** The writes one case needs. */
export interface CasePlan {
  caseRow: Record<string, unknown>;
  newAlerts: { row: Record<string, unknown>; history: { change: string; on: string | null }[] }[];
  alertUpdates: {
    id: number;
    resolvedOn: string | null;
    voidedOn: string | null;
    withdrawnAt: Date | null;
    history: { change: string; on: string | null }[];
  }[];
  findings: { caseId: string; rule: string; on: string; state: string; department: string | null }[];
  manual: Record<string, unknown>[];
  liveFeed: { department: string | null; hall: string | null; region: string | null; payload: unknown }[];
  outbox: { caseId: string; rule: string; department: string | null; payload: unknown }[];
  /** True when anything visible changed (for NOTIFY). */
  changed: boolean;
  departments: string[];
  halls: string[];
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
  const plan: CasePlan = {
    caseRow: {},
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
  if ("error" in outcome) {
    // Keep the last good projection and counts; say why this evaluation failed.
    plan.caseRow = {
      caseId: outcome.caseId,
      status: prev?.status ?? "incomplete",
      result: prev?.result ?? incompleteResult(outcome.caseId),
      contributions: prev?.contributions ?? [],
      department: prev?.department ?? null,
      hall: prev?.hall ?? null,
      error: outcome.error,
      evaluatedAt: at,
      eventCount: outcome.eventCount,
      ...timelineFields(outcome),
    };
    plan.changed = prev?.error !== outcome.error;
    plan.departments = prev?.department ? [prev.department] : [];
    return plan;
  }

  const ev = outcome.evaluation;
  const { result } = ev;
  const department = ev.department;
  const received = firstOf(ev.timeline, "received");
  const amendedName = ofType(ev.timeline, "amended").map((a) => a.applicant?.name).filter(Boolean).at(-1);
  const applicantName = amendedName ?? received?.applicant.name ?? null;
  const closed = ev.timeline.find((e) => e.type === "completed" || e.type === "rejected");
  const keys = [...contributions(ev), ...tallyKeys(ev, promisedDays)].sort();
  plan.caseRow = {
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
    ...timelineFields(outcome),
  };
  const before = counters.size;
  diffContributions(
    prev ? { department: prev.department, hall: prev.hall, keys: prev.contributions } : undefined,
    { department, hall: ev.hall, keys },
    counters,
  );
  let changed = counters.size !== before || !prev || prev.error !== null ||
    canonicalJson(prev.result) !== canonicalJson(result) || prev.department !== department;

  const place = { department, hall: ev.hall, region, itemCode: ev.itemCode };
  const stored = new Map(
    (previous?.alerts ?? []).map((a) => [alertKey({ ...a, case: result.case }), a]),
  );
  const matched = new Set<number>();
  result.alerts.forEach((a, i) => {
    const raisedAt = ev.alerts[i].raisedAt;
    const s = stored.get(alertKey({ ...a, case: result.case }));
    if (!s) {
      const history = [{ change: "raised", on: a.on }];
      if (a.resolved) history.push({ change: "resolved", on: a.resolved });
      if (a.voided) history.push({ change: "voided", on: a.voided });
      plan.newAlerts.push({
        row: {
          caseId: result.case,
          rule: a.rule,
          subject: a.subject ?? "",
          level: a.level,
          on: a.on,
          raisedAt: new Date(raisedAt),
          resolvedOn: a.resolved,
          voidedOn: a.voided ?? null,
          ...place,
        },
        history,
      });
      if (raisedAt >= now - FRESH_ALERT_MS && !a.voided) announce(plan, a, ev, applicantName, region);
      return;
    }
    matched.add(s.id);
    const history: { change: string; on: string | null }[] = [];
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
  });
  for (const s of previous?.alerts ?? []) {
    if (matched.has(s.id) || s.withdrawn) continue;
    // A late event shows this alert never applied: keep it, marked withdrawn.
    plan.alertUpdates.push({
      id: s.id,
      resolvedOn: s.resolvedOn,
      voidedOn: s.voidedOn,
      withdrawnAt: at,
      history: [{ change: "withdrawn", on: null }],
    });
  }

  const storedFindings = new Map((previous?.findings ?? []).map((f) => [`${f.rule}|${f.on}`, f.state]));
  const current = new Set<string>();
  for (const f of result.findings) {
    current.add(`${f.rule}|${f.on}`);
    if (storedFindings.get(`${f.rule}|${f.on}`) !== f.state) {
      plan.findings.push({ caseId: result.case, rule: f.rule, on: f.on, state: f.state, department });
    }
  }
  for (const [key, state] of storedFindings) {
    if (current.has(key) || state === "withdrawn") continue;
    const [rule, on] = key.split("|");
    plan.findings.push({ caseId: result.case, rule, on, state: "withdrawn", department });
  }

  const storedManual = new Map(
    (previous?.manual ?? []).map((m) => [`${m.rule}|${m.kind}|${m.subject}|${m.openedAt}`, m]),
  );
  const openNow = new Set<string>();
  for (const m of ev.manual) {
    const key = `${m.rule}|${m.kind}|${m.subject ?? ""}|${m.openedAt}`;
    openNow.add(key);
    if (storedManual.get(key)?.closedAt === m.closedAt) continue;
    plan.manual.push(
      manualRow(result.case, m.rule, m.kind, m.subject ?? "", m.openedAt, m.closedAt, department, region),
    );
  }
  for (const [key, m] of storedManual) {
    // Data conflicts are opened by ingestion, not by the evaluator (server/data_conflicts.ts).
    if (openNow.has(key) || m.closedAt !== null || m.kind === "data_conflict") continue;
    plan.manual.push(manualRow(result.case, m.rule, m.kind, m.subject, m.openedAt, now, department, region));
  }

  changed ||=
    plan.newAlerts.length + plan.alertUpdates.length + plan.findings.length + plan.manual.length > 0;
  plan.changed = changed;
  plan.departments = [...new Set([department, prev?.department].filter((d): d is string => !!d))];
  plan.halls = [...new Set([ev.hall, prev?.hall].filter((h): h is string => !!h))];
  return plan;
}

function manualRow(
  caseId: string,
  rule: string,
  kind: string,
  subject: string,
  openedAt: number,
  closedAt: number | null,
  department: string | null,
  region: string | null,
): Record<string, unknown> {
  return {
    caseId,
    rule,
    kind,
    subject,
    openedAt: new Date(openedAt),
    closedAt: closedAt === null ? null : new Date(closedAt),
    department,
    region,
  };
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
