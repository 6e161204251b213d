import assert from "node:assert/strict";
import type { ProcessingClock } from "./clock.ts";
import { endOfDay } from "./dates.ts";
import { rule9, triggeredRules } from "./rule_9.ts";
import { CALENDAR, ev, item, received } from "./test_fixtures.ts";
import { buildTimeline, firstOf } from "./timeline.ts";
import type { CaseEvent, EvaluationAnswers, Finding, Item } from "./types.ts";

/** Rule 9 alone, cut at the end of a date the way the evaluator cuts (it never reads the clock). */
function run9(events: CaseEvent[], asOfDate: string, it: Item = item()) {
  const asOf = endOfDay(asOfDate);
  const timeline = buildTimeline(events).filter((e) => e.ms <= asOf);
  const out = rule9({
    caseId: "C1",
    item: it,
    calendar: CALENDAR,
    timeline,
    received: firstOf(timeline, "received")!,
    clock: {} as ProcessingClock,
  });
  const findings: Finding[] = (out.findings ?? []).flatMap((f) => {
    const done = f.transitions.filter((t) => t.at <= asOf);
    return done.length ? [{ rule: f.rule, state: done.at(-1)!.state, on: f.on }] : [];
  });
  const manual = (out.manual ?? []).filter((m) => m.openedAt <= asOf)
    .map((m) => ({ rule: m.rule, kind: m.kind, closed: m.closedAt !== null && m.closedAt <= asOf }));
  return { findings, manual, refused: out.refusedAppeals ?? [] };
}

/** A case received and evaluated on Tuesday 2024-10-08 with the given answers. */
function evaluated(answers: EvaluationAnswers, it: Item = item()): CaseEvent[] {
  return [received("2024-10-08 09:00", it), ev("evaluation", "2024-10-08 15:00", answers)];
}

function rulesOf(answers: EvaluationAnswers, it: Item = item()): string[] {
  return run9(evaluated(answers, it), "2024-10-08", it).findings.map((f) => f.rule);
}

Deno.test("9.x an evaluation with every answer missing takes the defaults and finds nothing", () => {
  assert.deepStrictEqual(run9(evaluated({}), "2024-10-08"), { findings: [], manual: [], refused: [] });
});

Deno.test("9.x a case without an evaluation has no findings", () => {
  assert.deepStrictEqual(run9([received("2024-10-08")], "2024-12-31").findings, []);
});

Deno.test("9.1 unsatisfied counts only with a non-blank reason", () => {
  assert.deepStrictEqual(rulesOf({ satisfied: false, satisfactionReason: "等待太久" }), ["9.1"]);
  assert.deepStrictEqual(rulesOf({ satisfied: false }), []);
  assert.deepStrictEqual(rulesOf({ satisfied: false, satisfactionReason: "  " }), []);
  assert.deepStrictEqual(rulesOf({ satisfied: true, satisfactionReason: "等待太久" }), []);
  assert.deepStrictEqual(rulesOf({ satisfactionReason: "等待太久" }), [], "satisfied defaults to yes");
});

Deno.test("9.2 and 9.3 extra materials and overcharging count when answered yes", () => {
  assert.deepStrictEqual(rulesOf({ extraMaterials: true }), ["9.2"]);
  assert.deepStrictEqual(rulesOf({ extraMaterials: false }), []);
  assert.deepStrictEqual(rulesOf({ overcharged: true }), ["9.3"]);
  assert.deepStrictEqual(rulesOf({ overcharged: false }), []);
});

Deno.test("9.4 a forced intermediary counts only for items that by law need none", () => {
  assert.deepStrictEqual(rulesOf({ forcedIntermediary: true }, item({ intermediaryFree: true })), ["9.4"]);
  assert.deepStrictEqual(rulesOf({ forcedIntermediary: true }, item({ intermediaryFree: false })), []);
  assert.deepStrictEqual(rulesOf({ forcedIntermediary: false }, item({ intermediaryFree: true })), []);
});

Deno.test("9.5 over the promised or the statutory limit counts, within does not", () => {
  assert.deepStrictEqual(rulesOf({ time: "over_promised" }), ["9.5"]);
  assert.deepStrictEqual(rulesOf({ time: "over_statutory" }), ["9.5"]);
  assert.deepStrictEqual(rulesOf({ time: "within" }), []);
});

Deno.test("9.6 counts visits above the item's promise; a missing answer is the promise", () => {
  const once = item({ promisedVisits: 1 });
  assert.deepStrictEqual(rulesOf({ visits: 2 }, once), ["9.6"]);
  assert.deepStrictEqual(rulesOf({ visits: 1 }, once), []);
  assert.deepStrictEqual(rulesOf({ visits: 0 }, once), []);
  assert.deepStrictEqual(rulesOf({}, once), []);
  assert.deepStrictEqual(rulesOf({ visits: 1 }, item({ promisedVisits: 0 })), ["9.6"]);
});

Deno.test("9.7 and 9.8 a bad attitude or environment counts only with a reason", () => {
  assert.deepStrictEqual(rulesOf({ attitude: "bad", attitudeReason: "态度冷淡" }), ["9.7"]);
  assert.deepStrictEqual(rulesOf({ attitude: "bad" }), []);
  assert.deepStrictEqual(rulesOf({ attitude: "good", attitudeReason: "态度冷淡" }), []);
  assert.deepStrictEqual(rulesOf({ environment: "bad", environmentReason: "座位不足" }), ["9.8"]);
  assert.deepStrictEqual(rulesOf({ environment: "bad", environmentReason: "" }), []);
  assert.deepStrictEqual(rulesOf({ environment: "good", environmentReason: "座位不足" }), []);
});

Deno.test("9.x one evaluation gives one finding per triggered rule, dated the evaluation, abnormal", () => {
  const answers = {
    extraMaterials: true,
    time: "over_promised",
    attitude: "bad",
    attitudeReason: "差",
  } as const;
  assert.deepStrictEqual(triggeredRules(answers, item()), ["9.2", "9.5", "9.7"]);
  assert.deepStrictEqual(run9(evaluated(answers), "2024-10-08").findings, [
    { rule: "9.2", state: "abnormal", on: "2024-10-08" },
    { rule: "9.5", state: "abnormal", on: "2024-10-08" },
    { rule: "9.7", state: "abnormal", on: "2024-10-08" },
  ]);
  assert.deepStrictEqual(run9(evaluated(answers), "2024-10-07").findings, [], "nothing before it");
});

Deno.test("9.x only the first evaluation counts; later ones change no finding", () => {
  const fine = [...evaluated({ satisfied: true }), ev("evaluation", "2024-10-09", { overcharged: true })];
  assert.deepStrictEqual(run9(fine, "2024-10-31").findings, []);
  const bad = [...evaluated({ overcharged: true }), ev("evaluation", "2024-10-09", { overcharged: false })];
  assert.deepStrictEqual(run9(bad, "2024-10-31").findings, [{
    rule: "9.3",
    state: "abnormal",
    on: "2024-10-08",
  }]);
});

Deno.test("9.9 other feedback is pending and queued until a supervisor judges it", () => {
  const events = evaluated({ other: "希望增加自助终端" });
  assert.deepStrictEqual(run9(events, "2024-10-31"), {
    findings: [{ rule: "9.9", state: "pending", on: "2024-10-08" }],
    manual: [{ rule: "9.9", kind: "feedback", closed: false }],
    refused: [],
  });
  assert.deepStrictEqual(rulesOf({ other: "   " }), [], "blank text is no feedback");
});

Deno.test("9.9 a judgment makes the finding abnormal or dismissed and closes the queue item", () => {
  const judge = (abnormal: boolean) =>
    ev("review", "2024-10-10 11:00", {
      action: "judge",
      rule: "9.9",
      abnormal,
      reason: "经核实",
      by: "监察员甲",
    });
  const yes = [...evaluated({ other: "索要好处" }), judge(true)];
  assert.deepStrictEqual(run9(yes, "2024-10-09").findings, [{
    rule: "9.9",
    state: "pending",
    on: "2024-10-08",
  }]);
  assert.deepStrictEqual(run9(yes, "2024-10-10"), {
    findings: [{ rule: "9.9", state: "abnormal", on: "2024-10-08" }],
    manual: [{ rule: "9.9", kind: "feedback", closed: true }],
    refused: [],
  });
  const no = [...evaluated({ other: "希望增加自助终端" }), judge(false)];
  assert.deepStrictEqual(run9(no, "2024-10-10").findings, [{
    rule: "9.9",
    state: "dismissed",
    on: "2024-10-08",
  }]);
});

Deno.test("9.9 a judgment recorded before the evaluation, or without a verdict, decides nothing", () => {
  const events = [
    received("2024-10-08 09:00"),
    ev("review", "2024-10-08 10:00", {
      action: "judge",
      rule: "9.9",
      abnormal: true,
      reason: "早",
      by: "甲",
    }),
    ev("evaluation", "2024-10-08 15:00", { other: "意见" }),
    ev("review", "2024-10-09 10:00", { action: "judge", rule: "9.9", reason: "未给结论", by: "甲" }),
  ];
  assert.deepStrictEqual(run9(events, "2024-10-31").findings, [{
    rule: "9.9",
    state: "pending",
    on: "2024-10-08",
  }]);
});
