/** The supervisors' overview on the database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import assert from "node:assert/strict";
import { ingestEvents } from "../write/ingest.ts";
import { caseFlow, HENAN, JINSHUI, LUOYANG, openTestApp, putReference, TEST_ITEM } from "../testing.ts";
import { supervisionOrders } from "../../db/schema_supervision.ts";
import { overviewUnits } from "./overview.ts";

const t = await openTestApp("2026-12-01T09:00:00+08:00");
const LY_ITEM = LUOYANG.item;
await putReference(t, {
  regions: [HENAN, JINSHUI.region, LUOYANG.region],
  departments: [JINSHUI.department, LUOYANG.department],
  halls: [LUOYANG.hall],
  items: [LY_ITEM, { ...TEST_ITEM, code: "410105-T", department: JINSHUI.department.code }],
});
const flow = (id: string, item: string, start: string, end?: string, hall?: string) =>
  caseFlow(id, item, start, end, { hall });
t.setNow("2026-12-03T12:00:00+08:00");
const r = await ingestEvents(t.deps, [
  ...flow("Z1", TEST_ITEM.code, "2026-12-01"),
  ...flow("J1", "410105-T", "2026-12-01", "2026-12-02"),
  ...flow("J2", "410105-T", "2026-12-02"),
  // 洛阳's case in 洛阳's hall (ingestion refuses a hall outside the department's region).
  ...flow("L1", LY_ITEM.code, "2026-12-01", "2026-12-02", "410300-HALL"),
], "setup");
assert.equal(r.refused.length, 0, JSON.stringify(r.refused));

type Unit = {
  code: string;
  inProgress: number;
  completedMonth: number;
  onTimeRate: number | null;
  halls: unknown[];
};

Deno.test("the province sees its cities, each adding up its districts", async () => {
  const res = await t.send("GET", "/api/v1/overview", undefined, { authorization: t.auth.province });
  assert.equal(res.status, 200);
  const o = await res.json();
  assert.equal(o.kind, "city");
  assert.deepEqual(o.top, { code: "410000", name: "河南省" });
  const by = Object.fromEntries(o.units.map((u: Unit) => [u.code, u]));
  assert.deepEqual(Object.keys(by).sort(), ["410100", "410300"]);
  assert.equal(by["410100"].inProgress, 2); // Z1 and 金水区's J2
  assert.equal(by["410100"].completedMonth, 1);
  assert.equal(by["410100"].onTimeRate, 1);
  assert.equal(by["410300"].inProgress, 0);
  assert.equal(by["410300"].completedMonth, 1);
  assert.equal(o.departmentUnit["410105-SCJGJ"], "410100");
  assert.equal(o.hasOrders, false);
});

Deno.test("the start page of a supervisor carries the overview island; others do not", async () => {
  const html = await (await t.send("GET", "/", undefined, { authorization: t.auth.province })).text();
  assert.match(html, /data-island="ProvinceOverview"/);
  assert.match(html, /河南省各地市实时概况/);
  assert.match(html, /id="halls-410300"/);
  const admin = await t.send("GET", "/", undefined, { authorization: t.auth.admin });
  assert.doesNotMatch(await admin.text(), /data-island="ProvinceOverview"/);
});

Deno.test("overviewUnits: a region agency sees its districts; a lone region itself", () => {
  const regions = [
    { code: "410100", name: "郑州市", parent: "410000" },
    { code: "410105", name: "金水区", parent: "410100" },
  ];
  assert.deepEqual(overviewUnits(regions).units.map((u) => u.code), ["410105"]);
  assert.deepEqual(overviewUnits(regions.slice(1)).units.map((u) => u.code), ["410105"]);
});

Deno.test("overdue supervision orders count on their department's row once orders exist", async () => {
  const ms = Date.parse("2026-12-01T09:00:00+08:00");
  await t.database.db.insert(supervisionOrders).values([
    ["overdue", "410105-SCJGJ"],
    ["open", "410105-SCJGJ"],
    ["overdue", "410300-SCJGJ"],
  ].map(([state, department], i) => ({
    caseId: `J${i}`,
    rule: "8.1",
    level: "red",
    on: "2026-11-20",
    department,
    region: department.slice(0, 6),
    text: "请说明",
    days: 5,
    issuedAt: new Date(ms),
    issuedBy: "sheng",
    issuedByOffice: "410000",
    dueOn: "2026-11-27",
    overdueAt: new Date(ms),
    state,
    updatedAt: new Date(ms),
  })));
  const o = await (await t.send("GET", "/api/v1/overview", undefined, { authorization: t.auth.province }))
    .json();
  assert.equal(o.hasOrders, true);
  const by = Object.fromEntries(
    o.units.map((u: { code: string; overdueOrders: number }) => [u.code, u.overdueOrders]),
  );
  assert.deepEqual(by, { "410100": 1, "410300": 1 });
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
