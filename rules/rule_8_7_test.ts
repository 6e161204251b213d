import assert from "node:assert/strict";
import { alert, ruleAlertsOn } from "./rule_harness.ts";
import { rule87 } from "./rule_8_7.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

const it = item();
const on = (events: CaseEvent[], day: string) => ruleAlertsOn(rule87, events, day, it);
const noContact = (when: string) => received(when, it, { applicant: { name: "张三", kind: "person" } });

Deno.test("8.7 a missing contact warns at receipt and turns red on 调休 Saturday 2025-02-08", () => {
  const events = [noContact("2025-01-27 09:30")];
  assert.deepStrictEqual(on(events, "2025-01-27"), [alert("8.7", "warning", "2025-01-27")]);
  // addWorkdays(01-27, 4): Feb 5, 6, 7, 8 (the Spring Festival Jan 28–Feb 4 is skipped).
  assert.deepStrictEqual(on(events, "2025-02-07"), [alert("8.7", "warning", "2025-01-27")]);
  for (const day of ["2025-02-08", "2025-02-09"]) {
    assert.deepStrictEqual(on(events, day), [
      alert("8.7", "warning", "2025-01-27", "2025-02-08"),
      alert("8.7", "red", "2025-02-08"),
    ]);
  }
});

Deno.test("8.7 a blank applicant name counts as missing; red across National Day on Oct 9", () => {
  const events = [
    received("2024-09-27", it, { applicant: { name: "  ", contact: "13800000000", kind: "organization" } }),
  ];
  assert.deepStrictEqual(on(events, "2024-09-26"), []);
  assert.deepStrictEqual(on(events, "2024-09-27"), [alert("8.7", "warning", "2024-09-27")]);
  // Sep 29 (调休), Sep 30, Oct 8, Oct 9.
  assert.deepStrictEqual(on(events, "2024-10-08"), [alert("8.7", "warning", "2024-09-27")]);
  assert.deepStrictEqual(on(events, "2024-10-09").at(-1), alert("8.7", "red", "2024-10-09"));
  assert.deepStrictEqual(on(events, "2024-10-10").length, 2);
});

Deno.test("8.7 an amended applicant contact resolves the warning on its date; on the red day it is late", () => {
  const fixed = [
    noContact("2025-01-27"),
    ev("amended", "2025-02-07 17:00", { applicant: { contact: "0371-1234567" } }),
  ];
  assert.deepStrictEqual(on(fixed, "2025-03-31"), [alert("8.7", "warning", "2025-01-27", "2025-02-07")]);
  const late = [
    noContact("2025-01-27"),
    ev("amended", "2025-02-08 08:00", { applicant: { contact: "0371-1234567" } }),
  ];
  assert.deepStrictEqual(on(late, "2025-03-31"), [
    alert("8.7", "warning", "2025-01-27", "2025-02-08"),
    alert("8.7", "red", "2025-02-08"),
  ]);
});

Deno.test("8.7 an amended that fixes something else leaves the warning active", () => {
  const events = [
    noContact("2025-01-27"),
    ev("amended", "2025-02-05", { applicant: { name: "张三丰" }, reason: "补充" }),
  ];
  assert.deepStrictEqual(on(events, "2025-02-08").at(-1), alert("8.7", "red", "2025-02-08"));
});

Deno.test("8.7 a step without handler warns at the step; amended steps with handlers resolve it", () => {
  const events = [
    received("2024-10-08"),
    ev("step", "2024-10-09 10:00", { name: "受理", handler: "李四" }),
    ev("step", "2024-10-10 10:00", { name: "审查" }),
    ev("step", "2024-10-11 10:00", { name: "决定", handler: "王五" }),
  ];
  assert.deepStrictEqual(on(events, "2024-10-09"), []);
  assert.deepStrictEqual(on(events, "2024-10-10"), [alert("8.7", "warning", "2024-10-10")]);
  // A later step with a handler does not supply the missing one. addWorkdays(10-10, 4) = 10-15:
  // Oct 11, the 调休 Saturday Oct 12, Oct 14, Oct 15.
  assert.deepStrictEqual(on(events, "2024-10-14"), [alert("8.7", "warning", "2024-10-10")]);
  assert.deepStrictEqual(on(events, "2024-10-15").at(-1), alert("8.7", "red", "2024-10-15"));
  const amend = ev("amended", "2024-10-12 09:00", {
    steps: [{ name: "受理", handler: "李四" }, { name: "审查", handler: "赵六" }, {
      name: "决定",
      handler: "王五",
    }],
  });
  assert.deepStrictEqual(on([...events, amend], "2024-10-31"), [
    alert("8.7", "warning", "2024-10-10", "2024-10-12"),
  ]);
});

Deno.test("8.7 a rejection without reason warns; an amended reason resolves it", () => {
  const events = [
    received("2024-10-08"),
    ev("rejected", "2024-10-09", {}),
    ev("amended", "2024-10-14", { reason: "材料不符合法定形式" }),
  ];
  assert.deepStrictEqual(on(events, "2024-10-08"), []);
  assert.deepStrictEqual(on(events, "2024-10-13"), [alert("8.7", "warning", "2024-10-09")]);
  // addWorkdays(10-09, 4) = 10-14 (Oct 12 is a 调休 working day): a fix that day is late.
  assert.deepStrictEqual(on(events, "2024-10-14"), [
    alert("8.7", "warning", "2024-10-09", "2024-10-14"),
    alert("8.7", "red", "2024-10-14"),
  ]);
});

Deno.test("8.7 an abnormal completion without reason warns; a normal one needs none", () => {
  const abnormal = [received("2024-10-08"), ev("completed", "2024-10-09", { result: "abnormal" })];
  assert.deepStrictEqual(on(abnormal, "2024-10-09"), [alert("8.7", "warning", "2024-10-09")]);
  const fixed = [...abnormal, ev("amended", "2024-10-11", { reason: "申请人撤回" })];
  assert.deepStrictEqual(on(fixed, "2024-10-31"), [alert("8.7", "warning", "2024-10-09", "2024-10-11")]);
  const normal = [received("2024-10-08"), ev("completed", "2024-10-09", { result: "normal" })];
  assert.deepStrictEqual(on(normal, "2024-10-31"), []);
});

Deno.test("8.7 one alert covers several missing elements, dated from the first, resolved when all are fixed", () => {
  const base = [noContact("2024-10-08"), ev("rejected", "2024-10-09", {})];
  const contactOnly = [...base, ev("amended", "2024-10-10", { applicant: { contact: "13900000000" } })];
  assert.deepStrictEqual(on(contactOnly, "2024-10-12"), [
    alert("8.7", "warning", "2024-10-08", "2024-10-12"),
    alert("8.7", "red", "2024-10-12"),
  ]);
  const both = [...contactOnly, ev("amended", "2024-10-11", { reason: "不属于本机关职权范围" })];
  assert.deepStrictEqual(on(both, "2024-10-31"), [alert("8.7", "warning", "2024-10-08", "2024-10-11")]);
});

Deno.test("8.7 an element missing again after a fix raises a new warning", () => {
  const events = [
    noContact("2024-10-08"),
    ev("amended", "2024-10-09", { applicant: { contact: "13900000000" } }),
    ev("step", "2024-10-10", { name: "审查" }),
  ];
  assert.deepStrictEqual(on(events, "2024-10-10"), [
    alert("8.7", "warning", "2024-10-08", "2024-10-09"),
    alert("8.7", "warning", "2024-10-10"),
  ]);
});

Deno.test("8.7 a complete case raises nothing", () => {
  const events = [
    received("2024-10-08"),
    ev("step", "2024-10-08", { name: "受理", handler: "李四" }),
    ev("rejected", "2024-10-09", { reason: "不符合条件" }),
  ];
  assert.deepStrictEqual(on(events, "2024-12-31"), []);
});

Deno.test("8.7 through the evaluator: one alert with subject null for two missing elements", () => {
  const events = [noContact("2024-10-08"), ev("rejected", "2024-10-09", {})];
  const of87 = (day: string) => evaluateOn(events, day, it).result.alerts.filter((a) => a.rule === "8.7");
  assert.deepStrictEqual(of87("2024-10-11"), [alert("8.7", "warning", "2024-10-08")]);
  assert.deepStrictEqual(of87("2024-10-12"), [
    alert("8.7", "warning", "2024-10-08", "2024-10-12"),
    alert("8.7", "red", "2024-10-12"),
  ]);
});
