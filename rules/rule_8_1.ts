/**
 * Rule 8.1 办理时限监察 (RULES.md §2): a warning when remaining first reaches 2 working days, a red
 * card when the promised limit N is broken, both only while the case is open.
 *
 * @module
 */
import { startOfDay } from "./dates.ts";
import type { ProjectedAlert, Rule } from "./projection.ts";

/** Rule 8.1, projected from the processing clock. */
export const rule81: Rule = ({ clock }) => {
  if (clock.acceptedAt === null) return {};
  const n = clock.promisedDays;
  const open = (ms: number) => clock.closedAt === null || ms < clock.closedAt;
  const dayStart = (date: string | null) => (date === null ? null : startOfDay(date));

  // Red: 00:00 of the (N+1)-th counting day, the first day remaining < 0.
  const redAt = dayStart(clock.countingDay(n + 1));
  const red: ProjectedAlert | null = redAt !== null && open(redAt)
    ? { rule: "8.1", level: "red", subject: null, raisedAt: redAt, resolvedAt: null }
    : null;

  // Warning: remaining ≤ 2 while not paused — at 00:00 of the (N−2)-th counting day for N ≥ 3, else
  // at acceptance, or when the pause open at acceptance has closed. N = 0 gets none (*reading*).
  const warnAt = n === 0
    ? null
    : n >= 3
    ? dayStart(clock.countingDay(n - 2))
    : clock.unpausedFrom(clock.acceptedAt);
  const alerts: ProjectedAlert[] = [];
  if (warnAt !== null && open(warnAt)) {
    // Resolved on completion or rejection, or superseded by the red card; a pause does not resolve it.
    const ends = [clock.closedAt, red?.raisedAt].filter((t): t is number => t != null);
    alerts.push({
      rule: "8.1",
      level: "warning",
      subject: null,
      raisedAt: warnAt,
      resolvedAt: ends.length ? Math.min(...ends) : null,
    });
  }
  if (red) alerts.push(red);
  return { alerts };
};
