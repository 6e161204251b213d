/**
 * A supervision order's deadlines (RULES.md §5): the reply is due by the end of
 * `addWorkdays(date, k)`; an order without a reply is overdue from 00:00 of `addWorkdays(date, k + 1)`.
 * `date` is the day the order was issued, or returned with a new deadline.
 *
 * @module
 */
import type { Calendar } from "../../rules/calendar.ts";
import { startOfDay } from "../../rules/dates.ts";
import type { IsoDate } from "../../rules/types.ts";

/** The default reply period, in working days. */
export const DEFAULT_ORDER_DAYS = 5;
/** The longest reply period, in working days. */
export const MAX_ORDER_DAYS = 60;

/** The reply deadline and the instant the order turns overdue. */
export function orderDeadline(
  calendar: Calendar,
  from: IsoDate,
  days: number,
): { dueOn: IsoDate; overdueAt: number } {
  return {
    dueOn: calendar.addWorkdays(from, days),
    overdueAt: startOfDay(calendar.addWorkdays(from, days + 1)),
  };
}

/** The instant an order with an explicit due date turns overdue: 00:00 of the next working day. */
export function overdueAfter(calendar: Calendar, dueOn: IsoDate): number {
  return startOfDay(calendar.addWorkdays(dueOn, 1));
}
