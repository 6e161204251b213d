import assert from "node:assert/strict";
import { alert, ruleAlertsOn } from "./rule_harness.ts";
import { materialsConsistent, materialsProblems, rule88 } from "./rule_8_8.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

const it = item({ materials: { required: ["申请书", "营业执照"], optional: ["授权委托书"] } });
const on = (events: CaseEvent[], day: string) => ruleAlertsOn(rule88, events, day, it);
const list = (when: string, ...materials: string[]) => ev("materials_submitted", when, { materials });

Deno.test("materialsProblems() names the missing required and the unlisted materials", () => {
  assert.deepStrictEqual(materialsProblems(it, ["申请书", "身份证复印件"]), {
    missing: ["营业执照"],
    extra: ["身份证复印件"],
  });
  assert.deepStrictEqual(materialsProblems(it, ["营业执照", "申请书", "授权委托书"]), {
    missing: [],
    extra: [],
  });
});

Deno.test("8.8 a list missing a required material warns at the upload, red on Feb 6 after the Spring Festival", () => {
  const events = [received("2025-01-24"), list("2025-01-24 10:00", "申请书")];
  assert.deepStrictEqual(on(events, "2025-01-23"), []);
  assert.deepStrictEqual(on(events, "2025-01-24"), [alert("8.8", "warning", "2025-01-24")]);
  // addWorkdays(01-24, 4): Jan 26 (调休 Sunday), Jan 27, Feb 5, Feb 6.
  assert.deepStrictEqual(on(events, "2025-02-05"), [alert("8.8", "warning", "2025-01-24")]);
  for (const day of ["2025-02-06", "2025-02-07"]) {
    assert.deepStrictEqual(on(events, day), [
      alert("8.8", "warning", "2025-01-24", "2025-02-06"),
      alert("8.8", "red", "2025-02-06"),
    ]);
  }
});

Deno.test("8.8 a material outside the item's list warns too; with a warning on Oct 8 the red falls on 调休 Oct 12", () => {
  const events = [received("2024-10-08"), list("2024-10-08", "申请书", "营业执照", "房产证")];
  assert.deepStrictEqual(on(events, "2024-10-08"), [alert("8.8", "warning", "2024-10-08")]);
  assert.deepStrictEqual(on(events, "2024-10-11"), [alert("8.8", "warning", "2024-10-08")]);
  assert.deepStrictEqual(on(events, "2024-10-12").at(-1), alert("8.8", "red", "2024-10-12"));
  assert.deepStrictEqual(on(events, "2024-10-13").length, 2);
});

Deno.test("8.8 a consistent list resolves the warning on its date, even on a holiday", () => {
  const events = [
    received("2024-09-27"),
    list("2024-09-27", "申请书"),
    list("2024-10-03 20:00", "申请书", "营业执照"),
  ];
  assert.deepStrictEqual(on(events, "2024-10-02"), [alert("8.8", "warning", "2024-09-27")]);
  assert.deepStrictEqual(on(events, "2024-10-31"), [alert("8.8", "warning", "2024-09-27", "2024-10-03")]);
});

Deno.test("8.8 a consistent list on the red card's day is late; an inconsistent one fixes nothing", () => {
  const late = [
    received("2025-01-24"),
    list("2025-01-24", "申请书"),
    list("2025-02-06 09:00", "申请书", "营业执照"),
  ];
  assert.deepStrictEqual(on(late, "2025-02-28"), [
    alert("8.8", "warning", "2025-01-24", "2025-02-06"),
    alert("8.8", "red", "2025-02-06"),
  ]);
  const stillWrong = [received("2025-01-24"), list("2025-01-24", "申请书"), list("2025-02-05", "营业执照")];
  assert.deepStrictEqual(on(stillWrong, "2025-02-06").at(-1), alert("8.8", "red", "2025-02-06"));
});

Deno.test("8.8 a bad list after a good one raises a new warning; no list or a good list raises nothing", () => {
  const events = [
    received("2024-10-08"),
    list("2024-10-08", "申请书", "营业执照"),
    list("2024-10-09", "申请书"),
  ];
  assert.deepStrictEqual(on(events, "2024-10-09"), [alert("8.8", "warning", "2024-10-09")]);
  assert.deepStrictEqual(on([received("2024-10-08")], "2024-12-31"), []);
  assert.deepStrictEqual(on(events.slice(0, 2), "2024-12-31"), []);
});

Deno.test("8.8 through the evaluator: warning on the upload's date, resolved by a consistent list", () => {
  const events = [
    received("2024-10-08", it),
    list("2024-10-08", "申请书"),
    list("2024-10-10", "申请书", "营业执照"),
  ];
  const of88 = (day: string) => evaluateOn(events, day, it).result.alerts.filter((a) => a.rule === "8.8");
  assert.deepStrictEqual(of88("2024-10-09"), [alert("8.8", "warning", "2024-10-08")]);
  assert.deepStrictEqual(of88("2024-10-10"), [alert("8.8", "warning", "2024-10-08", "2024-10-10")]);
});

Deno.test("materialsConsistent() is true exactly when materialsProblems() finds nothing", () => {
  const names = ["申请书", "身份证复印件", "营业执照", "授权委托书", "其他"];
  let seed = 5;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 2000; i++) {
    const pick = () => names.filter(() => next() < 0.4);
    const item = { ...it, materials: { required: pick(), optional: pick() } };
    const given = [...pick(), ...pick()];
    const { missing, extra } = materialsProblems(item, given);
    assert.equal(
      materialsConsistent(item, given),
      missing.length === 0 && extra.length === 0,
      JSON.stringify([item.materials, given]),
    );
  }
});
