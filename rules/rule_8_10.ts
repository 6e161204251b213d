/**
 * Rule 8.10 受理监察: a case received online or in the hall with no acceptance opinion (受理, 不受理,
 * or a correction notice) within 2 working days: warning at 00:00 of `addWorkdays(X, 3)` (X = received
 * date), red card at 00:00 of `addWorkdays(W, 4)` if still none. The opinion resolves the warning.
 *
 * @module
 */
import { dateIn } from "./dates.ts";
import { breachAt, type ConditionChange, escalate } from "./escalation.ts";
import type { Rule } from "./projection.ts";

/** Working days after receipt within which an acceptance opinion is due. */
export const OPINION_WORKDAYS = 2;

const OPINIONS = new Set(["accepted", "rejected", "correction_requested"]);

/** Rule 8.10. */
export const rule810: Rule = ({ calendar, timeline, received }) => {
  if (received.channel === "other") return {};
  const warnAt = breachAt(calendar, received.date, OPINION_WORKDAYS);
  const opinion = timeline.find((e) => OPINIONS.has(e.type));
  if (opinion && opinion.ms < warnAt) return {};
  const changes: ConditionChange[] = [{ ms: warnAt, date: dateIn(warnAt), holds: true }];
  if (opinion) changes.push({ ms: opinion.ms, date: opinion.date, holds: false });
  return { alerts: escalate("8.10", null, changes, calendar) };
};
