/**
 * Rules 8.3p and 8.3 特别程序时限监察: a special procedure still running when its time is up.
 * 8.3p is the pre-approval public notice (批前公示, notice period ending T): warning at 00:00 of
 * `addWorkdays(T, 2)`, red card at 00:00 of `addWorkdays(T, 3)`. 8.3 is any other procedure with end
 * date L: warning at 00:00 of the last working day before L, red card at 00:00 of `addWorkdays(L, 1)`.
 * A `special_completed` resolves the warning at its instant. Subject: the procedure's name.
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import type { PauseInterval } from "./clock.ts";
import { startOfDay } from "./dates.ts";
import type { ProjectedAlert, Rule } from "./projection.ts";
import type { IsoDate } from "./types.ts";

/** An alert of one run, with the instant the run ends (Infinity while it is still open). */
interface Candidate {
  alert: ProjectedAlert;
  runEnds: number;
}

/**
 * The alerts of one run whose warning and red card are due on the given days. *Reading*: an alert
 * due before the run even started is raised at the start, when its condition begins to hold.
 */
function overrun(rule: string, run: PauseInterval, warnDay: IsoDate, redDay: IsoDate): Candidate[] {
  const runEnds = run.toAt ?? Infinity;
  const warnAt = Math.max(startOfDay(warnDay), run.fromAt);
  const redAt = Math.max(startOfDay(redDay), run.fromAt);
  const red = runEnds > redAt;
  const base = { rule, subject: run.procedure };
  const out: Candidate[] = [];
  if (runEnds > warnAt && warnAt < redAt) {
    const resolvedAt = red ? redAt : run.toAt;
    out.push({ alert: { ...base, level: "warning", raisedAt: warnAt, resolvedAt }, runEnds });
  }
  if (red) out.push({ alert: { ...base, level: "red", raisedAt: redAt, resolvedAt: null }, runEnds });
  return out;
}

/**
 * Keep one active alert per subject: a warning is active until resolved, a red card until its run
 * ends. A candidate meeting an active alert of its level (or any, for a warning) is the same breach
 * and is dropped; a red card supersedes the subject's active warnings.
 */
function oneActive(candidates: Candidate[]): ProjectedAlert[] {
  const rank = (c: Candidate) => (c.alert.level === "warning" ? 0 : 1);
  const sorted = [...candidates].sort((x, y) => x.alert.raisedAt - y.alert.raisedAt || rank(x) - rank(y));
  const kept: Candidate[] = [];
  for (const c of sorted) {
    const t = c.alert.raisedAt;
    const active = kept.filter((k) =>
      k.alert.subject === c.alert.subject &&
      (k.alert.level === "red" ? k.runEnds > t : k.alert.resolvedAt === null || k.alert.resolvedAt > t)
    );
    if (c.alert.level === "warning" ? active.length > 0 : active.some((k) => k.alert.level === "red")) {
      continue;
    }
    for (const k of active) k.alert.resolvedAt = Math.min(k.alert.resolvedAt ?? Infinity, t);
    kept.push(c);
  }
  return kept.map((k) => k.alert);
}

function specialRule(
  rule: string,
  applies: (run: PauseInterval) => boolean,
  days: (calendar: Calendar, until: IsoDate) => [warn: IsoDate, red: IsoDate],
): Rule {
  return ({ calendar, clock }) => {
    const runs = clock.pauses.filter((p) => p.kind === "special" && applies(p));
    return { alerts: oneActive(runs.flatMap((run) => overrun(rule, run, ...days(calendar, run.until!)))) };
  };
}

/** Rule 8.3p: 批前公示 not completed 2 working days after its notice period ends. */
export const rule83p: Rule = specialRule(
  "8.3p",
  (run) => run.procedure === "批前公示",
  (calendar, t) => [calendar.addWorkdays(t, 2), calendar.addWorkdays(t, 3)],
);

/** Rule 8.3: any other special procedure not completed by its end date L. */
export const rule83: Rule = specialRule(
  "8.3",
  (run) => run.procedure !== "批前公示",
  (calendar, l) => [calendar.addWorkdays(l, -1), calendar.addWorkdays(l, 1)],
);
