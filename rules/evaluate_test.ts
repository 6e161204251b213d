import { deepEqual, equal } from "node:assert/strict";
import { endOfDay, startOfDay } from "./dates.ts";
import { CALENDAR, ev, evaluateOn, item, received } from "./test_fixtures.ts";
import { evaluateCase } from "./evaluate.ts";

const it = item({ promisedDays: 5 });

Deno.test("a case without its received event is incomplete, with null or empty fields", () => {
  const e = evaluateOn([ev("accepted", "2024-10-08 10:00", {})], "2024-10-31", it);
  deepEqual(e.result, {
    case: "C1",
    status: "incomplete",
    deadline: null,
    remaining: null,
    paused: false,
    alerts: [],
    findings: [],
  });
  equal(e.nextChangeAt, null);
});

Deno.test("a case of an unknown item is incomplete but keeps the item code", () => {
  const other = item({ code: "UNKNOWN" });
  const e = evaluateOn(
    [received("2024-10-08", other), ev("accepted", "2024-10-08 10:00", {})],
    "2024-10-31",
    it,
  );
  equal(e.result.status, "incomplete");
  equal(e.itemCode, "UNKNOWN");
  deepEqual([e.result.alerts, e.nextChangeAt], [[], null]);
});

Deno.test("events after the as-of instant are ignored", () => {
  const events = [
    received("2024-10-08", it),
    ev("accepted", "2024-10-08 10:00", {}),
    ev("completed", "2024-10-11 10:00", { result: "normal" }),
  ];
  const before = evaluateOn(events, "2024-10-10", it).result;
  deepEqual([before.status, before.deadline, before.remaining], ["accepted", "2024-10-14", 3]);
  const after = evaluateOn(events, "2024-10-11", it).result;
  deepEqual([after.status, after.deadline, after.remaining], ["completed", "2024-10-14", 2]);
});

Deno.test("nextChangeAt is the earliest projected instant after as-of", () => {
  // N = 5 from 2024-09-27: 8.1 warning at 00:00 10-08, red card at 00:00 10-11.
  const events = [received("2024-09-27", it), ev("accepted", "2024-09-27 10:00", {})];
  equal(evaluateOn(events, "2024-09-30", it).nextChangeAt, startOfDay("2024-10-08"));
  equal(evaluateOn(events, "2024-10-08", it).nextChangeAt, startOfDay("2024-10-11"));
  equal(evaluateOn(events, "2024-10-11", it).nextChangeAt, null);
  // An unaccepted hall receipt on Thursday 09-26: 8.10's warning is due at 00:00 09-30.
  equal(evaluateOn([received("2024-09-26", it)], "2024-09-27", it).nextChangeAt, startOfDay("2024-09-30"));
});

Deno.test("alerts are sorted by date, then rule, level and subject", () => {
  const events = [
    received("2024-09-26 15:00", it),
    ev("special_started", "2024-09-30 10:00", { procedure: "鉴定", until: "2024-12-31" }),
    ev("special_started", "2024-09-30 11:00", { procedure: "听证", until: "2024-12-31" }),
    ev("correction_requested", "2024-10-14 10:00", { materials: ["申请书"] }),
  ];
  const alerts = evaluateOn(events, "2024-10-14", it).result.alerts;
  deepEqual(alerts.map((a) => [a.on, a.rule, a.level, a.subject]), [
    ["2024-09-30", "8.10", "warning", null],
    ["2024-09-30", "8.9", "red", "听证"],
    ["2024-09-30", "8.9", "red", "鉴定"],
    ["2024-10-11", "8.10", "red", null],
    ["2024-10-14", "8.2a", "warning", null],
  ]);
});

Deno.test("an event re-sent with the same id counts once", () => {
  const start = ev("special_started", "2024-10-09 10:00", { procedure: "检验", until: "2024-10-30" });
  const events = [
    received("2024-10-08", it),
    ev("accepted", "2024-10-08 10:00", {}),
    start,
    { ...start },
    ev("special_completed", "2024-10-11 10:00", { procedure: "检验" }),
  ];
  const r = evaluateOn(events, "2024-10-14", it).result;
  // One interval, closed on 10-11: counting days 10-09, Saturday 10-12 (调休), 10-14.
  deepEqual([r.paused, r.remaining, r.deadline], [false, 2, "2024-10-16"]);
});

Deno.test("the evaluator reports years it had no calendar for", () => {
  const events = [received("2027-03-01", it), ev("accepted", "2027-03-01 10:00", {})];
  const e = evaluateCase({
    caseId: "C1",
    events,
    item: () => it,
    calendar: CALENDAR,
    asOf: endOfDay("2027-03-02"),
  });
  deepEqual(e.calendarMissing, [2027]);
  deepEqual([e.result.deadline, e.result.remaining], ["2027-03-08", 4]);
});
