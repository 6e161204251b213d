/**
 * Rankings on the database (PGlite, or PostgreSQL with TEST_DATABASE_URL): the incrementally kept
 * tallies agree with a direct count over the tables, scores and ranks with a shared rank and a gap,
 * the previous month's figures (环比), the XLSX read back, and the weights set by an administrator.
 *
 * Two departments of 郑州 (N = 10): 市场监管 (A) and 公安局 (B), 10 cases each completed on time in
 * October (a tie: both rank 1); in November A again completes 10 on time, B 10 of which 4 late
 * (received in October, completed after their deadline) — B falls to rank 2.
 */
import assert from "node:assert/strict";
import readExcelFile from "read-excel-file/universal";
import { ingestEvents } from "../write/ingest.ts";
import { caseFlow, openTestApp, TEST_ITEM } from "../testing.ts";
import { emptyTally } from "./rankings.ts";
import { DEFAULT_WEIGHTS, scoreOf } from "./score.ts";
import { oracleTallies } from "./tally_oracle.ts";
import { loadMonthlyTallies } from "./tally_query.ts";

const t = await openTestApp("2026-10-01T09:00:00+08:00");
const { db } = t.database;
const B_ITEM = { ...TEST_ITEM, code: "410100-GA-0001", name: "户籍迁移", department: "410100-GAJ" };
for (
  const [path, body] of [
    ["/api/v1/departments", [{ code: "410100-GAJ", name: "郑州市公安局", region: "410100" }]],
    ["/api/v1/items", [B_ITEM]],
  ] as const
) assert.equal((await t.send("PUT", path, body)).status, 200);

const flow = (id: string, item: string, start: string, end: string) => caseFlow(id, item, start, end);
const days = (month: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${month}-${String(5 + i).padStart(2, "0")}`);
const EVENTS = [
  ...days("2026-10", 10).flatMap((d, i) =>
    flow(`A-O${i}`, TEST_ITEM.code, "2026-10-09", d.replace(/-(\d+)$/, `-${12 + i}`))
  ),
  ...days("2026-10", 10).flatMap((_d, i) => flow(`B-O${i}`, B_ITEM.code, "2026-10-09", `2026-10-${12 + i}`)),
  ...days("2026-11", 10).flatMap((_d, i) =>
    flow(`A-N${i}`, TEST_ITEM.code, "2026-11-02", `2026-11-${String(3 + i).padStart(2, "0")}`)
  ),
  ...days("2026-11", 6).flatMap((_d, i) =>
    flow(`B-N${i}`, B_ITEM.code, "2026-11-02", `2026-11-${String(3 + i).padStart(2, "0")}`)
  ),
  ...[0, 1, 2, 3].flatMap((i) => flow(`B-L${i}`, B_ITEM.code, "2026-10-08", `2026-11-${20 + i}`)),
];
t.setNow("2026-12-01T09:00:00+08:00");
const stored = await ingestEvents(t.deps, EVENTS, "setup");
assert.equal(stored.stored, EVENTS.length, JSON.stringify(stored.refused));

type Row = {
  code: string;
  score: number;
  rank: number | null;
  peerGroup: string;
  onTimeRate: number;
  completed: number;
  previous: { score: number; rank: number } | null;
  scoreChange: number | null;
  rankChange: number | null;
};
async function rankings(month: string, level = "department"): Promise<{ units: Row[]; weights: unknown }> {
  const res = await t.send("GET", `/api/v1/reports/rankings?month=${month}&level=${level}`);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

Deno.test("the kept monthly tallies equal a direct count over cases, alerts, findings and events", async () => {
  const codes = ["410100-SCJGJ", "410100-GAJ"];
  const kept = await loadMonthlyTallies(db, codes, ["2026-10", "2026-11"]);
  for (
    const [month, from, to] of [["2026-10", "2026-10-01", "2026-10-31"], [
      "2026-11",
      "2026-11-01",
      "2026-11-30",
    ]]
  ) {
    const direct = await oracleTallies(db, codes, from, to);
    for (const d of codes) {
      const a = kept.get(month)!.get(d) ?? emptyTally();
      const b = direct.get(d) ?? emptyTally();
      assert.deepEqual(
        { ...a, ratioSum: a.ratioSum.toFixed(9) },
        { ...b, ratioSum: b.ratioSum.toFixed(9) },
        `${month} ${d}`,
      );
    }
  }
  assert.equal(kept.get("2026-11")!.get("410100-GAJ")!.completed, 10);
  assert.equal(kept.get("2026-11")!.get("410100-GAJ")!.onTime, 6);
});

Deno.test("October: two departments with equal scores share rank 1", async () => {
  const { units } = await rankings("2026-10");
  assert.deepEqual(units.map((u) => [u.code, u.rank, u.peerGroup]), [
    ["410100-GAJ", 1, "410100"], // tie: gong before shi (zh-CN)
    ["410100-SCJGJ", 1, "410100"],
  ]);
  assert.equal(units[0].score, units[1].score);
});

Deno.test("November: ranks by score with 环比 against October", async () => {
  const { units } = await rankings("2026-11");
  const by = Object.fromEntries(units.map((u) => [u.code, u]));
  const direct = await oracleTallies(db, ["410100-GAJ", "410100-SCJGJ"], "2026-11-01", "2026-11-30");
  assert.equal(by["410100-GAJ"].score, scoreOf(direct.get("410100-GAJ")!));
  assert.equal(by["410100-SCJGJ"].score, scoreOf(direct.get("410100-SCJGJ")!));
  assert.equal(by["410100-GAJ"].onTimeRate, 0.6);
  assert.deepEqual(units.map((u) => [u.code, u.rank]), [["410100-SCJGJ", 1], ["410100-GAJ", 2]]);
  const oct = Object.fromEntries((await rankings("2026-10")).units.map((u) => [u.code, u]));
  const b = by["410100-GAJ"];
  assert.deepEqual(b.previous, { score: oct["410100-GAJ"].score, rank: 1 });
  assert.equal(b.rankChange, -1);
  assert.equal(b.scoreChange, Math.round((b.score - oct["410100-GAJ"].score) * 100) / 100);
  assert.ok(b.scoreChange! < 0);
  assert.equal(by["410100-SCJGJ"].rankChange, 0);
});

Deno.test("the XLSX has a sheet per level and the weights, with the JSON's rows and numbers", async () => {
  const res = await t.send("GET", "/api/v1/reports/rankings.xlsx?month=2026-11");
  assert.equal(res.status, 200);
  assert.equal(
    res.headers.get("content-type"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  assert.match(res.headers.get("content-disposition")!, /filename\*=UTF-8''/);
  const sheets = await readExcelFile(new Blob([await res.arrayBuffer()]));
  assert.deepEqual(sheets.map((s) => s.sheet), [
    "地区排名 2026-11",
    "部门排名 2026-11",
    "同类部门排名 2026-11",
    "权重",
  ]);
  const [header, ...rows] = sheets[1].data;
  assert.deepEqual(header.slice(0, 5), ["比较组", "排名", "部门代码", "部门名称", "综合得分"]);
  const { units } = await rankings("2026-11");
  assert.equal(rows.length, units.length);
  units.forEach((u, i) => {
    const row = Object.fromEntries(header.map((h, j) => [h, rows[i][j]]));
    assert.equal(row["部门代码"], u.code);
    assert.equal(row["排名"], u.rank);
    assert.equal(row["综合得分"], u.score);
    assert.equal(row["按时办结率"], u.onTimeRate);
    assert.equal(row["办结件数"], u.completed);
    assert.equal(row["名次变化"], u.rankChange);
  });
  const weights = Object.fromEntries(sheets[3].data.slice(1).map((r) => [r[1], r[2]]));
  assert.equal(weights.onTime, 40);
  assert.equal(weights.redCap, 20);
});

Deno.test("an administrator's new weights are audited and apply to every month from then on", async () => {
  const put = (body: unknown, who = t.auth.admin) =>
    t.send("PUT", "/api/v1/admin/ranking-weights", body, { authorization: who });
  // The defaults with onTime 50: the five weights sum to 110.
  const bad = await put({ ...DEFAULT_WEIGHTS, onTime: 50 });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).details.field, "onTime");
  assert.equal((await put({ onTime: 100 }, t.auth.province)).status, 403);
  const only = {
    onTime: 100,
    satisfaction: 0,
    red: 0,
    warnings: 0,
    abnormal: 0,
    redCap: 20,
    warningsCap: 50,
    abnormalCap: 20,
  };
  const ok = await put(only);
  assert.equal(ok.status, 200, await ok.clone().text());
  const nov = await rankings("2026-11");
  assert.deepEqual(nov.weights, only);
  assert.equal(nov.units.find((u) => u.code === "410100-GAJ")!.score, 60);
  // October too: the weights in force apply to every month.
  assert.ok((await rankings("2026-10")).units.every((u) => u.score === 100));
  const audit = await (await t.send("GET", "/api/v1/audit?action=ranking.weights", undefined, {
    authorization: t.auth.province,
  })).json();
  const records = (Array.isArray(audit) ? audit : audit.records ?? audit.entries ?? []) as {
    action: string;
    detail: { after: unknown };
  }[];
  assert.ok(records.some((r) => r.action === "ranking.weights"), JSON.stringify(audit).slice(0, 300));
  // The page states them.
  const page = await (await t.send("GET", "/admin/rankings", undefined, { authorization: t.auth.admin }))
    .text();
  assert.match(page, /综合得分 = 100×按时办结率 \+ 0×满意率/);
});

Deno.test("a unit's trend covers 12 months of score and on-time rate", async () => {
  const res = await t.send("GET", "/api/v1/reports/rankings/trend?unit=410100&month=2026-11");
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.points.length, 12);
  assert.equal(body.points[0].month, "2025-12");
  assert.equal(body.points.at(-1).completed, 20);
  assert.equal(body.points.at(-1).onTimeRate, 0.8);
  assert.equal(body.points[0].score, null);
  assert.equal((await t.send("GET", "/api/v1/reports/rankings/trend?unit=NOPE&month=2026-11")).status, 404);
  assert.equal((await t.send("GET", "/api/v1/reports/rankings/trend?month=2026-11")).status, 400);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
