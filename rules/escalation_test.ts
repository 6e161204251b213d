import assert from "node:assert/strict";
import { dateIn, epochMs, startOfDay } from "./dates.ts";
import { breachAt, type ConditionChange, escalate } from "./escalation.ts";
import { at, CALENDAR } from "./test_fixtures.ts";

const change = (when: string, holds: boolean): ConditionChange => {
  const ms = epochMs(at(when));
  return { ms, date: dateIn(ms), holds };
};
const day = (ms: number | null) => (ms === null ? null : dateIn(ms));
const summary = (changes: ConditionChange[]) =>
  escalate("X", null, changes, CALENDAR).map((a) => [a.level, day(a.raisedAt), day(a.resolvedAt)]);

Deno.test("breachAt() is 00:00 of addWorkdays(date, k + 1), skipping National Day", () => {
  assert.equal(breachAt(CALENDAR, "2024-09-30", 3), startOfDay("2024-10-11"));
  assert.equal(breachAt(CALENDAR, "2024-09-27", 3), startOfDay("2024-10-09"));
});

Deno.test("escalate() warns at the first breach and turns red 4 working days later, superseding it", () => {
  assert.deepStrictEqual(summary([change("2024-10-08 10:00", true)]), [
    ["warning", "2024-10-08", "2024-10-12"],
    ["red", "2024-10-12", null],
  ]);
  const alerts = escalate("X", "S", [change("2024-10-08 10:00", true)], CALENDAR);
  assert.equal(alerts[1].raisedAt, startOfDay("2024-10-12"));
  assert.equal(alerts[0].raisedAt, epochMs(at("2024-10-08 10:00")));
  assert.equal(alerts[0].subject, "S");
});

Deno.test("escalate() ignores repeated breaches and fixes that change nothing", () => {
  assert.deepStrictEqual(
    summary([
      change("2024-10-07", false),
      change("2024-10-08", true),
      change("2024-10-10", true),
      change("2024-10-11 23:59", false),
      change("2024-10-12", false),
    ]),
    [["warning", "2024-10-08", "2024-10-11"]],
  );
});

Deno.test("escalate() treats a fix at 00:00 of the red day as late", () => {
  assert.deepStrictEqual(summary([change("2024-10-08", true), change("2024-10-12 00:00", false)]), [
    ["warning", "2024-10-08", "2024-10-12"],
    ["red", "2024-10-12", null],
  ]);
});

Deno.test("escalate() starts a new episode after a fix, also after a red card", () => {
  assert.deepStrictEqual(
    summary([
      change("2024-10-08", true),
      change("2024-10-14", false),
      change("2024-10-15", true),
      change("2024-10-16", false),
    ]),
    [
      ["warning", "2024-10-08", "2024-10-12"],
      ["red", "2024-10-12", null],
      ["warning", "2024-10-15", "2024-10-16"],
    ],
  );
});
