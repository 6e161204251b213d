/**
 * Test-only: run one rule on its own, cut at the end of a date the way the evaluator cuts, and
 * report its alerts in the EXCHANGE.md shape. Lets a rule be tested without the other rules.
 *
 * @module
 */
import { CALENDAR, item as defaultItem } from "./test_fixtures.ts";
import { dateIn, endOfDay } from "./dates.ts";
import { buildClock } from "./clock.ts";
import type { Rule } from "./projection.ts";
import { buildTimeline, firstOf } from "./timeline.ts";
import type { Alert, CaseEvent, Item } from "./types.ts";

/** Alerts of `rule` for the events known by the end of `asOfDate`, sorted as EXCHANGE.md sorts them. */
export function ruleAlertsOn(
  rule: Rule,
  events: CaseEvent[],
  asOfDate: string,
  it: Item = defaultItem(),
): Alert[] {
  const asOf = endOfDay(asOfDate);
  const timeline = buildTimeline(events).filter((e) => e.ms <= asOf);
  const received = firstOf(timeline, "received");
  if (!received) return [];
  const clock = buildClock(timeline, it, CALENDAR);
  const out = rule({ caseId: received.case, item: it, calendar: CALENDAR, timeline, received, clock });
  return (out.alerts ?? [])
    .filter((a) => a.raisedAt <= asOf)
    .map((a): Alert => ({
      rule: a.rule,
      level: a.level,
      on: dateIn(a.raisedAt),
      subject: a.subject,
      resolved: a.resolvedAt !== null && a.resolvedAt <= asOf ? dateIn(a.resolvedAt) : null,
    }))
    .sort((a, b) =>
      a.on.localeCompare(b.on) || a.rule.localeCompare(b.rule) || a.level.localeCompare(b.level) ||
      (a.subject ?? "").localeCompare(b.subject ?? "")
    );
}

/** Shorthand for an expected alert. */
export function alert(
  rule: string,
  level: "warning" | "red",
  on: string,
  resolved: string | null = null,
  subject: string | null = null,
): Alert {
  return { rule, level, on, subject, resolved };
}
