/**
 * The project's own copy of the State Council calendars 2019–2026.
 *
 * @module
 */
import { Calendar, type CalendarData } from "./calendar.ts";
import data from "./data/cn-official.json" with { type: "json" };

/** The built-in calendar data (State Council notices 2019–2026). */
export const BUILTIN_CALENDAR_DATA: CalendarData = data as CalendarData;

/** A calendar built from the built-in data. */
export function builtinCalendar(): Calendar {
  return new Calendar(BUILTIN_CALENDAR_DATA);
}
