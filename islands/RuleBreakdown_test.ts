import assert from "node:assert/strict";
import { MAX_RULE_ROWS, visibleRules } from "./RuleBreakdown.tsx";
import { RULE_IDS } from "../rules/names.ts";
import type { RuleCounts } from "../server/live/wire.ts";

const r = (rule: string, warnings: number, redToday: number): RuleCounts => ({
  rule,
  name: rule,
  warnings,
  redToday,
});

Deno.test("visibleRules() orders red cards first, then warnings, then by article number", () => {
  const { shown, hidden } = visibleRules([
    r("8.1", 18, 0),
    r("8.10", 0, 1),
    r("8.7", 2, 2),
    r("8.2b", 3, 0),
    r("8.3", 0, 1),
    r("8.5a", 0, 0),
  ]);
  assert.deepEqual(shown.map((x) => x.rule), ["8.7", "8.3", "8.10", "8.1", "8.2b"]);
  assert.equal(hidden, 0);
});

Deno.test("visibleRules() has room for every alert rule of the regulation", () => {
  const alertRules = RULE_IDS.filter((id) => id.startsWith("8."));
  const { shown, hidden } = visibleRules(alertRules.map((id) => r(id, 1, 0)));
  assert.equal(shown.length, alertRules.length);
  assert.equal(hidden, 0);
  assert.ok(alertRules.length <= MAX_RULE_ROWS);
});

Deno.test("visibleRules() counts the rules it leaves out instead of dropping them silently", () => {
  const rows = Array.from({ length: 9 }, (_, i) => r(`8.${i + 1}`, i + 1, 0));
  const { shown, hidden } = visibleRules(rows, 6);
  assert.equal(shown.length, 6);
  assert.equal(hidden, 3);
  assert.equal(shown[0].rule, "8.9");
});
