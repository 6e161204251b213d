import assert from "node:assert/strict";
import { alertKey } from "./alert_key.ts";
import { projectedAlertKey } from "./review.ts";

const base = { case: "C1", rule: "8.1", level: "warning", on: "2024-10-17" };

Deno.test("alertKey() reads a null, missing or empty subject as the same identity", () => {
  assert.equal(alertKey({ ...base, subject: null }), alertKey({ ...base, subject: "" }));
  assert.equal(alertKey({ ...base }), alertKey({ ...base, subject: "" }));
});

Deno.test("alertKey() tells alerts apart by case, rule, subject, level and day", () => {
  const keys = new Set([
    alertKey(base),
    alertKey({ ...base, case: "C2" }),
    alertKey({ ...base, rule: "8.2a" }),
    alertKey({ ...base, subject: "M1" }),
    alertKey({ ...base, level: "red" }),
    alertKey({ ...base, on: "2024-10-18" }),
  ]);
  assert.equal(keys.size, 6);
});

Deno.test("alertKey() cannot be confused by a separator inside a part", () => {
  assert.notEqual(
    alertKey({ ...base, rule: "8.1|x", subject: "" }),
    alertKey({ ...base, rule: "8.1", subject: "x|" }),
  );
});

Deno.test("projectedAlertKey() is the key of the day the alert was raised in Asia/Shanghai", () => {
  // 2024-10-16T16:30Z is 00:30 on the 17th in Asia/Shanghai.
  const raisedAt = Date.parse("2024-10-16T16:30:00Z");
  assert.equal(
    projectedAlertKey("C1", { rule: "8.1", subject: null, level: "warning", raisedAt }),
    alertKey({ ...base, subject: "" }),
  );
});

Deno.test("alertKey() is the JSON text of its five parts, escapes and all", () => {
  for (
    const part of ["", "8.1", "专家评审", 'a"b', "a\\b", "\n", "\u0000", "\u2028", "\ud842\udfb7", "\ud842"]
  ) {
    for (const field of ["case", "rule", "subject", "level", "on"] as const) {
      const a = { ...base, subject: "M1", [field]: part };
      assert.equal(alertKey(a), JSON.stringify([a.case, a.rule, a.subject || "", a.level, a.on]));
    }
  }
});
