import { deepEqual } from "node:assert/strict";
import { buildClock, type ProcessingClock } from "./clock.ts";
import { epochMs } from "./dates.ts";
import { at, CALENDAR, ev, item, received } from "./test_fixtures.ts";
import { buildTimeline } from "./timeline.ts";
import type { CaseEvent } from "./types.ts";

function clockOf(events: CaseEvent[], promisedDays = 10): ProcessingClock {
  const it = item({ promisedDays });
  return buildClock(buildTimeline([received("2024-09-20", it), ...events]), it, CALENDAR);
}

function remainingOn(clock: ProcessingClock, dates: string[]): (number | null)[] {
  return dates.map((d) => clock.remaining(d));
}

Deno.test("remaining() skips the National Day holiday and counts the adjusted working days", () => {
  // Accepted Friday 2024-09-27; Sunday 09-29 is a working day, 10-01..07 are off, Saturday 10-12 works.
  const clock = clockOf([ev("accepted", "2024-09-27 10:00", {})], 5);
  deepEqual(
    remainingOn(clock, ["2024-09-27", "2024-09-28", "2024-09-29", "2024-09-30", "2024-10-07", "2024-10-08"]),
    [5, 5, 4, 3, 3, 2],
  );
  // The deadline (5th counting day) is Thursday 10-10: 0 on the day, negative after.
  deepEqual(remainingOn(clock, ["2024-10-09", "2024-10-10", "2024-10-11", "2024-10-12"]), [1, 0, -1, -2]);
  deepEqual(clock.deadline("2024-09-27"), "2024-10-10");
  deepEqual(clock.countingDay(1), "2024-09-29");
  deepEqual(clock.countingDay(6), "2024-10-11");
  deepEqual(clock.countingDay(7), "2024-10-12");
});

Deno.test("the deadline over the Spring Festival 2025 lands after the holiday, counting Sunday 01-26", () => {
  const clock = clockOf([ev("accepted", "2025-01-24 10:00", {})], 3);
  deepEqual(clock.countingDay(1), "2025-01-26");
  deepEqual(clock.countingDay(2), "2025-01-27");
  deepEqual(clock.deadline("2025-01-24"), "2025-02-05");
  deepEqual(remainingOn(clock, ["2025-01-27", "2025-02-04", "2025-02-05", "2025-02-06"]), [1, 1, 0, -1]);
  deepEqual(clock.countingDay(6), "2025-02-08");
});

Deno.test("a correction pause across National Day freezes remaining and hides the deadline", () => {
  const clock = clockOf([
    ev("accepted", "2024-09-23 10:00", {}),
    ev("correction_requested", "2024-09-27 15:00", { materials: ["申请书"] }),
    ev("correction_completed", "2024-10-09 11:00", {}),
  ]);
  // Counting days 09-24..27 (4); paused 09-29, 09-30, 10-08, 10-09; then 10-10, 10-11, 10-12, 10-14...
  deepEqual(remainingOn(clock, ["2024-09-27", "2024-09-30", "2024-10-08", "2024-10-09"]), [6, 6, 6, 6]);
  deepEqual(remainingOn(clock, ["2024-10-10", "2024-10-12", "2024-10-16", "2024-10-17"]), [5, 3, 0, -1]);
  deepEqual(clock.deadline("2024-09-26"), "2024-10-11");
  deepEqual(clock.deadline("2024-09-27"), null);
  deepEqual(clock.deadline("2024-10-08"), null);
  deepEqual(clock.deadline("2024-10-09"), "2024-10-16");
  deepEqual(clock.pausedAt(epochMs(at("2024-09-27 14:59"))), false);
  deepEqual(clock.pausedAt(epochMs(at("2024-10-09 10:59"))), true);
  deepEqual(clock.pausedAt(epochMs(at("2024-10-09 11:00"))), false);
});

Deno.test("an open pause makes later counting days unknown", () => {
  const clock = clockOf([
    ev("accepted", "2024-10-14 10:00", {}),
    ev("special_started", "2024-10-16 10:00", { procedure: "检验", until: "2024-10-30" }),
  ]);
  deepEqual(clock.countingDay(2), "2024-10-16");
  deepEqual(clock.countingDay(3), null);
  deepEqual(clock.deadline("2024-10-15"), "2024-10-28");
  deepEqual(clock.deadline("2024-10-16"), null);
  deepEqual(remainingOn(clock, ["2024-10-16", "2024-10-17", "2024-11-30"]), [8, 8, 8]);
  deepEqual(clock.unpausedFrom(epochMs(at("2024-10-17"))), null);
  deepEqual(clock.unpausedFrom(epochMs(at("2024-10-16 09:00"))), epochMs(at("2024-10-16 09:00")));
});

Deno.test("overlapping pauses merge: a day covered twice is paused once", () => {
  const clock = clockOf([
    ev("accepted", "2024-10-14 10:00", {}),
    ev("correction_requested", "2024-10-14 15:00", { materials: ["申请书"] }),
    ev("special_started", "2024-10-15 10:00", { procedure: "检测", until: "2024-10-30" }),
    ev("correction_completed", "2024-10-16 11:00", {}),
    ev("special_completed", "2024-10-18 11:00", { procedure: "检测" }),
  ]);
  // Paused 10-15..10-18; counting from 10-21 (Monday).
  deepEqual(clock.pauses.length, 2);
  deepEqual(remainingOn(clock, ["2024-10-18", "2024-10-21"]), [10, 9]);
  deepEqual(clock.countingDay(1), "2024-10-21");
  deepEqual(clock.unpausedFrom(epochMs(at("2024-10-15 12:00"))), epochMs(at("2024-10-18 11:00")));
});

Deno.test("a correction notice while one is open starts no interval; a stray confirmation changes nothing", () => {
  const clock = clockOf([
    ev("correction_completed", "2024-10-11 09:00", {}),
    ev("accepted", "2024-10-14 10:00", {}),
    ev("correction_requested", "2024-10-15 10:00", { materials: ["申请书"] }),
    ev("correction_requested", "2024-10-16 10:00", { materials: ["营业执照"] }),
    ev("correction_completed", "2024-10-17 10:00", {}),
    ev("correction_completed", "2024-10-18 10:00", {}),
  ]);
  deepEqual(clock.pauses.map((p) => [p.from, p.to]), [["2024-10-15", "2024-10-17"]]);
  deepEqual(remainingOn(clock, ["2024-10-17", "2024-10-18"]), [9, 8]);
});

Deno.test("special_completed closes the earliest open interval of the same procedure only", () => {
  const clock = clockOf([
    ev("accepted", "2024-10-14 10:00", {}),
    ev("special_started", "2024-10-15 10:00", { procedure: "检验", until: "2024-10-30" }),
    ev("special_started", "2024-10-16 10:00", { procedure: "检验", until: "2024-10-31" }),
    ev("special_started", "2024-10-16 11:00", { procedure: "鉴定", until: "2024-10-31" }),
    ev("special_completed", "2024-10-21 10:00", { procedure: "检验" }),
    ev("special_completed", "2024-10-22 10:00", { procedure: "听证" }),
  ]);
  deepEqual(
    clock.pauses.map((p) => [p.procedure, p.until, p.to]),
    [["检验", "2024-10-30", "2024-10-21"], ["检验", "2024-10-31", null], ["鉴定", "2024-10-31", null]],
  );
  deepEqual(clock.pausedAt(epochMs(at("2024-10-23"))), true);
});

Deno.test("remaining and the deadline freeze at completion", () => {
  const clock = clockOf([
    ev("accepted", "2024-10-08 10:00", {}),
    ev("completed", "2024-10-10 16:00", { result: "normal" }),
  ], 3);
  deepEqual(clock.closedBy, "completed");
  deepEqual(remainingOn(clock, ["2024-10-10", "2024-10-11", "2024-12-31"]), [1, 1, 1]);
  deepEqual(clock.deadline("2024-12-31"), "2024-10-11");
});

Deno.test("before acceptance the clock reads nothing; N = 0 is due on the acceptance day", () => {
  const pending = clockOf([]);
  deepEqual([pending.used("2024-10-10"), pending.remaining("2024-10-10"), pending.deadline("2024-10-10")], [
    0,
    null,
    null,
  ]);
  const instant = clockOf([ev("accepted", "2024-10-08 10:00", {})], 0);
  deepEqual(instant.deadline("2024-10-08"), "2024-10-08");
  deepEqual(remainingOn(instant, ["2024-10-07", "2024-10-08", "2024-10-09"]), [null, 0, -1]);
});

Deno.test("a rejection closes the clock even without acceptance", () => {
  const clock = clockOf([ev("rejected", "2024-10-08 10:00", { reason: "不属于受理范围" })]);
  deepEqual([clock.closedBy, clock.closedOn, clock.acceptedOn], ["rejected", "2024-10-08", null]);
});
