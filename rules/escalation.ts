/**
 * The warning → red card escalation shared by the condition rules of article 8 (8.5c, 8.6, 8.7, 8.8):
 * an event makes a condition hold (a warning at that event), and if it still holds at 00:00 of
 * `addWorkdays(W, 4)` — the day after the 3 working days "预警发出后3个工作日内" allow — a red card
 * follows. An event that makes the condition stop holding resolves the warning on its date.
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import { startOfDay } from "./dates.ts";
import type { ProjectedAlert } from "./projection.ts";
import type { IsoDate } from "./types.ts";

/** The working days a warning leaves to fix the condition ("预警发出后3个工作日内"). */
export const GRACE_WORKDAYS = 3;

/** The condition's value right after an event. */
export interface ConditionChange {
  /** Epoch ms and Asia/Shanghai date of the event. */
  ms: number;
  date: IsoDate;
  /** True when the condition holds (something is wrong) after this event. */
  holds: boolean;
}

/** 00:00 of the first working day after `k` working days following `date`: the instant a breach of
 * "within k working days after date" is raised (RULES.md §1). */
export function breachAt(calendar: Calendar, date: IsoDate, k: number): number {
  return startOfDay(calendar.addWorkdays(date, k + 1));
}

/**
 * Project the alerts of one rule and subject from the condition's changes, in timeline order,
 * assuming no further events.
 *
 * An episode starts when the condition begins to hold (warning) and ends when it stops holding.
 * While it lasts the case holds one active alert; an episode that outlives its grace period gets a
 * red card, which supersedes the warning. *Reading*: once a red-carded episode has ended (the
 * condition was fixed, late), a new breach starts a new episode with a new warning — the red card
 * stays, but it judged the earlier breach.
 */
export function escalate(
  rule: string,
  subject: string | null,
  changes: readonly ConditionChange[],
  calendar: Calendar,
): ProjectedAlert[] {
  const out: ProjectedAlert[] = [];
  let warning: ProjectedAlert | null = null;
  let redAt = 0;
  let red = false;
  const raiseRed = () => {
    out.push({ rule, level: "red", subject, raisedAt: redAt, resolvedAt: null });
    warning!.resolvedAt = redAt;
    red = true;
  };
  for (const c of changes) {
    // A fix dated on the red card's day is late: the red card is raised at 00:00, before it.
    if (warning && !red && redAt <= c.ms) raiseRed();
    if (c.holds && !warning) {
      warning = { rule, level: "warning", subject, raisedAt: c.ms, resolvedAt: null };
      out.push(warning);
      redAt = breachAt(calendar, c.date, GRACE_WORKDAYS);
      red = false;
    } else if (!c.holds && warning) {
      if (!red) warning.resolvedAt = c.ms;
      warning = null;
    }
  }
  if (warning && !red) raiseRed();
  return out;
}
