/**
 * The report routes on a small hand-made month (November 2026, no holidays): metrics worked out by
 * hand from the events below, scope filtering per role, CSV exports, validation and the pages.
 *
 * 郑州市市场监管 (N = 10): Z1 on time (used 4), Z2 late (used 15, its 8.1 cards in October), Z4 on
 * time (used 2) with an 8.4 red card disposed 通报批评, Z3 open with an 8.1 warning on 11-26, Z5 open
 * with a voided 8.4 red card. Evaluations: Z1 unsatisfied (9.1), Z2 bad attitude (9.7), Z4 fine.
 * 金水区市场监管 (N = 5): J1 on time (used 4, its 8.1 warning on 11-12). 洛阳市市场监管 (N = 10): L1 on
 * time (used 1), L2 open with an 8.4 red card (11-10), an 8.1 warning (11-20) and red card (11-25).
 */
import assert from "node:assert/strict";
import type { Role } from "../auth/roles.ts";
import { sessionHeaders, testPasswordHash } from "../auth/test_support.ts";
import { createUser } from "../auth/users.ts";
import { ingestEvents } from "../write/ingest.ts";
import { BOM } from "../reports/csv.ts";
import { caseFlow, HENAN, JINSHUI, LUOYANG, openTestApp, putReference, TEST_ITEM } from "../testing.ts";

const t = await openTestApp("2026-11-01T09:00:00+08:00");
const { db } = t.database;

const JS_NAME = '金水区市场监督管理局（"一网通办",窗口）';
const JS_ITEM = { ...TEST_ITEM, code: "410105-TEST-0001", department: "410105-SCJGJ", promisedDays: 5 };
const LY_ITEM = LUOYANG.item;
await putReference(t, {
  regions: [HENAN, JINSHUI.region, LUOYANG.region],
  // 金水's department under a name with a quote and a comma, for the CSV export.
  departments: [{ ...JINSHUI.department, name: JS_NAME }, LUOYANG.department],
  halls: [LUOYANG.hall],
  items: [JS_ITEM, LY_ITEM],
});

const at = (date: string, time = "10:00") => `${date}T${time}:00+08:00`;
/** A case received and accepted on `start`, its four steps, completed on `end` if given. */
function flow(id: string, item: string, start: string, end?: string) {
  const hall = item === LY_ITEM.code ? "410300-HALL" : "410100-HALL";
  return caseFlow(id, item, start, end, { hall, handler: "王五" });
}
const fee = (id: string, date: string) => ({
  id: `${id}-fee`,
  case: id,
  type: "fee",
  at: at(date),
  kind: "charge",
  amount: 100,
  basis: "收费标准",
});
const review = (id: string, date: string, action: string, extra: Record<string, unknown> = {}) => ({
  id: `${id}-${action}`,
  case: id,
  type: "review",
  at: at(date, "16:00"),
  action,
  rule: "8.4",
  subject: `${id}-fee`,
  reason: "测试",
  by: "province",
  ...extra,
});
const evaluation = (id: string, date: string, answers: Record<string, unknown>) => ({
  id: `${id}-e`,
  case: id,
  type: "evaluation",
  at: at(date, "17:00"),
  ...answers,
});

const EVENTS = [
  ...flow("Z1", TEST_ITEM.code, "2026-11-02", "2026-11-06"),
  evaluation("Z1", "2026-11-09", { satisfied: false, satisfactionReason: "办理太慢" }),
  ...flow("Z2", TEST_ITEM.code, "2026-10-12", "2026-11-02"),
  evaluation("Z2", "2026-11-03", { attitude: "bad", attitudeReason: "态度生硬" }),
  ...flow("Z3", TEST_ITEM.code, "2026-11-16"),
  ...flow("Z4", TEST_ITEM.code, "2026-11-03", "2026-11-05"),
  fee("Z4", "2026-11-04"),
  review("Z4", "2026-11-06", "dispose", { disposition: "circulated_criticism" }),
  evaluation("Z4", "2026-11-10", { satisfied: true }),
  ...flow("Z5", TEST_ITEM.code, "2026-11-20"),
  fee("Z5", "2026-11-23"),
  review("Z5", "2026-11-24", "void"),
  ...flow("J1", JS_ITEM.code, "2026-11-09", "2026-11-13"),
  ...flow("L1", LY_ITEM.code, "2026-11-02", "2026-11-03"),
  ...flow("L2", LY_ITEM.code, "2026-11-10"),
  fee("L2", "2026-11-10"),
];
t.setNow("2026-12-02T09:00:00+08:00");
const report = await ingestEvents(t.deps, EVENTS, "setup");
assert.equal(report.stored, EVENTS.length, JSON.stringify(report.refused));

/** Request headers of a new signed-in account. */
async function account(role: Role, scope: { departments?: string[]; region?: string }) {
  const user = await createUser(
    db,
    {
      username: `r-${role}-${Object.values(scope).join("")}`,
      displayName: role,
      role,
      departments: scope.departments ?? [],
      region: scope.region ?? null,
      hall: null,
    },
    Date.parse("2026-12-01T09:00:00+08:00"),
    { passwordHash: await testPasswordHash() },
  );
  return await sessionHeaders(db, user.id, t.deps.clock());
}
const AS = {
  province: { authorization: t.auth.province },
  director: await account("director", { region: "410100" }),
  jsDirector: await account("director", { departments: ["410105-SCJGJ"] }),
  region: await account("region", { region: "410300" }),
  department: await account("department", { departments: ["410100-SCJGJ"] }),
};

async function json(path: string, headers: Record<string, string> = AS.province) {
  const res = await t.send("GET", path, undefined, headers);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}
type Unit = {
  code: string;
  rank: number | null;
  score: number | null;
  peerGroup: string | null;
  insufficient: boolean;
  onTimeRate: number | null;
  metrics: Record<string, number | null>;
};

Deno.test("department rankings of November carry the hand-computed metrics", async () => {
  const body = await json("/api/v1/reports/rankings?month=2026-11");
  assert.equal(body.from, "2026-11-01");
  assert.equal(body.to, "2026-11-30");
  const by: Record<string, Unit> = Object.fromEntries(body.units.map((u: Unit) => [u.code, u]));
  assert.deepEqual(by["410100-SCJGJ"].metrics, {
    completed: 3,
    onTimeRate: 0.6667,
    avgUsedRatio: 0.7, // (0.4 + 1.5 + 0.2) / 3
    active: 5,
    warnings: 1,
    reds: 1,
    warningsPer100: 20,
    redsPer100: 20,
    evaluated: 3,
    abnormal: 2,
    abnormalPer100: 66.67,
    satisfactionRate: 0.6667,
    ordersOverdue: 0,
  });
  assert.equal(by["410105-SCJGJ"].metrics.avgUsedRatio, 0.8);
  assert.deepEqual(
    ["active", "warnings", "reds", "redsPer100", "evaluated"].map((k) => by["410300-SCJGJ"].metrics[k]),
    [2, 1, 2, 100, 0],
  );
  assert.equal(by["410300-SCJGJ"].metrics.satisfactionRate, null);
  // The measures also sit at the top level of each row, beside score, rank and peer group.
  assert.equal(by["410100-SCJGJ"].onTimeRate, 0.6667);
  // 郑州: 40·2/3 + 20·2/3 + 20·max(0, 1 − 20/20) + 10·(1 − 20/50) + 10·max(0, 1 − 66.67/20) = 46.
  // 金水: 40 + 20 (no evaluation counts as 1) + 20 + 10·max(0, 1 − 100/50) + 10 = 90.
  // 洛阳: 40 + 20 + 20·0 + 10·(1 − 50/50) + 10 = 70.
  // Every department has fewer than 10 completed cases: 样本不足, none ranked; each in its region's group.
  assert.deepEqual(body.units.map((u: Unit) => [u.code, u.score, u.rank, u.insufficient, u.peerGroup]), [
    ["410100-SCJGJ", 46, null, true, "410100"],
    ["410105-SCJGJ", 90, null, true, "410105"],
    ["410300-SCJGJ", 70, null, true, "410300"],
  ]);
  assert.equal(typeof body.definitions.onTimeRate, "string");
});

Deno.test("region rankings add up sub-regions: 郑州 includes 金水区", async () => {
  const body = await json("/api/v1/reports/rankings?month=2026-11&level=region");
  // The province is the scope's total (no peers); the cities compare with each other, 金水区 with
  // 郑州's other districts — never a parent beside its child.
  assert.deepEqual(
    body.units.map((u: Unit) => [u.code, u.peerGroup, u.rank, u.metrics.completed, u.metrics.onTimeRate]),
    [
      ["410000", null, null, 5, 0.8],
      // Unranked (样本不足) within a group: higher score first.
      ["410300", "410000", null, 1, 1],
      ["410100", "410000", null, 4, 0.75],
      ["410105", "410100", null, 1, 1],
    ],
  );
});

Deno.test("a month with nothing in it lists the units unranked with zeros", async () => {
  const body = await json("/api/v1/reports/rankings?month=2026-09");
  assert.ok(
    body.units.every((u: Unit) => u.rank === null && u.metrics.completed === 0 && u.metrics.active === 0),
  );
});

Deno.test("directors see only their scope: a region's tree, or their own department", async () => {
  const zz = await json("/api/v1/reports/rankings?month=2026-11", AS.director);
  assert.deepEqual(zz.units.map((u: Unit) => u.code), ["410100-SCJGJ", "410105-SCJGJ"]);
  const zzRegions = await json("/api/v1/reports/rankings?month=2026-11&level=region", AS.director);
  assert.deepEqual(zzRegions.units.map((u: Unit) => [u.code, u.peerGroup]), [["410100", null], [
    "410105",
    "410100",
  ]]);
  const js = await json("/api/v1/reports/rankings?month=2026-11", AS.jsDirector);
  assert.deepEqual(js.units.map((u: Unit) => u.code), ["410105-SCJGJ"]);
  assert.deepEqual(
    (await json("/api/v1/reports/rankings?month=2026-11&level=region", AS.jsDirector)).units,
    [],
  );
  const ly = await json("/api/v1/reports/red-cards?from=2026-11-01&to=2026-11-30", AS.region);
  assert.deepEqual(ly.departments.map((d: { code: string }) => d.code), ["410300-SCJGJ"]);
});

Deno.test("roles without reports:read get 403, anonymous callers 401", async () => {
  for (
    const path of [
      "/api/v1/reports/rankings?month=2026-11",
      "/api/v1/reports/red-cards.csv?from=2026-11-01&to=2026-11-02",
    ]
  ) {
    assert.equal((await t.send("GET", path, undefined, AS.department)).status, 403);
    assert.equal((await t.send("GET", path, undefined, { authorization: t.auth.admin })).status, 403);
    assert.equal((await t.send("GET", path, undefined, { authorization: "" })).status, 401);
  }
});

Deno.test("bad parameters answer 400 naming the field", async () => {
  for (
    const [path, field] of [
      ["/api/v1/reports/rankings", "month"],
      ["/api/v1/reports/rankings?month=2026-13", "month"],
      ["/api/v1/reports/rankings.csv?month=2026-11&level=hall", "level"],
      ["/api/v1/reports/red-cards?from=2026-11-31&to=2026-12-01", "from"],
      ["/api/v1/reports/red-cards?from=2026-11-02&to=2026-11-01", "to"],
    ]
  ) {
    const res = await t.send("GET", path);
    assert.equal(res.status, 400, path);
    const body = await res.json();
    assert.equal(body.details.field, field, path);
    assert.ok(body.error.startsWith(`${field}:`), body.error);
  }
});

Deno.test("red cards of November by department, voided ones left out, with the disposition", async () => {
  const body = await json("/api/v1/reports/red-cards?from=2026-11-01&to=2026-11-30");
  assert.equal(body.total, 3);
  assert.deepEqual(
    body.departments.map((d: { code: string; count: number; cards: { caseId: string }[] }) => [
      d.code,
      d.count,
      d.cards.map((c) => c.caseId),
    ]),
    [["410300-SCJGJ", 2, ["L2", "L2"]], ["410100-SCJGJ", 1, ["Z4"]]],
  );
  const z4 = body.departments[1].cards[0];
  assert.deepEqual(
    [z4.rule, z4.ruleName, z4.on, z4.itemName, z4.disposition],
    ["8.4", "收费监察", "2026-11-04", "食品经营许可", "circulated_criticism"],
  );
  assert.equal(body.notice.title, "关于2026年11月政务服务电子监察红牌情况的通报");
  assert.match(
    body.notice.opening,
    /^2026年11月1日至2026年11月30日，全省政务服务电子监察系统共发出红牌3张，涉及2个部门/,
  );
  const zz = await json("/api/v1/reports/red-cards?from=2026-11-01&to=2026-11-30", AS.director);
  assert.equal(zz.total, 1);
  assert.match(zz.notice.opening, /郑州市政务服务电子监察系统/);
  // October holds Z2's 8.1 red card only.
  const oct = await json("/api/v1/reports/red-cards?from=2026-10-01&to=2026-10-31");
  assert.deepEqual(
    oct.departments[0].cards.map((c: { caseId: string; rule: string }) => [c.caseId, c.rule]),
    [["Z2", "8.1"]],
  );
});

Deno.test("rankings CSV: BOM, Chinese headers, quoted names, a download", async () => {
  const res = await t.send("GET", "/api/v1/reports/rankings.csv?month=2026-11");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.match(res.headers.get("content-disposition")!, /^attachment;.*filename\*=UTF-8''/);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  assert.ok(text.startsWith(BOM));
  const lines = text.slice(1).split("\r\n");
  assert.ok(
    lines[0].startsWith(
      "比较组,排名,部门代码,部门名称,综合得分,上月得分,得分环比,上月排名,名次变化,办结件数,按时办结率",
    ),
  );
  assert.equal(
    lines[2],
    `金水区各部门,样本不足,410105-SCJGJ,"金水区市场监督管理局（""一网通办"",窗口）",90,,,,,1,100.0%,0.8,1,1,100,0,0,0,0,,`,
  );
  assert.equal(
    lines[1].split(",").slice(0, 11).join(","),
    "郑州市各部门,样本不足,410100-SCJGJ,郑州市市场监督管理局,46,,,,,3,66.7%",
  );
  assert.equal(lines.at(-1), "");
});

Deno.test("red cards CSV lists one row per card with the disposition in Chinese", async () => {
  const res = await t.send(
    "GET",
    "/api/v1/reports/red-cards.csv?from=2026-11-01&to=2026-11-30",
    undefined,
    AS.director,
  );
  // The bytes as sent (res.text() would drop the byte-order mark).
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await res.bytes());
  assert.ok(text.startsWith(BOM));
  const lines = text.slice(1).trimEnd().split("\r\n");
  assert.equal(lines.length, 2);
  assert.match(
    lines[1],
    /^410100-SCJGJ,郑州市市场监督管理局,Z4,410000-TEST-0001,食品经营许可,8\.4,收费监察,Z4-fee,2026-11-04,通报批评$/,
  );
});

Deno.test("the rankings page shows both tables, the month form and the export links", async () => {
  const res = await t.send("GET", "/reports?month=2026-11", undefined, AS.director);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /2026年11月政务服务效率排名与评价/);
  assert.match(html, /<form[^>]*method="get"[^>]*action="\/reports"/);
  assert.match(html, /href="\/api\/v1\/reports\/rankings\.csv\?month=2026-11&amp;level=region"/);
  assert.match(html, /data-level="department"[\s\S]*data-code="410105-SCJGJ"[\s\S]*data-code="410100-SCJGJ"/);
  assert.doesNotMatch(html, /410300/);
  assert.doesNotMatch(html, /<script(?![^>]*(type="application\/json"|src=))/);
});

Deno.test("the notice page prints the generated notice; a bad date is a 400 page", async () => {
  const res = await t.send("GET", "/reports/notice?from=2026-11-01&to=2026-11-30");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /关于2026年11月政务服务电子监察红牌情况的通报/);
  assert.match(html, /一、洛阳市市场监督管理局（2张）/);
  assert.match(html, /已处理：通报批评/);
  assert.match(html, /河南省政务服务电子监察机构/);
  const bad = await t.send("GET", "/reports/notice?from=2026-02-30&to=2026-03-01");
  assert.equal(bad.status, 400);
  assert.match(await bad.text(), /from:/);
  assert.equal((await t.send("GET", "/reports", undefined, AS.department)).status, 403);
  const anon = await t.send("GET", "/reports?month=2026-11", undefined, { authorization: "" });
  assert.equal(anon.status, 303);
  assert.equal(anon.headers.get("location"), `/login?next=${encodeURIComponent("/reports?month=2026-11")}`);
});

Deno.test("the pages default to the current month", async () => {
  const html = await (await t.send("GET", "/reports")).text();
  assert.match(html, /2026年12月政务服务效率排名与评价/);
  const notice = await (await t.send("GET", "/reports/notice")).text();
  assert.match(notice, /关于2026年12月政务服务电子监察红牌情况的通报/);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
