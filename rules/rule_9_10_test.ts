import assert from "node:assert/strict";
import { startOfDay } from "./dates.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { CaseEvent, EvaluationAnswers } from "./types.ts";

// Dates: National Day 2024 is 10-01..10-07 (rest days), 09-29 (Sun) and 10-12 (Sat) are working days.
// An evaluation on Fri 2024-09-27 can be appealed until addWorkdays(09-27, 10) = 2024-10-16.

const IT = item();
const UNSATISFIED = { satisfied: false, satisfactionReason: "等待时间太长" } as const;

/** A clean case completed in time, then evaluated on `evaluatedOn` with the given answers. */
function evaluatedCase(
  answers: EvaluationAnswers = UNSATISFIED,
  evaluatedOn = "2024-09-27 10:00",
): CaseEvent[] {
  return [
    received("2024-09-23 09:00", IT),
    ev("accepted", "2024-09-23 09:30", { handler: "赵六" }),
    ...IT.steps.map((name, i) => ev("step", `2024-09-2${3 + i} 11:00`, { name, handler: "赵六" })),
    ev("materials_submitted", "2024-09-23 09:10", { materials: ["申请书"] }),
    ev("completed", "2024-09-26 16:00", { result: "normal" }),
    ev("evaluation", evaluatedOn, answers),
  ];
}

const appeal = (when: string, rule = "9.1", id?: string) =>
  ev("appeal", when, { rule, text: "已按规定办理", ...(id ? { id } : {}) });
const second = (when: string, answers: EvaluationAnswers) => ev("second_evaluation", when, answers);
const review = (when: string, action: "judge" | "close_investigation", rule: string, abnormal: boolean) =>
  ev("review", when, { action, rule, abnormal, reason: "经核实", by: "监察员甲" });

function finding(events: CaseEvent[], asOf: string, rule = "9.1") {
  return evaluateOn(events, asOf, IT).result.findings.find((f) => f.rule === rule)?.state;
}

Deno.test("9.10 an appeal the day before and on the last day of the window is accepted, across National Day", () => {
  for (const day of ["2024-10-15", "2024-10-16"]) {
    const events = [...evaluatedCase(), appeal(`${day} 17:30`)];
    assert.equal(finding(events, day), "appealed", day);
    assert.deepStrictEqual(evaluateOn(events, day, IT).refusedAppeals, []);
  }
});

Deno.test("9.10 an appeal the day after the window is refused with the deadline, and changes nothing", () => {
  const events = [...evaluatedCase(), appeal("2024-10-17 08:30", "9.1", "A-late")];
  const out = evaluateOn(events, "2024-10-31", IT);
  assert.deepStrictEqual(out.result.findings, [{ rule: "9.1", state: "abnormal", on: "2024-09-27" }]);
  assert.deepStrictEqual(out.refusedAppeals, [{
    eventId: "A-late",
    rule: "9.1",
    reason: "申诉已超过期限：应在2024-10-16（含）前提出",
  }]);
  assert.equal(out.nextChangeAt, null);
});

Deno.test("9.10 appeals of a rule with no abnormal finding, repeated appeals and appeals of pending 9.9 are refused", () => {
  const events = [
    ...evaluatedCase({ ...UNSATISFIED, other: "希望增加自助终端" }),
    appeal("2024-09-30", "9.3", "A1"),
    appeal("2024-09-30", "9.9", "A2"),
    appeal("2024-10-08", "9.1", "A3"),
    appeal("2024-10-09", "9.1", "A4"),
  ];
  const out = evaluateOn(events, "2024-10-09", IT);
  assert.deepStrictEqual(out.refusedAppeals.map((r) => [r.eventId, r.reason]), [
    ["A1", "没有可申诉的异常评价：本办件未因规则9.3被评为异常"],
    ["A2", "该评价反馈尚未被判定为异常，不能申诉"],
    ["A4", "该异常评价已申诉，每项异常评价只能申诉一次"],
  ]);
  assert.equal(finding(events, "2024-10-09"), "appealed");
  assert.equal(finding(events, "2024-10-09", "9.9"), "pending");
});

Deno.test("9.10 a second evaluation that no longer triggers the rule overturns it, one that does upholds it", () => {
  const base = [...evaluatedCase(), appeal("2024-10-16 10:00")];
  assert.equal(finding([...base, second("2024-10-18", { satisfied: true })], "2024-10-18"), "overturned");
  assert.equal(
    finding([...base, second("2024-10-18", {})], "2024-10-18"),
    "overturned",
    "defaults: satisfied",
  );
  assert.equal(finding([...base, second("2024-10-18", UNSATISFIED)], "2024-10-18"), "upheld");
  assert.equal(finding([...base, second("2024-10-18", UNSATISFIED)], "2024-10-17"), "appealed");
});

Deno.test("9.10 a second evaluation the day before and on the last day of its window decides; the day after does not", () => {
  // Appeal on 10-16: the second evaluation is due by addWorkdays(10-16, 10) = 10-30.
  const base = [...evaluatedCase(), appeal("2024-10-16 10:00")];
  assert.equal(
    finding([...base, second("2024-10-29 18:00", { satisfied: true })], "2024-10-31"),
    "overturned",
  );
  assert.equal(
    finding([...base, second("2024-10-30 23:59", { satisfied: true })], "2024-10-31"),
    "overturned",
  );
  assert.equal(
    finding([...base, second("2024-10-31 09:00", { satisfied: true })], "2024-10-31"),
    "investigating",
  );
});

Deno.test("9.10 a second evaluation that arrives before any appeal is ignored", () => {
  const events = [...evaluatedCase(), second("2024-10-08", { satisfied: true }), appeal("2024-10-09")];
  assert.equal(finding(events, "2024-10-22"), "appealed");
  assert.equal(finding(events, "2024-10-24"), "investigating");
});

Deno.test("9.10 with no second evaluation the finding goes to investigation at 00:00 of addWorkdays(Ap, 11)", () => {
  // Appeal on Mon 09-30: the window runs over National Day to Fri 10-18; investigation opens Mon 10-21.
  const events = [...evaluatedCase(), appeal("2024-09-30 15:00")];
  const friday = evaluateOn(events, "2024-10-18", IT);
  assert.equal(friday.result.findings[0].state, "appealed");
  assert.equal(friday.nextChangeAt, startOfDay("2024-10-21"));
  assert.deepStrictEqual(friday.manual, []);
  assert.equal(evaluateOn(events, "2024-10-20", IT).nextChangeAt, startOfDay("2024-10-21"));
  const monday = evaluateOn(events, "2024-10-21", IT);
  assert.equal(monday.result.findings[0].state, "investigating");
  assert.deepStrictEqual(monday.manual, [{
    rule: "9.1",
    kind: "investigation",
    subject: null,
    openedAt: startOfDay("2024-10-21"),
    closedAt: null,
  }]);
  assert.equal(monday.nextChangeAt, null);
});

Deno.test("9.10 closing the investigation upholds or dismisses the finding and closes the queue item", () => {
  const base = [...evaluatedCase(), appeal("2024-09-30 15:00")];
  for (const [abnormal, state] of [[true, "upheld"], [false, "dismissed"]] as const) {
    const out = evaluateOn(
      [...base, review("2024-10-23 10:00", "close_investigation", "9.1", abnormal)],
      "2024-10-23",
      IT,
    );
    assert.equal(out.result.findings[0].state, state);
    assert.equal(out.manual[0].closedAt, startOfDay("2024-10-23") + 10 * 3600_000);
  }
});

Deno.test("9.10 closing an investigation before it opened does nothing and is recorded as not applied", () => {
  const events = [
    ...evaluatedCase(),
    appeal("2024-09-30 15:00"),
    review("2024-10-18", "close_investigation", "9.1", true),
  ];
  const out = evaluateOn(events, "2024-10-21", IT);
  assert.equal(out.result.findings[0].state, "investigating");
  assert.deepStrictEqual(out.reviews.map((r) => r.applied), [false]);
});

Deno.test("9.10 for 9.9 the appeal window runs from the date it was judged abnormal", () => {
  // Evaluated 10-08, judged 10-10: appeal by addWorkdays(10-10, 10) = 10-23.
  const base = [
    ...evaluatedCase({ other: "工作人员索要好处" }, "2024-10-08 10:00"),
    review("2024-10-10 09:00", "judge", "9.9", true),
  ];
  assert.equal(finding([...base, appeal("2024-10-23 16:00", "9.9")], "2024-10-23", "9.9"), "appealed");
  const late = evaluateOn([...base, appeal("2024-10-24 09:00", "9.9")], "2024-10-24", IT);
  assert.equal(late.result.findings[0].state, "abnormal");
  assert.deepStrictEqual(late.refusedAppeals.map((r) => r.reason), [
    "申诉已超过期限：应在2024-10-23（含）前提出",
  ]);
  // A second evaluation that again gives feedback text upholds a 9.9 finding; one without overturns it.
  const appealed = [...base, appeal("2024-10-11", "9.9")];
  assert.equal(
    finding([...appealed, second("2024-10-14", { other: "仍有意见" })], "2024-10-14", "9.9"),
    "upheld",
  );
  assert.equal(
    finding([...appealed, second("2024-10-14", { satisfied: true })], "2024-10-14", "9.9"),
    "overturned",
  );
});

Deno.test("9.10 one second evaluation decides every finding appealed before it", () => {
  const events = [
    ...evaluatedCase({ ...UNSATISFIED, overcharged: true }),
    appeal("2024-09-30 10:00", "9.1"),
    appeal("2024-09-30 11:00", "9.3"),
    second("2024-10-09", { satisfied: true, overcharged: true }),
  ];
  assert.deepStrictEqual(evaluateOn(events, "2024-10-09", IT).result.findings, [
    { rule: "9.1", state: "overturned", on: "2024-09-27" },
    { rule: "9.3", state: "upheld", on: "2024-09-27" },
  ]);
});

Deno.test("9.10 an appeal of 9.9 feedback judged not abnormal is refused", () => {
  const events = [
    ...evaluatedCase({ other: "希望增加自助终端" }, "2024-10-08 10:00"),
    review("2024-10-10 09:00", "judge", "9.9", false),
    appeal("2024-10-11", "9.9", "A1"),
  ];
  const out = evaluateOn(events, "2024-10-11", IT);
  assert.deepStrictEqual(out.result.findings, [{ rule: "9.9", state: "dismissed", on: "2024-10-08" }]);
  assert.deepStrictEqual(out.refusedAppeals.map((r) => [r.eventId, r.reason]), [
    ["A1", "该评价反馈已判定为不属于异常，无需申诉"],
  ]);
});
