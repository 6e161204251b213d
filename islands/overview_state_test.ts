import assert from "node:assert/strict";
import type { CountsMessage } from "../server/live/wire.ts";
import { emptyUnit } from "../server/reports/overview.ts";
import { applyCounts, changedFields, type OverviewRow } from "./overview_state.ts";

const row = (code: string, o: Partial<OverviewRow> = {}): OverviewRow => ({ ...emptyUnit(code, code), ...o });
const counts = (byDepartment: CountsMessage["byDepartment"]): CountsMessage => ({
  at: "2026-12-01T10:00:00+08:00",
  totals: { inProgress: 0, dueToday: 0, warnings: 0, redToday: 0, redMonth: 0, abnormal: 0 },
  byDepartment,
  byRule: [],
});
const dep = (department: string, n: number, redToday = 0) => ({
  department,
  name: department,
  inProgress: n,
  dueToday: 1,
  warnings: n * 2,
  redToday,
});

Deno.test("applyCounts adds up each row's departments and moves the month's red cards with today's", () => {
  const base = [
    row("410100", { redToday: 1, redMonth: 5, onTimeRate: 0.9 }),
    row("410300", { inProgress: 9 }),
  ];
  const map = { "410100-A": "410100", "410105-B": "410100", "410300-A": "410300" };
  const out = applyCounts(base, map, counts([dep("410100-A", 3, 2), dep("410105-B", 4)]));
  assert.deepEqual(
    out[0],
    row("410100", {
      inProgress: 7,
      dueToday: 2,
      warnings: 14,
      redToday: 2,
      redMonth: 6,
      onTimeRate: 0.9,
    }),
  );
  // A row none of whose departments is listed any more drops to zero (counts omit empty departments).
  assert.equal(out[1].inProgress, 0);
  assert.deepEqual(changedFields(base[0], out[0]), [
    "inProgress",
    "dueToday",
    "warnings",
    "redToday",
    "redMonth",
  ]);
  assert.deepEqual(changedFields(out[0], out[0]), []);
});

Deno.test("applyCounts ignores departments outside the overview", () => {
  const out = applyCounts([row("410100")], {}, counts([dep("X", 5)]));
  assert.equal(out[0].inProgress, 0);
});
