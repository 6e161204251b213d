import assert from "node:assert/strict";
import type { ProcessingClock } from "./clock.ts";
import { shanghaiInstant, startOfDay } from "./dates.ts";
import type { ManualEntry, ProjectedAlert, ProjectedFinding } from "./projection.ts";
import { alertKey } from "./alert_key.ts";
import { applyReviews } from "./review.ts";
import { at, CALENDAR, ev, evaluateOn, item, received } from "./test_fixtures.ts";
import { buildTimeline, firstOf } from "./timeline.ts";
import type { CaseEvent } from "./types.ts";

const ms = (when: string) => Date.parse(at(when));
/** The identity of an alert of case C1 (the case `apply` below builds). */
const key = (rule: string, subject: string, level: string, on: string) =>
  alertKey({ case: "C1", rule, subject, level, on });

function red(rule: string, when: string, subject: string | null = null): ProjectedAlert {
  return { rule, level: "red", subject, raisedAt: ms(when), resolvedAt: null };
}
function warning(rule: string, when: string, resolved: string | null = null): ProjectedAlert {
  return {
    rule,
    level: "warning",
    subject: null,
    raisedAt: ms(when),
    resolvedAt: resolved ? ms(resolved) : null,
  };
}

function review(when: string, fields: Partial<Extract<CaseEvent, { type: "review" }>>): CaseEvent {
  return ev("review", when, { action: "void", rule: "8.1", reason: "数据有误", by: "监察员甲", ...fields });
}

/** Apply the reviews among `events` to hand-built projected alerts, findings and manual items. */
function apply(
  events: CaseEvent[],
  parts: { alerts?: ProjectedAlert[]; findings?: ProjectedFinding[]; manual?: ManualEntry[] },
) {
  const timeline = buildTimeline([received("2024-10-08"), ...events]);
  const ctx = {
    caseId: "C1",
    item: item(),
    calendar: CALENDAR,
    timeline,
    received: firstOf(timeline, "received")!,
    clock: {} as ProcessingClock,
  };
  return applyReviews(ctx, {
    alerts: parts.alerts ?? [],
    findings: parts.findings ?? [],
    manual: parts.manual ?? [],
  });
}

Deno.test("void takes the newest alert of its rule raised by then, the red card before its warning", () => {
  const alerts = [warning("8.1", "2024-10-17 00:00", "2024-10-22 00:00"), red("8.1", "2024-10-22 00:00")];
  const out = apply([review("2024-10-23", {})], { alerts });
  assert.deepStrictEqual([...out.voidedAt.values()], [ms("2024-10-23")]);
  assert.deepStrictEqual([...out.voidedAt.keys()], [key("8.1", "", "red", "2024-10-22")]);
  assert.equal(out.records[0].applied, true);
});

Deno.test("a second void takes the next alert not yet voided; a void before any alert applies to none", () => {
  const alerts = [warning("8.1", "2024-10-17 00:00"), red("8.1", "2024-10-22 00:00")];
  const out = apply([
    review("2024-10-16", { id: "V0" }),
    review("2024-10-23", { id: "V1" }),
    review("2024-10-24", { id: "V2" }),
    review("2024-10-25", { id: "V3" }),
  ], { alerts });
  assert.deepStrictEqual([...out.voidedAt.keys()], [
    key("8.1", "", "red", "2024-10-22"),
    key("8.1", "", "warning", "2024-10-17"),
  ]);
  assert.deepStrictEqual(out.records.map((r) => [r.eventId, r.applied, r.note]), [
    ["V0", false, "没有可撤销的告警"],
    ["V1", true, undefined],
    ["V2", true, undefined],
    ["V3", false, "该告警已撤销"],
  ]);
});

Deno.test("void matches the subject: an 8.4 red card is named by its fee event", () => {
  const alerts = [red("8.4", "2024-10-09 10:00", "F1"), red("8.4", "2024-10-10 10:00", "F2")];
  const out = apply([review("2024-10-11", { rule: "8.4", subject: "F1" })], { alerts });
  assert.deepStrictEqual([...out.voidedAt.keys()], [key("8.4", "F1", "red", "2024-10-09")]);
  const none = apply([review("2024-10-11", { rule: "8.4", subject: "F9" })], { alerts });
  assert.equal(none.voidedAt.size, 0);
  assert.deepStrictEqual(none.records[0].applied, false);
});

Deno.test("dispose records the disposition of the red card; the latest one counts", () => {
  const alerts = [warning("8.1", "2024-10-17 00:00"), red("8.1", "2024-10-22 00:00")];
  const out = apply([
    review("2024-10-23", { action: "dispose", disposition: "circulated_criticism", by: "甲" }),
    review("2024-10-24", { action: "dispose", disposition: "accountability", by: "乙" }),
  ], { alerts });
  assert.deepStrictEqual([...out.dispositions], [[key("8.1", "", "red", "2024-10-22"), {
    disposition: "accountability",
    at: ms("2024-10-24"),
    by: "乙",
  }]]);
});

Deno.test("dispose without a red card, or without a disposition, is recorded as not applied", () => {
  const alerts = [warning("8.1", "2024-10-17 00:00"), red("8.1", "2024-10-22 00:00")];
  const out = apply([
    review("2024-10-18", { action: "dispose", disposition: "accountability" }),
    review("2024-10-23", { action: "dispose" }),
  ], { alerts });
  assert.equal(out.dispositions.size, 0);
  assert.deepStrictEqual(out.records.map((r) => [r.applied, r.note]), [
    [false, "没有可处理的红牌"],
    [false, "未给出处理方式"],
  ]);
});

Deno.test("a decision on 8.2a closes its open manual items and no other rule's", () => {
  const open = (rule: string, kind: ManualEntry["kind"]): ManualEntry => ({
    rule,
    kind,
    subject: null,
    openedAt: ms("2024-10-16 10:00"),
    closedAt: null,
  });
  const manual = [open("8.2a", "late_correction"), open("8.2b", "new_materials"), open("9.9", "feedback")];
  const out = apply([review("2024-10-18", { action: "judge", rule: "8.2a", abnormal: false })], { manual });
  assert.deepStrictEqual(out.manual.map((m) => m.closedAt), [ms("2024-10-18"), null, null]);
  assert.equal(out.records[0].applied, true);
  assert.equal(manual[0].closedAt, null, "the input is not mutated");
});

Deno.test("confirm closes the 8.2a manual item and keeps the warning; a second confirm applies to nothing", () => {
  const manual: ManualEntry[] = [{
    rule: "8.2a",
    kind: "late_correction",
    subject: null,
    openedAt: ms("2024-10-16 10:00"),
    closedAt: null,
  }];
  const alerts = [{ ...warning("8.2a", "2024-10-16 10:00") }];
  const out = apply([
    review("2024-10-18", { action: "confirm", rule: "8.2a", reason: "确属未及时告知" }),
    review("2024-10-19", { action: "confirm", rule: "8.2a", reason: "再次确认" }),
  ], { manual, alerts });
  assert.deepStrictEqual(out.manual.map((m) => m.closedAt), [ms("2024-10-18")]);
  assert.equal(out.voidedAt.size, 0, "the warning stays");
  assert.deepStrictEqual(out.records.map((r) => [r.action, r.applied]), [["confirm", true], [
    "confirm",
    false,
  ]]);
  assert.equal(out.records[1].note, "没有待确认的人工监察事项");
});

Deno.test("confirm of a rule without manual items is kept but applies to nothing", () => {
  const out = apply([review("2024-10-18", { action: "confirm", rule: "8.1", reason: "x" })], {
    alerts: [warning("8.1", "2024-10-17 00:00")],
  });
  assert.equal(out.records[0].applied, false);
  assert.equal(out.voidedAt.size, 0);
});

Deno.test("judge and close_investigation are applied only when a finding's transition names them", () => {
  const finding: ProjectedFinding = {
    rule: "9.9",
    on: "2024-10-08",
    transitions: [{ state: "pending", at: ms("2024-10-08") }, {
      state: "abnormal",
      at: ms("2024-10-10"),
      eventId: "J1",
    }],
  };
  const out = apply([
    review("2024-10-10", { id: "J1", action: "judge", rule: "9.9", abnormal: true }),
    review("2024-10-11", { id: "J2", action: "judge", rule: "9.9", abnormal: false }),
    review("2024-10-11", { id: "X1", action: "close_investigation", rule: "9.1", abnormal: true }),
  ], { findings: [finding] });
  assert.deepStrictEqual(out.records.map((r) => [r.eventId, r.applied, r.note]), [
    ["J1", true, undefined],
    ["J2", false, "没有待判定的事项"],
    ["X1", false, "没有待核实的事项"],
  ]);
});

/** A case whose fee has no basis: an 8.4 red card at the fee, 2024-10-09. */
function feeCase(...more: CaseEvent[]): CaseEvent[] {
  return [
    received("2024-10-08"),
    ev("accepted", "2024-10-08 10:00", {}),
    ev("fee", "2024-10-09 10:00", { id: "F1", kind: "charge", amount: 10 }),
    ...more,
  ];
}
const FEE_ITEM = item({ fee: { max: 100, basis: "豫发改收费〔2019〕1号" } });

Deno.test("evaluator: a voided red card stays in the list with its voided date", () => {
  const events = feeCase(review("2024-10-15 16:00", { rule: "8.4", subject: "F1" }));
  const before = evaluateOn(events, "2024-10-14", FEE_ITEM).result.alerts.filter((a) => a.rule === "8.4");
  assert.deepStrictEqual(before, [{
    rule: "8.4",
    level: "red",
    on: "2024-10-09",
    subject: "F1",
    resolved: null,
  }]);
  const after = evaluateOn(events, "2024-10-15", FEE_ITEM).result.alerts.filter((a) => a.rule === "8.4");
  assert.deepStrictEqual(after, [{
    rule: "8.4",
    level: "red",
    on: "2024-10-09",
    subject: "F1",
    resolved: null,
    voided: "2024-10-15",
  }]);
});

Deno.test("evaluator: a disposition is exposed in Evaluation.dispositions; an unmatched void is kept as not applied", () => {
  const events = feeCase(
    review("2024-10-15 16:00", {
      id: "D1",
      action: "dispose",
      rule: "8.4",
      subject: "F1",
      disposition: "accountability",
    }),
    review("2024-10-15 17:00", { id: "V1", rule: "8.4", subject: "F404" }),
  );
  const out = evaluateOn(events, "2024-10-15", FEE_ITEM);
  assert.deepStrictEqual(out.dispositions, [{
    rule: "8.4",
    subject: "F1",
    on: "2024-10-09",
    disposition: "accountability",
    at: startOfDay("2024-10-15") + 16 * 3600_000,
    by: "监察员甲",
  }]);
  const v1 = out.reviews.find((r) => r.eventId === "V1")!;
  assert.deepStrictEqual([v1.applied, v1.note, shanghaiInstant(v1.at)], [
    false,
    "没有可撤销的告警",
    "2024-10-15T17:00:00+08:00",
  ]);
});
