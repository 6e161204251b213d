import { deepEqual, equal } from "node:assert/strict";
import { epochMs, startOfDay } from "./dates.ts";
import { at, ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { Alert, CaseEvent } from "./types.ts";

function alerts81(events: CaseEvent[], asOf: string, promisedDays: number): Alert[] {
  const it = item({ promisedDays });
  return evaluateOn([received("2024-09-20", it), ...events], asOf, it).result.alerts
    .filter((a) => a.rule === "8.1");
}

const warning = (on: string, resolved: string | null = null): Alert => ({
  rule: "8.1",
  level: "warning",
  on,
  subject: null,
  resolved,
});
const red = (on: string): Alert => ({ rule: "8.1", level: "red", on, subject: null, resolved: null });

Deno.test("8.1 warns at 00:00 of the first working day after National Day when remaining reaches 2", () => {
  // N = 5 from Friday 2024-09-27: counting days 09-29 (Sunday, adjusted), 09-30, 10-08, 10-09, 10-10.
  const events = [ev("accepted", "2024-09-27 10:00", {})];
  deepEqual(alerts81(events, "2024-10-07", 5), []);
  deepEqual(alerts81(events, "2024-10-08", 5), [warning("2024-10-08")]);
  deepEqual(alerts81(events, "2024-10-09", 5), [warning("2024-10-08")]);
  const it = item({ promisedDays: 5 });
  const evaluation = evaluateOn([received("2024-09-20", it), ...events], "2024-10-07", it);
  equal(evaluation.nextChangeAt, startOfDay("2024-10-08"));
});

Deno.test("8.1 red card at 00:00 of the first counting day after the deadline supersedes the warning", () => {
  const events = [ev("accepted", "2024-09-27 10:00", {})];
  deepEqual(alerts81(events, "2024-10-10", 5), [warning("2024-10-08")]);
  deepEqual(alerts81(events, "2024-10-11", 5), [warning("2024-10-08", "2024-10-11"), red("2024-10-11")]);
  deepEqual(alerts81(events, "2024-10-14", 5), [warning("2024-10-08", "2024-10-11"), red("2024-10-11")]);
});

Deno.test("8.1 boundaries on adjusted working days: a Sunday warning and a Saturday red card", () => {
  // N = 3 from 2024-09-27 warns on the 1st counting day: Sunday 09-29, an adjusted working day.
  const events = [ev("accepted", "2024-09-27 10:00", {})];
  deepEqual(alerts81(events, "2024-09-28", 3), []);
  deepEqual(alerts81(events, "2024-09-29", 3), [warning("2024-09-29")]);
  // N = 6: the 7th counting day is Saturday 10-12, an adjusted working day.
  deepEqual(alerts81(events, "2024-10-11", 6).filter((a) => a.level === "red"), []);
  deepEqual(alerts81(events, "2024-10-12", 6).filter((a) => a.level === "red"), [red("2024-10-12")]);
  deepEqual(alerts81(events, "2024-10-13", 6).filter((a) => a.level === "red"), [red("2024-10-12")]);
});

Deno.test("8.1 over the Spring Festival 2025: warning on 02-05, red on Saturday 02-08", () => {
  // N = 3 from Monday 2025-01-27: counting days 02-05, 02-06, 02-07, then Saturday 02-08 (adjusted).
  const events = [ev("accepted", "2025-01-27 10:00", {})];
  deepEqual(alerts81(events, "2025-02-04", 3), []);
  deepEqual(alerts81(events, "2025-02-05", 3), [warning("2025-02-05")]);
  deepEqual(alerts81(events, "2025-02-07", 3), [warning("2025-02-05")]);
  deepEqual(alerts81(events, "2025-02-08", 3), [warning("2025-02-05", "2025-02-08"), red("2025-02-08")]);
});

Deno.test("8.1 with N = 1 or 2 warns at the acceptance instant", () => {
  const it = item({ promisedDays: 2 });
  const ev81 = [
    ...evaluateOn([received("2024-10-14", it), ev("accepted", "2024-10-14 10:30", {})], "2024-10-14", it)
      .raised.values(),
  ].filter((a) => a.rule === "8.1");
  deepEqual(ev81.map((a) => [a.level, a.raisedAt]), [["warning", epochMs(at("2024-10-14 10:30"))]]);
  deepEqual(alerts81([ev("accepted", "2024-10-14 10:30", {})], "2024-10-14", 1), [warning("2024-10-14")]);
});

Deno.test("8.1 with N = 2 accepted during a correction pause warns when the pause closes", () => {
  const events = [
    ev("correction_requested", "2024-10-11 10:00", { materials: ["申请书"] }),
    ev("accepted", "2024-10-14 10:00", {}),
    ev("correction_completed", "2024-10-16 14:00", {}),
  ];
  deepEqual(alerts81(events, "2024-10-15", 2), []);
  const it = item({ promisedDays: 2 });
  const warned = [...evaluateOn([received("2024-09-20", it), ...events], "2024-10-16", it).raised.values()]
    .filter((a) => a.rule === "8.1");
  deepEqual(warned.map((a) => a.raisedAt), [epochMs(at("2024-10-16 14:00"))]);
});

Deno.test("8.1 gives an N = 0 item no warning, only a red card on the next working day", () => {
  // Accepted Monday 2024-09-30: the next working day is 10-08, after National Day.
  const events = [ev("accepted", "2024-09-30 10:00", {})];
  deepEqual(alerts81(events, "2024-10-07", 0), []);
  deepEqual(alerts81(events, "2024-10-08", 0), [red("2024-10-08")]);
});

Deno.test("8.1 warning is resolved on completion, and a completed case gets no red card", () => {
  const events = [
    ev("accepted", "2024-09-27 10:00", {}),
    ev("completed", "2024-10-09 16:00", { result: "normal" }),
  ];
  deepEqual(alerts81(events, "2024-10-31", 5), [warning("2024-10-08", "2024-10-09")]);
  const early = [
    ev("accepted", "2024-09-27 10:00", {}),
    ev("rejected", "2024-09-30 16:00", { reason: "材料不全" }),
  ];
  deepEqual(alerts81(early, "2024-10-31", 5), []);
});

Deno.test("8.1 a pause after the warning does not resolve it and pushes the red card back", () => {
  // N = 5 from 2024-09-27: warning 10-08; correction 10-09 → 10-15 pauses 10-10..10-15.
  const events = [
    ev("accepted", "2024-09-27 10:00", {}),
    ev("correction_requested", "2024-10-09 10:00", { materials: ["营业执照"] }),
    ev("correction_completed", "2024-10-15 10:00", {}),
  ];
  // Counting days 4 and 5 fall on 10-09 and 10-16: red at 00:00 10-17.
  deepEqual(alerts81(events, "2024-10-16", 5), [warning("2024-10-08")]);
  deepEqual(alerts81(events, "2024-10-17", 5), [warning("2024-10-08", "2024-10-17"), red("2024-10-17")]);
  // While the pause is still open, no red card is projected.
  deepEqual(alerts81(events.slice(0, 2), "2024-12-31", 5), [warning("2024-10-08")]);
});
