/**
 * The evaluator: one pure function from (item, calendar, events, as-of instant) to the case's result.
 * The server's ingestion, its scheduler, the case API and `deno task evaluate` all call this.
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import { buildClock } from "./clock.ts";
import { type Countdown, countdownOf } from "./countdown.ts";
import { dateIn } from "./dates.ts";
import type {
  ManualEntry,
  ProjectedAlert,
  ProjectedFinding,
  RefusedAppeal,
  RuleContext,
  RuleOutput,
} from "./projection.ts";
import { RULES } from "./registry.ts";
import { applyReviews, projectedAlertKey, type ReviewRecord } from "./review.ts";
import { alertKey } from "./alert_key.ts";
import { caseOrigin } from "./case_department.ts";
import { buildTimeline, type TimedEvent } from "./timeline.ts";
import type { Alert, CaseEvent, CaseResult, CaseStatus, Finding, Item } from "./types.ts";

/** Inputs of {@linkcode evaluateCase}. */
export interface EvaluateInput {
  caseId: string;
  /** Every event of the case, in any order, possibly re-sent; those after `asOf` are ignored. */
  events: readonly CaseEvent[];
  /** Looks up an item by code; the case is `incomplete` while its item is unknown. */
  item: (code: string) => Item | undefined;
  calendar: Calendar;
  /** The as-of instant, epoch ms. */
  asOf: number;
}

/** The evaluator's answer: the EXCHANGE.md object plus what the server needs around it. */
export interface Evaluation {
  result: CaseResult;
  /** Epoch ms of the next instant at which the result changes by time alone; null when none is due. */
  nextChangeAt: number | null;
  /** The item code named by `received`, the item's department, and the hall, when known. */
  itemCode: string | null;
  department: string | null;
  hall: string | null;
  /** The timeline up to the as-of instant, in order. */
  timeline: readonly TimedEvent[];
  /**
   * The instants of each of `result.alerts` (raised, resolved), by the alert's identity
   * ({@linkcode alertKey}); read one with {@linkcode projectedOf}.
   */
  raised: ReadonlyMap<string, ProjectedAlert>;
  /** Findings with the transitions that have happened, parallel to `result.findings`. */
  findings: readonly ProjectedFinding[];
  /** Manual supervision items opened by the as-of instant (closed ones keep `closedAt`). */
  manual: readonly ManualEntry[];
  refusedAppeals: readonly RefusedAppeal[];
  /** Supervisor decisions (`review` events) as applied, for the case's history. */
  reviews: readonly ReviewRecord[];
  /** Red-card dispositions (article 11) given by supervisors, by alert. */
  dispositions: readonly {
    rule: string;
    subject: string | null;
    on: string;
    disposition: string;
    at: number;
    by: string;
  }[];
  /** Years the computation touched that have no loaded calendar (Monday–Friday was assumed). */
  calendarMissing: number[];
  /** remaining on later dates without evaluating again, until the next event (rules/countdown.ts). */
  countdown: Countdown;
  /**
   * Alerts the rules project after the as-of instant if no further event arrives (a warning's red
   * card, a time limit's warning), soonest first: the product tells staff by when to act.
   */
  upcoming: readonly { rule: string; level: "warning" | "red"; subject: string | null; raisedAt: number }[];
}

/** The projected alert (its instants) behind one of `ev.result.alerts`, matched by identity. */
export function projectedOf(
  ev: Pick<Evaluation, "result" | "raised">,
  alert: Pick<Alert, "rule" | "subject" | "level" | "on">,
): ProjectedAlert | undefined {
  return ev.raised.get(alertKey({ ...alert, case: ev.result.case }));
}

/** The EXCHANGE.md object of a case whose `received` or item is not known yet. */
export function incompleteResult(caseId: string): CaseResult {
  return {
    case: caseId,
    status: "incomplete",
    deadline: null,
    remaining: null,
    paused: false,
    alerts: [],
    findings: [],
  };
}

/** Evaluate one case as of an instant. Pure: the clock and the calendar are arguments. */
export function evaluateCase(input: EvaluateInput): Evaluation {
  const { caseId, calendar, asOf } = input;
  const all = buildTimeline(input.events);
  // In instant order: what is known at the as-of instant is a prefix (most often the whole).
  let known = all.length;
  while (known > 0 && all[known - 1].ms > asOf) known--;
  const timeline = known === all.length ? all : all.slice(0, known);
  const { received, item, department } = caseOrigin(timeline, input.item);
  const base = {
    itemCode: received?.item ?? null,
    department,
    hall: received?.hall ?? null,
    timeline,
  };
  if (!received || !item) {
    return {
      ...base,
      result: incompleteResult(caseId),
      nextChangeAt: null,
      raised: new Map(),
      findings: [],
      manual: [],
      refusedAppeals: [],
      reviews: [],
      dispositions: [],
      calendarMissing: [],
      countdown: { running: false, remaining: null },
      upcoming: [],
    };
  }

  const asOfDate = dateIn(asOf);
  const clock = buildClock(timeline, item, calendar);
  const ctx: RuleContext = { caseId, item, calendar, timeline, received, clock };
  const projected: Required<RuleOutput> = { alerts: [], findings: [], manual: [], refusedAppeals: [] };
  for (const rule of RULES) {
    const out = rule(ctx);
    // Appended in place (13 rules per case evaluated: no new array per rule).
    append(projected.alerts, out.alerts);
    append(projected.findings, out.findings);
    append(projected.manual, out.manual);
    append(projected.refusedAppeals, out.refusedAppeals);
  }
  const { refusedAppeals } = projected;
  const reviewed = applyReviews(ctx, projected);
  const { alerts, findings, manual } = reviewed;

  // Keep what has happened by the as-of instant; the earliest later instant is the next change.
  let next = Infinity;
  const seen = (ms: number | null | undefined): boolean => {
    if (ms == null) return false;
    if (ms > asOf) {
      if (ms < next) next = ms;
      return false;
    }
    return true;
  };
  // Each alert raised by then, with its identity (the key of voids, dispositions and `raised`).
  const raised: { key: string; projected: ProjectedAlert; alert: Alert }[] = [];
  for (const a of alerts) {
    if (!seen(a.raisedAt)) continue;
    const projected = { ...a, resolvedAt: seen(a.resolvedAt) ? a.resolvedAt : null };
    const key = projectedAlertKey(caseId, projected);
    raised.push({ key, projected, alert: toAlert(projected, reviewed.voidedAt.get(key), asOf) });
  }
  raised.sort((x, y) => compareAlerts(x.alert, y.alert));
  const happened = findings
    .map((f) => ({ ...f, transitions: f.transitions.filter((t) => seen(t.at)) }))
    .filter((f) => f.transitions.length > 0);
  const openedManual = manual
    .filter((m) => seen(m.openedAt))
    .map((m) => ({ ...m, closedAt: seen(m.closedAt) ? m.closedAt : null }));

  const status: CaseStatus = clock.closedBy ?? (clock.acceptedOn ? "accepted" : "received");
  const paused = clock.pausedAt(asOf);
  const result: CaseResult = {
    case: caseId,
    status,
    deadline: clock.deadline(asOfDate),
    remaining: clock.remaining(asOfDate),
    paused: clock.acceptedOn !== null && clock.closedBy === null && paused,
    alerts: raised.map((r) => r.alert),
    findings: happened.map(toFinding),
  };
  let lastDate = asOfDate;
  for (const e of timeline) if (e.date > lastDate) lastDate = e.date;
  return {
    ...base,
    result,
    nextChangeAt: Number.isFinite(next) ? next : null,
    raised: new Map(raised.map((r) => [r.key, r.projected])),
    findings: happened,
    manual: openedManual,
    refusedAppeals,
    reviews: reviewed.records,
    dispositions: raised.flatMap(({ key, projected: a, alert }) => {
      const d = reviewed.dispositions.get(key);
      return d ? [{ rule: a.rule, subject: a.subject, on: alert.on, ...d }] : [];
    }),
    calendarMissing: calendar.missingYears(received.date, lastDate),
    countdown: countdownOf(result, asOfDate, calendar),
    upcoming: alerts
      .filter((a) => a.raisedAt > asOf)
      .map(({ rule, level, subject, raisedAt }) => ({ rule, level, subject, raisedAt }))
      .sort((x, y) => x.raisedAt - y.raisedAt),
  };
}

function append<T>(into: T[], from: readonly T[] | undefined): void {
  if (from) { for (const x of from) into.push(x); }
}

function toAlert(a: ProjectedAlert, voidedAt: number | undefined, asOf: number): Alert {
  const alert: Alert = {
    rule: a.rule,
    level: a.level,
    on: dateIn(a.raisedAt),
    subject: a.subject,
    resolved: a.resolvedAt == null ? null : dateIn(a.resolvedAt),
  };
  if (voidedAt !== undefined && voidedAt <= asOf) alert.voided = dateIn(voidedAt);
  return alert;
}

function toFinding(f: ProjectedFinding): Finding {
  return { rule: f.rule, state: f.transitions.at(-1)!.state, on: f.on };
}

function compareAlerts(a: Alert, b: Alert): number {
  // EXCHANGE.md: sorted by on, rule, level, subject, each compared as text.
  return cmp(a.on, b.on) || cmp(a.rule, b.rule) || cmp(a.level, b.level) ||
    cmp(a.subject ?? "", b.subject ?? "");
}

/** Order rule ids numerically by part: 8.2a < 8.3 < 8.3p < 8.10. */
export function compareRuleIds(a: string, b: string): number {
  const pa = a.split("."), pb = b.split(".");
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? "", y = pb[i] ?? "";
    const nx = parseInt(x, 10), ny = parseInt(y, 10);
    if (nx !== ny) return (Number.isNaN(nx) ? -1 : nx) - (Number.isNaN(ny) ? -1 : ny);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
