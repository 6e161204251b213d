import assert from "node:assert/strict";
import type { CaseResult } from "../../rules/types.ts";
import { contributions, type CounterDelta, diffContributions } from "./counts.ts";

function result(overrides: Partial<CaseResult>): CaseResult {
  return {
    case: "C1",
    status: "accepted",
    deadline: "2024-10-21",
    remaining: 4,
    paused: false,
    alerts: [],
    findings: [],
    ...overrides,
  };
}

Deno.test("contributions of an open case: its status, open and due on its deadline", () => {
  assert.deepEqual(contributions({ department: "D", result: result({}) }), [
    "due||2024-10-21",
    "open||",
    "status|accepted|",
  ]);
});

Deno.test("contributions count the status, active warnings, unvoided red cards and abnormal findings", () => {
  const keys = contributions({
    department: "D",
    result: result({
      status: "completed",
      deadline: "2024-10-21",
      alerts: [
        { rule: "8.1", level: "warning", on: "2024-10-17", subject: null, resolved: "2024-10-18" },
        { rule: "8.1", level: "red", on: "2024-10-22", subject: null, resolved: null },
        { rule: "8.4", level: "red", on: "2024-10-09", subject: "F1", resolved: null, voided: "2024-10-10" },
        { rule: "8.7", level: "warning", on: "2024-10-09", subject: null, resolved: null },
      ],
      findings: [
        { rule: "9.1", state: "abnormal", on: "2024-10-22" },
        { rule: "9.2", state: "overturned", on: "2024-10-22" },
      ],
    }),
  });
  assert.deepEqual(keys, ["abn|9.1|2024-10-22", "red|8.1|2024-10-22", "status|completed|", "warn|8.7|"]);
});

Deno.test("a case without a department contributes its status alone, counted under department ''", () => {
  const keys = contributions({ department: null, result: result({}) });
  assert.deepEqual(keys, ["status|accepted|"]);
  const into = new Map<string, CounterDelta>();
  diffContributions(undefined, { department: null, hall: "H", keys }, into);
  assert.deepEqual([...into.values()], [
    { department: "", hall: "H", metric: "status", rule: "accepted", day: "", delta: 1 },
  ]);
});

Deno.test("diffContributions moves a case's counts when its keys or department change", () => {
  const into = new Map<string, CounterDelta>();
  diffContributions(
    { department: "D", hall: null, keys: ["open||", "due||2024-10-21"] },
    { department: "D", hall: null, keys: ["open||", "due||2024-10-22"] },
    into,
  );
  assert.deepEqual([...into.values()].map((d) => [d.day, d.delta]).sort(), [["2024-10-21", -1], [
    "2024-10-22",
    1,
  ]]);
  const moved = new Map<string, CounterDelta>();
  diffContributions({ department: "D", hall: "H", keys: ["open||"] }, {
    department: "E",
    hall: "H",
    keys: ["open||"],
  }, moved);
  assert.deepEqual([...moved.values()].map((d) => [d.department, d.delta]).sort(), [["D", -1], ["E", 1]]);
});
