import assert from "node:assert/strict";
import { alert, ruleAlertsOn } from "./rule_harness.ts";
import { rule84 } from "./rule_8_4.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";

const FEE = { max: 100, basis: "豫发改收费〔2019〕1号" };
const withFee = item({ fee: FEE });

/** A case received on Monday 2024-09-30, just before National Day, with the given fee events. */
function feeCase(it = withFee, ...fees: Parameters<typeof ev<"fee">>[]) {
  return [received("2024-09-30", it), ...fees.map((args) => ev(...args))];
}

/** A charge event's arguments for {@linkcode feeCase}: `amount` yuan, citing `basis`. */
function charge(when: string, id: string, amount: number, basis: string): Parameters<typeof ev<"fee">> {
  return ["fee", when, { id, kind: "charge", amount, basis }];
}

Deno.test("8.4 a charge for an item without a fee standard is a red card at the fee (无依据收费)", () => {
  const events = feeCase(item({ fee: null }), charge("2024-10-09 10:15", "F1", 50, "某文件"));
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-08", item({ fee: null })), []);
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-09", item({ fee: null })), [
    alert("8.4", "red", "2024-10-09", null, "F1"),
  ]);
});

Deno.test("8.4 a charge with no basis given is a red card, a blank basis counts as none", () => {
  const events = feeCase(
    withFee,
    ["fee", "2024-10-09", { id: "F1", kind: "charge", amount: 10 }],
    ["fee", "2024-10-10", { id: "F2", kind: "charge", amount: 10, basis: "  " }],
    ["fee", "2024-10-11", { id: "F3", kind: "charge", amount: 10, basis: FEE.basis }],
  );
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-31", withFee), [
    alert("8.4", "red", "2024-10-09", null, "F1"),
    alert("8.4", "red", "2024-10-10", null, "F2"),
  ]);
});

Deno.test("8.4 a charge above the item's maximum is a red card (乱收费); the maximum itself is allowed", () => {
  const events = feeCase(
    withFee,
    ["fee", "2024-10-09", { id: "F1", kind: "charge", amount: 100, basis: FEE.basis }],
    ["fee", "2024-10-09 11:00", { id: "F2", kind: "charge", amount: 100.01, basis: FEE.basis }],
  );
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-31", withFee), [
    alert("8.4", "red", "2024-10-09", null, "F2"),
  ]);
});

Deno.test("8.4 a reduction or exemption without basis is a red card (不符合规定减免), with basis none", () => {
  for (const fee of [null, FEE]) {
    const it = item({ fee });
    const events = feeCase(
      it,
      ["fee", "2024-10-09", { id: "R1", kind: "reduction", amount: 20 }],
      ["fee", "2024-10-10", { id: "X1", kind: "exemption", amount: 0 }],
      ["fee", "2024-10-11", { id: "R2", kind: "reduction", amount: 20, basis: "减免文件" }],
      ["fee", "2024-10-12", { id: "X2", kind: "exemption", amount: 0, basis: "免收文件" }],
    );
    assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-31", it), [
      alert("8.4", "red", "2024-10-09", null, "R1"),
      alert("8.4", "red", "2024-10-10", null, "X1"),
    ]);
  }
});

Deno.test("8.4 a fee on a holiday is red on that date, not moved to a working day", () => {
  const events = feeCase(withFee, ["fee", "2024-10-03 16:00", { id: "F1", kind: "charge", amount: 500 }]);
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-10-02", withFee), []);
  for (const day of ["2024-10-03", "2024-10-04"]) {
    assert.deepStrictEqual(ruleAlertsOn(rule84, events, day, withFee), [
      alert("8.4", "red", "2024-10-03", null, "F1"),
    ]);
  }
});

Deno.test("8.4 a lawful charge raises nothing", () => {
  const events = feeCase(withFee, charge("2024-10-09", "F1", 80, FEE.basis));
  assert.deepStrictEqual(ruleAlertsOn(rule84, events, "2024-12-31", withFee), []);
});

Deno.test("8.4 through the evaluator: the red card carries the fee event's id as subject", () => {
  const events = feeCase(withFee, charge("2024-10-08 10:00", "FEE-7", 120, FEE.basis));
  const alerts = evaluateOn(events, "2024-10-08", withFee).result.alerts.filter((a) => a.rule === "8.4");
  assert.deepStrictEqual(alerts, [alert("8.4", "red", "2024-10-08", null, "FEE-7")]);
});
