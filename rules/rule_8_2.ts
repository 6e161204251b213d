/**
 * Rules 8.2a and 8.2b 补正告知监察 (article 8(二)): a correction notice issued late, and a later notice
 * asking for materials the first did not list. Both raise a warning at the notice and open manual
 * supervision (人工监察); a supervisor decides, so neither has a red card or resolves by itself.
 *
 * @module
 */
import type { Rule, RuleOutput } from "./projection.ts";
import { ofType, type TimedOf } from "./timeline.ts";

/** Working days after receipt within which a correction notice is timely (*reading*: 及时 = 5, 行政许可法 art. 32). */
export const CORRECTION_WORKDAYS = 5;

/** A warning and an open manual item at a notice. One per case: the warning stays active. */
function flag(
  rule: "8.2a" | "8.2b",
  kind: "late_correction" | "new_materials",
  notice: TimedOf<"correction_requested"> | undefined,
): RuleOutput {
  if (!notice) return {};
  return {
    alerts: [{ rule, level: "warning", subject: null, raisedAt: notice.ms, resolvedAt: null }],
    manual: [{ rule, kind, subject: null, openedAt: notice.ms, closedAt: null }],
  };
}

/** Rule 8.2a: the first correction notice dated after `addWorkdays(date(received), 5)`. */
export const rule82a: Rule = ({ calendar, timeline, received }) => {
  const limit = calendar.addWorkdays(received.date, CORRECTION_WORKDAYS);
  const late = ofType(timeline, "correction_requested").find((n) => n.date > limit);
  return flag("8.2a", "late_correction", late);
};

/** Rule 8.2b: the first second-or-later correction notice listing a material not in the first notice. */
export const rule82b: Rule = ({ timeline }) => {
  const [first, ...later] = ofType(timeline, "correction_requested");
  const listed = new Set(first?.materials ?? []);
  return flag("8.2b", "new_materials", later.find((n) => n.materials.some((m) => !listed.has(m))));
};
