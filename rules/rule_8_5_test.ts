import assert from "node:assert/strict";
import { alert, ruleAlertsOn } from "./rule_harness.ts";
import { certificateComplete, rule85, rule85a, rule85b, rule85c } from "./rule_8_5.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

const FIELDS = ["许可证编号", "经营者名称", "住所"];
const local = item({ certificate: { type: "食品经营许可证", fields: FIELDS, nationallyDetermined: false } });
const national = item({
  certificate: { type: "特种设备许可证", fields: FIELDS, nationallyDetermined: true },
});
const FULL = { 许可证编号: "JY1410100001", 经营者名称: "某某餐饮店", 住所: "郑州市金水路1号" };

const upload = (when: string, fields: Record<string, string> = FULL) =>
  ev("certificate_uploaded", when, { fields });

/** Received 2024-09-23, completed normally on Friday 2024-09-27 (before National Day). */
function completedBeforeNationalDay(...more: CaseEvent[]): CaseEvent[] {
  return [
    received("2024-09-23", local),
    ev("completed", "2024-09-27 16:00", { result: "normal" }),
    ...more,
  ];
}

const on85a = (events: CaseEvent[], day: string, it = local) => ruleAlertsOn(rule85a, events, day, it);

Deno.test("8.5a warns at 00:00 of the 4th working day after completion, counting 调休 Sep 29 and skipping National Day", () => {
  const events = completedBeforeNationalDay();
  // addWorkdays(09-27, 3) = 10-08: Sep 29 (Sunday, worked), Sep 30, then Oct 8 after the holiday.
  assert.deepStrictEqual(on85a(events, "2024-10-08"), []);
  assert.deepStrictEqual(on85a(events, "2024-10-09"), [alert("8.5a", "warning", "2024-10-09")]);
  assert.deepStrictEqual(on85a(events, "2024-10-10"), [alert("8.5a", "warning", "2024-10-09")]);
});

Deno.test("8.5a turns red at addWorkdays(W, 4), the 调休 Saturday Oct 12 being one of the days", () => {
  const events = completedBeforeNationalDay();
  for (const day of ["2024-10-12", "2024-10-13"]) {
    assert.deepStrictEqual(on85a(events, day), [alert("8.5a", "warning", "2024-10-09")]);
  }
  for (const day of ["2024-10-14", "2024-10-15"]) {
    assert.deepStrictEqual(on85a(events, day), [
      alert("8.5a", "warning", "2024-10-09", "2024-10-14"),
      alert("8.5a", "red", "2024-10-14"),
    ]);
  }
});

Deno.test("8.5a warning boundary right after a holiday: completed Sep 26, warned Oct 8, not on the holiday Oct 7", () => {
  const events = [received("2024-09-23", local), ev("completed", "2024-09-26", { result: "normal" })];
  assert.deepStrictEqual(on85a(events, "2024-10-07"), []);
  assert.deepStrictEqual(on85a(events, "2024-10-08"), [alert("8.5a", "warning", "2024-10-08")]);
  assert.deepStrictEqual(on85a(events, "2024-10-09"), [alert("8.5a", "warning", "2024-10-08")]);
});

Deno.test("8.5a an upload on the last day of the window prevents the warning", () => {
  assert.deepStrictEqual(on85a(completedBeforeNationalDay(upload("2024-10-08 23:59")), "2024-10-31"), []);
});

Deno.test("8.5a an upload after the warning resolves it on its date: on 调休 Oct 12, or Sunday Oct 13", () => {
  for (const day of ["2024-10-12", "2024-10-13"]) {
    const events = completedBeforeNationalDay(upload(`${day} 10:00`));
    assert.deepStrictEqual(on85a(events, "2024-10-31"), [alert("8.5a", "warning", "2024-10-09", day)]);
  }
});

Deno.test("8.5a an upload on the red card's day is too late", () => {
  const events = completedBeforeNationalDay(upload("2024-10-14 08:30"));
  assert.deepStrictEqual(on85a(events, "2024-10-31"), [
    alert("8.5a", "warning", "2024-10-09", "2024-10-14"),
    alert("8.5a", "red", "2024-10-14"),
  ]);
});

Deno.test("8.5a ignores abnormal completions, items without a certificate and nationally determined ones", () => {
  const abnormal = [
    received("2024-09-23", local),
    ev("completed", "2024-09-27", { result: "abnormal", reason: "撤回" }),
  ];
  assert.deepStrictEqual(on85a(abnormal, "2024-10-31"), []);
  const events = completedBeforeNationalDay();
  assert.deepStrictEqual(on85a(events, "2024-10-31", item()), []);
  assert.deepStrictEqual(on85a(events, "2024-10-31", national), []);
});

/** A nationally determined item whose data the ministry determined on Friday 2025-01-24. */
function determinedBeforeSpringFestival(...more: CaseEvent[]): CaseEvent[] {
  return [
    received("2025-01-20", national),
    ev("completed", "2025-01-22", { result: "normal" }),
    ev("certificate_determined", "2025-01-24 15:00", {}),
    ...more,
  ];
}

const on85b = (events: CaseEvent[], day: string) => ruleAlertsOn(rule85b, events, day, national);

Deno.test("8.5b red at addWorkdays(Q, 4) across the Spring Festival: Jan 26 (调休), Jan 27, Feb 5, then Feb 6", () => {
  const events = determinedBeforeSpringFestival();
  assert.deepStrictEqual(on85b(events, "2025-02-05"), []);
  assert.deepStrictEqual(on85b(events, "2025-02-06"), [alert("8.5b", "red", "2025-02-06")]);
  assert.deepStrictEqual(on85b(events, "2025-02-07"), [alert("8.5b", "red", "2025-02-06")]);
  // No 8.5a for such an item, though it was completed and nothing was uploaded.
  assert.deepStrictEqual(ruleAlertsOn(rule85, events, "2025-02-07", national), [
    alert("8.5b", "red", "2025-02-06"),
  ]);
});

Deno.test("8.5b a determination on a holiday counts from the next working days; red on 调休 Saturday Feb 8", () => {
  const events = [received("2025-01-20", national), ev("certificate_determined", "2025-01-30", {})];
  assert.deepStrictEqual(on85b(events, "2025-02-07"), []);
  assert.deepStrictEqual(on85b(events, "2025-02-08"), [alert("8.5b", "red", "2025-02-08")]);
  assert.deepStrictEqual(on85b(events, "2025-02-09"), [alert("8.5b", "red", "2025-02-08")]);
});

Deno.test("8.5b an upload by the end of the 3rd working day prevents the red card; one on the 4th does not", () => {
  assert.deepStrictEqual(on85b(determinedBeforeSpringFestival(upload("2025-02-05 23:00")), "2025-03-31"), []);
  assert.deepStrictEqual(on85b(determinedBeforeSpringFestival(upload("2025-02-06 09:00")), "2025-03-31"), [
    alert("8.5b", "red", "2025-02-06"),
  ]);
});

Deno.test("8.5b an upload before the determination does not count", () => {
  const events = determinedBeforeSpringFestival(upload("2025-01-23"));
  assert.deepStrictEqual(on85b(events, "2025-02-06"), [alert("8.5b", "red", "2025-02-06")]);
});

Deno.test("certificateComplete() requires every face field, non-blank, and allows extra fields", () => {
  assert.equal(certificateComplete(local, FULL), true);
  assert.equal(certificateComplete(local, { ...FULL, 有效期: "2029-01-01" }), true);
  assert.equal(certificateComplete(local, { 许可证编号: "X", 经营者名称: "Y" }), false);
  assert.equal(certificateComplete(local, { ...FULL, 住所: " \t" }), false);
});

const on85c = (events: CaseEvent[], day: string, it = local) => ruleAlertsOn(rule85c, events, day, it);
const PARTIAL = { 许可证编号: "JY1410100001", 经营者名称: "某某餐饮店", 住所: "" };

/** An incomplete upload on Monday 2025-01-27, the last working day before the Spring Festival. */
function incompleteBeforeSpringFestival(...more: CaseEvent[]): CaseEvent[] {
  return [
    received("2025-01-20", local),
    ev("completed", "2025-01-24", { result: "normal" }),
    upload("2025-01-27 10:00", PARTIAL),
    ...more,
  ];
}

Deno.test("8.5c warns at an incomplete upload and turns red on 调休 Saturday Feb 8 (Feb 5, 6, 7 used)", () => {
  const events = incompleteBeforeSpringFestival();
  assert.deepStrictEqual(on85c(events, "2025-01-26"), []);
  assert.deepStrictEqual(on85c(events, "2025-01-27"), [alert("8.5c", "warning", "2025-01-27")]);
  assert.deepStrictEqual(on85c(events, "2025-02-07"), [alert("8.5c", "warning", "2025-01-27")]);
  for (const day of ["2025-02-08", "2025-02-09"]) {
    assert.deepStrictEqual(on85c(events, day), [
      alert("8.5c", "warning", "2025-01-27", "2025-02-08"),
      alert("8.5c", "red", "2025-02-08"),
    ]);
  }
});

Deno.test("8.5c a complete upload by the last day resolves the warning on its date; on the red day it is late", () => {
  assert.deepStrictEqual(on85c(incompleteBeforeSpringFestival(upload("2025-02-07 18:00")), "2025-03-31"), [
    alert("8.5c", "warning", "2025-01-27", "2025-02-07"),
  ]);
  assert.deepStrictEqual(on85c(incompleteBeforeSpringFestival(upload("2025-02-08 09:00")), "2025-03-31"), [
    alert("8.5c", "warning", "2025-01-27", "2025-02-08"),
    alert("8.5c", "red", "2025-02-08"),
  ]);
});

Deno.test("8.5c a second incomplete upload during the warning does not restart the 3 days", () => {
  const events = incompleteBeforeSpringFestival(upload("2025-02-06", { 许可证编号: "JY1410100001" }));
  assert.deepStrictEqual(on85c(events, "2025-02-08"), [
    alert("8.5c", "warning", "2025-01-27", "2025-02-08"),
    alert("8.5c", "red", "2025-02-08"),
  ]);
});

Deno.test("8.5c an incomplete upload after a complete one raises a new warning", () => {
  const events = incompleteBeforeSpringFestival(upload("2025-02-05"), upload("2025-02-10", PARTIAL));
  assert.deepStrictEqual(on85c(events, "2025-02-10"), [
    alert("8.5c", "warning", "2025-01-27", "2025-02-05"),
    alert("8.5c", "warning", "2025-02-10"),
  ]);
  // Its own red card: addWorkdays(02-10, 4) = 02-14.
  assert.deepStrictEqual(on85c(events, "2025-02-14").at(-1), alert("8.5c", "red", "2025-02-14"));
});

Deno.test("8.5c after a red card and a late fix, a new incomplete upload starts a new warning", () => {
  const events = incompleteBeforeSpringFestival(upload("2025-02-10"), upload("2025-02-11", PARTIAL));
  assert.deepStrictEqual(on85c(events, "2025-02-11"), [
    alert("8.5c", "warning", "2025-01-27", "2025-02-08"),
    alert("8.5c", "red", "2025-02-08"),
    alert("8.5c", "warning", "2025-02-11"),
  ]);
});

Deno.test("8.5c a complete upload raises nothing; nor does any upload for an item without a certificate", () => {
  const complete = [received("2025-01-20", local), upload("2025-01-27")];
  assert.deepStrictEqual(on85c(complete, "2025-03-31"), []);
  assert.deepStrictEqual(on85c(incompleteBeforeSpringFestival(), "2025-03-31", item()), []);
});

Deno.test("8.5c applies to nationally determined items too", () => {
  const events = [received("2025-01-20", national), upload("2025-01-27 10:00", PARTIAL)];
  assert.deepStrictEqual(ruleAlertsOn(rule85c, events, "2025-01-27", national), [
    alert("8.5c", "warning", "2025-01-27"),
  ]);
});

Deno.test("8.5 through the evaluator: 8.5a and 8.5c alerts side by side, as of each day", () => {
  const events = completedBeforeNationalDay(upload("2024-10-10 10:00", PARTIAL));
  const of85 = (day: string) =>
    evaluateOn(events, day, local).result.alerts.filter((a) => a.rule.startsWith("8.5"));
  assert.deepStrictEqual(of85("2024-10-09"), [alert("8.5a", "warning", "2024-10-09")]);
  // The incomplete upload resolves 8.5a (something was uploaded) and opens 8.5c: red on 10-15
  // (Oct 11, the 调休 Saturday Oct 12, Oct 14, Oct 15).
  assert.deepStrictEqual(of85("2024-10-15"), [
    alert("8.5a", "warning", "2024-10-09", "2024-10-10"),
    alert("8.5c", "warning", "2024-10-10", "2024-10-15"),
    alert("8.5c", "red", "2024-10-15"),
  ]);
});
