import assert from "node:assert/strict";
import { alert, ruleAlertsOn } from "./rule_harness.ts";
import { rule86, stepsConsistent } from "./rule_8_6.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

// The default item's steps: 受理, 审查, 决定, 送达.
const it = item();
const step = (when: string, name: string) => ev("step", when, { name, handler: "李四" });
const steps = (...names: string[]) => names.map((name) => ({ name, handler: "李四" }));

/** Three of the four steps recorded, completed on `completedOn`. */
function missingDelivery(completedOn: string, ...more: CaseEvent[]): CaseEvent[] {
  return [
    received("2024-09-23"),
    step("2024-09-23 10:00", "受理"),
    step("2024-09-24", "审查"),
    step("2024-09-25", "决定"),
    ev("completed", `${completedOn} 15:00`, { result: "normal" }),
    ...more,
  ];
}

const on = (events: CaseEvent[], day: string) => ruleAlertsOn(rule86, events, day, it);

Deno.test("stepsConsistent() compares names as sets: a missing item step or a foreign name breaks it", () => {
  assert.equal(stepsConsistent(it, steps("受理", "审查", "决定", "送达")), true);
  assert.equal(stepsConsistent(it, steps("送达", "受理", "审查", "审查", "决定")), true);
  assert.equal(stepsConsistent(it, steps("受理", "审查", "决定")), false);
  assert.equal(stepsConsistent(it, steps("受理", "审查", "决定", "送达", "复核")), false);
});

Deno.test("8.6 warns at completion when an item step is missing, red across National Day on Oct 11", () => {
  const events = missingDelivery("2024-09-30");
  assert.deepStrictEqual(on(events, "2024-09-29"), []);
  assert.deepStrictEqual(on(events, "2024-09-30"), [alert("8.6", "warning", "2024-09-30")]);
  // addWorkdays(09-30, 4): Oct 8, 9, 10, 11.
  assert.deepStrictEqual(on(events, "2024-10-10"), [alert("8.6", "warning", "2024-09-30")]);
  for (const day of ["2024-10-11", "2024-10-12"]) {
    assert.deepStrictEqual(on(events, day), [
      alert("8.6", "warning", "2024-09-30", "2024-10-11"),
      alert("8.6", "red", "2024-10-11"),
    ]);
  }
});

Deno.test("8.6 a warning on Oct 8 turns red on the 调休 Saturday Oct 12", () => {
  const events = missingDelivery("2024-10-08");
  assert.deepStrictEqual(on(events, "2024-10-11"), [alert("8.6", "warning", "2024-10-08")]);
  assert.deepStrictEqual(on(events, "2024-10-12"), [
    alert("8.6", "warning", "2024-10-08", "2024-10-12"),
    alert("8.6", "red", "2024-10-12"),
  ]);
  assert.deepStrictEqual(on(events, "2024-10-13"), on(events, "2024-10-12"));
});

Deno.test("8.6 a completion on a holiday is warned that day; the 3 days start after the holiday", () => {
  const events = missingDelivery("2024-10-03");
  assert.deepStrictEqual(on(events, "2024-10-03"), [alert("8.6", "warning", "2024-10-03")]);
  assert.deepStrictEqual(on(events, "2024-10-10"), [alert("8.6", "warning", "2024-10-03")]);
  assert.deepStrictEqual(on(events, "2024-10-11").at(-1), alert("8.6", "red", "2024-10-11"));
});

Deno.test("8.6 an amended with consistent steps resolves the warning on its date", () => {
  const fix = ev("amended", "2024-10-12 11:00", { steps: steps("受理", "审查", "决定", "送达") });
  const events = missingDelivery("2024-10-08", fix);
  assert.deepStrictEqual(on(events, "2024-10-11"), [alert("8.6", "warning", "2024-10-08")]);
  assert.deepStrictEqual(on(events, "2024-10-31"), [
    alert("8.6", "warning", "2024-10-08", "2024-10-12"),
    alert("8.6", "red", "2024-10-12"),
  ]);
  const inTime = missingDelivery(
    "2024-09-30",
    ev("amended", "2024-10-10 17:00", { steps: steps("受理", "审查", "决定", "送达") }),
  );
  assert.deepStrictEqual(on(inTime, "2024-10-31"), [alert("8.6", "warning", "2024-09-30", "2024-10-10")]);
});

Deno.test("8.6 a late step event that completes the list also resolves it", () => {
  const events = missingDelivery("2024-09-30", step("2024-10-09", "送达"));
  assert.deepStrictEqual(on(events, "2024-10-31"), [alert("8.6", "warning", "2024-09-30", "2024-10-09")]);
});

Deno.test("8.6 an amended whose steps are still wrong fixes nothing", () => {
  const events = missingDelivery(
    "2024-09-30",
    ev("amended", "2024-10-09", { steps: steps("受理", "审查", "决定", "复核") }),
  );
  assert.deepStrictEqual(on(events, "2024-10-11"), [
    alert("8.6", "warning", "2024-09-30", "2024-10-11"),
    alert("8.6", "red", "2024-10-11"),
  ]);
});

Deno.test("8.6 a step name the item does not have is inconsistent", () => {
  const events = [
    received("2024-09-23"),
    ...["受理", "审查", "决定", "送达", "领导签批"].map((n) => step("2024-09-24", n)),
    ev("completed", "2024-09-26", { result: "normal" }),
  ];
  assert.deepStrictEqual(on(events, "2024-09-26"), [alert("8.6", "warning", "2024-09-26")]);
});

Deno.test("8.6 consistent steps at completion raise nothing; amended steps before completion replace step events", () => {
  const ok = missingDelivery("2024-09-30").toSpliced(4, 0, step("2024-09-26", "送达"));
  assert.deepStrictEqual(on(ok, "2024-12-31"), []);
  const replaced = [
    received("2024-09-23"),
    step("2024-09-23", "旧环节"),
    ev("amended", "2024-09-27", { steps: steps("受理", "审查", "决定", "送达") }),
    ev("completed", "2024-09-30", { result: "normal" }),
  ];
  assert.deepStrictEqual(on(replaced, "2024-12-31"), []);
  // No completion, no check.
  assert.deepStrictEqual(on([received("2024-09-23"), step("2024-09-23", "受理")], "2024-12-31"), []);
});

Deno.test("8.6 through the evaluator, as of the day before and the day of the red card", () => {
  const events = missingDelivery("2024-10-08");
  const of86 = (day: string) => evaluateOn(events, day, it).result.alerts.filter((a) => a.rule === "8.6");
  assert.deepStrictEqual(of86("2024-10-11"), [alert("8.6", "warning", "2024-10-08")]);
  assert.deepStrictEqual(of86("2024-10-12"), [
    alert("8.6", "warning", "2024-10-08", "2024-10-12"),
    alert("8.6", "red", "2024-10-12"),
  ]);
});
