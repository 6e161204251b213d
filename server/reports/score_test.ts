import assert from "node:assert/strict";
import { emptyTally, type Tally } from "./rankings.ts";
import { competitionRanks, DEFAULT_WEIGHTS, MIN_COMPLETED, scoreOf, Weights } from "./score.ts";

const tally = (t: Partial<Tally>): Tally => ({ ...emptyTally(), ...t });

Deno.test("scoreOf follows RULES.md §5 with the default weights and caps", () => {
  // onTime 0.9, satisfaction 0.8, reds 5/100 → 1 − 5/20 = 0.75, warnings 25/100 → 0.5, abnormal 2/100 → 0.9.
  const t = tally({
    completed: 10,
    timed: 10,
    onTime: 9,
    active: 200,
    reds: 10,
    warnings: 50,
    evaluated: 50,
    unsatisfied: 10,
    abnormal: 1,
  });
  assert.equal(scoreOf(t), 40 * 0.9 + 20 * 0.8 + 20 * 0.75 + 10 * 0.5 + 10 * 0.9); // 77
});

Deno.test("scoreOf counts a missing measure as 1 and floors each term at 0", () => {
  // No evaluations: satisfaction and abnormal count as 1; red cards beyond the cap give 0, not less.
  const t = tally({ completed: 12, timed: 12, onTime: 6, active: 10, reds: 5, warnings: 0 });
  assert.equal(scoreOf(t), 40 * 0.5 + 20 + 0 + 10 + 10);
  // Nothing at all to divide by: every term is 1 → 100.
  assert.equal(scoreOf(tally({ completed: 3 })), 100);
  // No completed case: nothing to judge.
  assert.equal(scoreOf(tally({ active: 4, warnings: 1 })), null);
});

Deno.test("scoreOf rounds to two decimals, half up", () => {
  // 40·(2/3) + 60 = 86.666… → 86.67.
  assert.equal(scoreOf(tally({ completed: 3, timed: 3, onTime: 2 })), 86.67);
  // 40·(1/8) = 5 → 65 exactly; 40·(1/3) = 13.333… → 73.33.
  assert.equal(scoreOf(tally({ completed: 8, timed: 8, onTime: 1 })), 65);
  assert.equal(scoreOf(tally({ completed: 3, timed: 3, onTime: 1 })), 73.33);
});

Deno.test("scoreOf uses configured weights and caps", () => {
  const w: Weights = { ...DEFAULT_WEIGHTS, onTime: 50, satisfaction: 10, redCap: 10 };
  const t = tally({
    completed: 10,
    timed: 10,
    onTime: 10,
    active: 100,
    reds: 5,
    evaluated: 10,
    unsatisfied: 5,
  });
  assert.equal(scoreOf(t, w), 50 + 10 * 0.5 + 20 * 0.5 + 10 + 10);
});

Deno.test("competitionRanks: ties share a rank and the next skips (1, 2, 2, 4)", () => {
  const u = (score: number, completed = 20) => ({ score, completed });
  assert.deepEqual(competitionRanks([u(90), u(80), u(95), u(80), u(70)]), [2, 3, 1, 3, 5]);
  assert.deepEqual(competitionRanks([u(99.99), u(99.99), u(99.99)]), [1, 1, 1]);
});

Deno.test("competitionRanks leaves 样本不足 units (fewer than 10 completed) unranked", () => {
  const ranks = competitionRanks([
    { score: 100, completed: MIN_COMPLETED - 1 },
    { score: 50, completed: MIN_COMPLETED },
    { score: null, completed: 0 },
    { score: 60, completed: 100 },
  ]);
  assert.deepEqual(ranks, [null, 2, null, 1]);
});

Deno.test("Weights refuses weights not adding up to 100 and caps of 0, naming the field", () => {
  const bad = Weights.safeParse({ ...DEFAULT_WEIGHTS, onTime: 50 });
  assert.equal(bad.success, false);
  assert.match(bad.error!.issues[0].message, /之和必须为 100/);
  const cap = Weights.safeParse({ ...DEFAULT_WEIGHTS, redCap: 0 });
  assert.equal(cap.success, false);
  assert.deepEqual(cap.error!.issues[0].path, ["redCap"]);
  assert.equal(Weights.safeParse({ ...DEFAULT_WEIGHTS, extra: 1 }).success, false);
  assert.equal(Weights.safeParse(DEFAULT_WEIGHTS).success, true);
});
