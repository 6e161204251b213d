import assert from "node:assert/strict";
import { BUILTIN_CALENDAR_DATA } from "../../rules/builtin_calendar.ts";
import { Calendar } from "../../rules/calendar.ts";
import { shanghaiInstant } from "../../rules/dates.ts";
import { orderDeadline, overdueAfter } from "./order_dates.ts";

const cal = new Calendar(BUILTIN_CALENDAR_DATA);

Deno.test("orderDeadline() skips the National Day holiday 2024 and counts the make-up Saturday", () => {
  // Issued Mon 2024-09-30; 10-01..07 off, Sat 10-12 is a working day: 5 working days = 10-08..10-12.
  const { dueOn, overdueAt } = orderDeadline(cal, "2024-09-30", 5);
  assert.equal(dueOn, "2024-10-12");
  assert.equal(shanghaiInstant(overdueAt), "2024-10-14T00:00:00+08:00");
});

Deno.test("orderDeadline() across the Spring Festival 2025 (off 01-28..02-04, make-up days Sun 01-26 and Sat 02-08)", () => {
  // Issued Fri 2025-01-24: working days after it are Sun 01-26, Mon 01-27, then Wed 02-05, Thu 02-06, Fri 02-07.
  const { dueOn, overdueAt } = orderDeadline(cal, "2025-01-24", 5);
  assert.equal(dueOn, "2025-02-07");
  // The sixth working day is the make-up Saturday 02-08.
  assert.equal(shanghaiInstant(overdueAt), "2025-02-08T00:00:00+08:00");
});

Deno.test("orderDeadline() issued on a holiday counts from the next working day", () => {
  assert.equal(orderDeadline(cal, "2024-10-03", 1).dueOn, "2024-10-08");
});

Deno.test("overdueAfter() an explicit due date is 00:00 of the next working day", () => {
  assert.equal(shanghaiInstant(overdueAfter(cal, "2024-09-30")), "2024-10-08T00:00:00+08:00");
});
