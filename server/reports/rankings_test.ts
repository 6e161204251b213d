import assert from "node:assert/strict";
import {
  addTallies,
  type DepartmentRef,
  emptyTally,
  metricsOf,
  rankDepartments,
  rankRegions,
  type RegionRef,
  type Tally,
} from "./rankings.ts";

const tally = (t: Partial<Tally>): Tally => ({ ...emptyTally(), ...t });

const REGIONS: RegionRef[] = [
  { code: "410000", name: "河南省", parent: null },
  { code: "410100", name: "郑州市", parent: "410000" },
  { code: "410105", name: "金水区", parent: "410100" },
  { code: "410300", name: "洛阳市", parent: "410000" },
];
const DEPARTMENTS: DepartmentRef[] = [
  { code: "410100-SCJGJ", name: "郑州市市场监督管理局", region: "410100" },
  { code: "410105-SCJGJ", name: "金水区市场监督管理局", region: "410105" },
  { code: "410300-SCJGJ", name: "洛阳市市场监督管理局", region: "410300" },
];

Deno.test("metricsOf computes rates from their own denominators", () => {
  // 8 completed, 7 with a remaining, 5 of them on time; ratios 0.5 + 1.25 + 0.8 over 3 cases.
  const m = metricsOf(tally({
    completed: 8,
    timed: 7,
    onTime: 5,
    ratioCases: 3,
    ratioSum: 2.55,
    active: 40,
    warnings: 6,
    reds: 3,
    evaluated: 16,
    abnormal: 3,
    unsatisfied: 2,
  }));
  assert.equal(m.onTimeRate, 0.7143);
  assert.equal(m.avgUsedRatio, 0.85);
  assert.equal(m.warningsPer100, 15);
  assert.equal(m.redsPer100, 7.5);
  assert.equal(m.abnormalPer100, 18.75);
  assert.equal(m.satisfactionRate, 0.875);
  assert.equal(m.completed, 8);
});

Deno.test("metricsOf answers null for a rate with nothing to divide by", () => {
  const m = metricsOf(tally({ warnings: 2 }));
  assert.equal(m.onTimeRate, null);
  assert.equal(m.avgUsedRatio, null);
  assert.equal(m.warningsPer100, null);
  assert.equal(m.abnormalPer100, null);
  assert.equal(m.satisfactionRate, null);
});

Deno.test("rankDepartments ranks each region's departments among themselves by score", () => {
  const zz2: DepartmentRef = { code: "410100-GAJ", name: "郑州市公安局", region: "410100" };
  const tallies = new Map([
    ["410100-SCJGJ", tally({ completed: 10, timed: 10, onTime: 8 })],
    ["410100-GAJ", tally({ completed: 12, timed: 12, onTime: 12 })],
    ["410300-SCJGJ", tally({ completed: 20, timed: 20, onTime: 10 })],
    ["410105-SCJGJ", tally({ completed: 3, timed: 3, onTime: 3 })],
  ]);
  const ranked = rankDepartments([...DEPARTMENTS, zz2], REGIONS, tallies);
  assert.deepEqual(ranked.map((u) => [u.code, u.peerGroup, u.score, u.rank]), [
    ["410100-GAJ", "410100", 100, 1],
    ["410100-SCJGJ", "410100", 92, 2],
    ["410105-SCJGJ", "410105", 100, null], // 样本不足: 3 completed
    ["410300-SCJGJ", "410300", 80, 1],
  ]);
  assert.equal(ranked[2].insufficient, true);
  assert.equal(ranked[0].parent, "410100");
});

Deno.test("kind level: every city's 市场监督管理局 together, districts' apart", () => {
  const ten = tally({ completed: 10, timed: 10, onTime: 10 });
  const ranked = rankDepartments(
    DEPARTMENTS,
    REGIONS,
    new Map(DEPARTMENTS.map((d) => [d.code, ten])),
    undefined,
    "kind",
  );
  assert.deepEqual(ranked.map((u) => [u.code, u.peerGroup, u.peerGroupName, u.rank]), [
    ["410300-SCJGJ", "kind:SCJGJ:1", "市场监督管理局（市级）", 1], // tie: 洛阳 (luo) before 郑州 (zheng)
    ["410100-SCJGJ", "kind:SCJGJ:1", "市场监督管理局（市级）", 1],
    ["410105-SCJGJ", "kind:SCJGJ:2", "市场监督管理局（县级）", 1],
  ]);
});

Deno.test("equal scores share a rank and list in zh-CN name order", () => {
  const same = tally({ completed: 10, timed: 10, onTime: 9 });
  const departments: DepartmentRef[] = [
    { code: "B", name: "郑州市卫生健康委员会", region: "410100" }, // zheng
    { code: "A", name: "洛阳市卫生健康委员会", region: "410100" }, // luo
    { code: "C", name: "安阳市卫生健康委员会", region: "410100" }, // an
  ];
  const ranked = rankDepartments(departments, REGIONS, new Map(departments.map((d) => [d.code, same])));
  assert.deepEqual(ranked.map((u) => [u.name.slice(0, 2), u.rank]), [["安阳", 1], ["洛阳", 1], ["郑州", 1]]);
});

Deno.test("rankRegions adds up departments of the region and of its sub-regions", () => {
  const tallies = new Map([
    ["410100-SCJGJ", tally({ completed: 4, timed: 4, onTime: 2, active: 10, reds: 1 })],
    ["410105-SCJGJ", tally({ completed: 6, timed: 6, onTime: 6, active: 10, reds: 1 })],
    ["410300-SCJGJ", tally({ completed: 1, timed: 1, onTime: 0, active: 5 })],
  ]);
  const ranked = rankRegions(REGIONS, REGIONS, DEPARTMENTS, tallies);
  const by = Object.fromEntries(ranked.map((u) => [u.code, u]));
  assert.equal(by["410105"].metrics.onTimeRate, 1);
  assert.equal(by["410100"].metrics.completed, 10);
  assert.equal(by["410100"].metrics.onTimeRate, 0.8);
  assert.equal(by["410100"].metrics.redsPer100, 10);
  assert.equal(by["410000"].metrics.completed, 11);
  assert.equal(by["410300"].metrics.onTimeRate, 0);
  // The province is the total; the cities one group (郑州 10 completed: ranked; 洛阳 1: 样本不足).
  assert.deepEqual(ranked.map((u) => [u.code, u.peerGroup, u.rank]), [
    ["410000", null, null],
    ["410100", "410000", 1],
    ["410300", "410000", null],
    ["410105", "410100", null],
  ]);
});

Deno.test("rankRegions lists only the regions asked for, counting only the departments given", () => {
  const tallies = new Map([
    ["410100-SCJGJ", tally({ completed: 2, timed: 2, onTime: 1 })],
    ["410300-SCJGJ", tally({ completed: 9, timed: 9, onTime: 9 })],
  ]);
  const ranked = rankRegions(REGIONS.slice(1, 3), REGIONS, DEPARTMENTS.slice(0, 2), tallies);
  assert.deepEqual(ranked.map((u) => [u.code, u.metrics.completed, u.peerGroup]), [
    ["410100", 2, null],
    ["410105", 0, "410100"],
  ]);
});

Deno.test("rankRegions survives a cycle in the region tree", () => {
  const cyclic: RegionRef[] = [{ code: "X", name: "甲", parent: "Y" }, {
    code: "Y",
    name: "乙",
    parent: "X",
  }];
  const ranked = rankRegions(
    cyclic,
    cyclic,
    [{ code: "D", name: "部门", region: "X" }],
    new Map([["D", tally({ completed: 1, timed: 1, onTime: 1 })]]),
  );
  assert.deepEqual(ranked.map((u) => u.metrics.completed), [1, 1]);
});

Deno.test("addTallies sums every field", () => {
  const a = tally({ completed: 1, ratioSum: 0.5, unsatisfied: 1 });
  const b = tally({ completed: 2, ratioSum: 0.25, evaluated: 4 });
  assert.deepEqual(addTallies([a, b]), tally({ completed: 3, ratioSum: 0.75, unsatisfied: 1, evaluated: 4 }));
});
