/**
 * The queue over the API (`/api/v1/queue`): the page's filters, sort, assignment and review deadline
 * with the overdue flag, bulk decisions, and the appeals and explanations beside the items they
 * answer — read from where they are stored, also for a case whose kept timeline is not there yet.
 */
import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { cases } from "../../db/schema.ts";
import { openTestApp } from "../testing.ts";
import { person, seedQueueCases } from "./test_accounts.ts";

const t = await openTestApp("2024-10-15T10:00:00+08:00");
const { db } = t.database;
await seedQueueCases(t);
const sheng = await person(t, { username: "qa-sheng", displayName: "省政务服务监察处", role: "province" });
const zz = await person(t, {
  username: "qa-zz",
  displayName: "郑州市监察科",
  role: "region",
  region: "410100",
});

type Row =
  & { id: number; case: string; kind: string; reviewDueOn: string; reviewOverdue: boolean }
  & Record<
    string,
    unknown
  >;
async function list(query = "", who = sheng): Promise<Row[]> {
  const res = await t.send("GET", `/api/v1/queue${query}`, undefined, await who.headers());
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}
const post = async (path: string, body: unknown, who = sheng) =>
  await t.send("POST", `/api/v1/queue/${path}`, body, await who.headers());

Deno.test("GET /api/v1/queue filters by kind, region, department, age and overdue, and sorts", async () => {
  const all = await list();
  assert.deepEqual(all.map((r) => r.kind).sort(), ["feedback", "investigation", "late_correction"]);
  assert.deepEqual((await list("?kind=late_correction")).map((r) => r.case), ["K1"]);
  assert.equal((await list("?region=410100")).length, 3, "郑州 and below");
  assert.equal((await list("?department=410100-SCJGJ")).length, 3);
  // K1 opened 2024-09-12: its review was due addWorkdays(09-12, 5) = 09-20.
  const k1 = (await list("?kind=late_correction"))[0];
  assert.deepEqual([k1.reviewDueOn, k1.reviewOverdue, k1.assignee], ["2024-09-20", true, null]);
  assert.deepEqual((await list("?overdue=1")).map((r) => r.reviewOverdue), all.map(() => true));
  assert.equal((await list("?minAge=100")).length, 0);
  assert.equal((await list("?minAge=5")).length, 3);
  const newest = await list("?sort=newest");
  assert.deepEqual(newest.map((r) => r.id), [...(await list("?sort=oldest"))].reverse().map((r) => r.id));
  const bad = await t.send("GET", "/api/v1/queue?sort=sideways", undefined, await sheng.headers());
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^sort: /);
  const other = await t.send("GET", "/api/v1/queue?region=410300", undefined, await zz.headers());
  assert.equal(other.status, 403, "another region");
});

Deno.test("items are assigned over the API, filtered by assignee, and a deadline given alone keeps the assignee", async () => {
  const k1 = (await list("?kind=late_correction"))[0];
  const res = await post("assign", { items: [k1.id], assignee: "qa-zz", dueOn: "2024-10-20" });
  assert.equal(res.status, 200, await res.clone().text());
  assert.deepEqual(await res.json(), { updated: 1 });
  const mine = await list("?assignee=mine", zz);
  assert.deepEqual(mine.map((r) => [r.id, r.assignee, r.assigneeName, r.reviewDueOn, r.reviewOverdue]), [
    [k1.id, "qa-zz", "郑州市监察科", "2024-10-20", false],
  ]);
  assert.ok(!(await list("?assignee=none")).some((r) => r.id === k1.id));
  assert.equal((await post("assign", { items: [k1.id], dueOn: "2024-10-22" })).status, 200);
  assert.deepEqual((await list("?assignee=qa-zz")).map((r) => r.reviewDueOn), ["2024-10-22"]);
  const nothing = await post("assign", { items: [k1.id] });
  assert.equal(nothing.status, 400);
  assert.match((await nothing.json()).error, /^assignee: /);
  assert.equal((await post("assign", { items: [k1.id], assignee: "nobody" })).status, 400);
});

Deno.test("the appeal shows beside the item it answers for a case whose kept timeline is not there yet", async () => {
  // As after the upgrade that added kept timelines: the row has none until the case is next evaluated.
  await db.update(cases).set({ timeline: null }).where(eq(cases.caseId, "R1"));
  const [row] = await db.execute(sql`select timeline from cases where case_id = 'R1'`).then((r) =>
    Array.isArray(r) ? r : (r as { rows: unknown[] }).rows
  ) as { timeline: unknown }[];
  assert.equal(row.timeline, null);
  const inv = (await list("?kind=investigation"))[0];
  assert.deepEqual(inv.appeals, [{ text: "已当场解释", by: "test-ingest", at: "2024-09-09T09:00:00+08:00" }]);
  assert.deepEqual((await list("?kind=feedback"))[0].appeals, [], "the appeal answers 9.1, not 9.9");
  const html = await (await t.app.request("/queue", { headers: { cookie: (await sheng.headers()).cookie } }))
    .text();
  assert.match(
    html,
    /data-kind="investigation">[\s\S]*?部门申诉（test-ingest，2024-09-09 09:00:00）：已当场解释/,
  );
  // The case page evaluates the stored events: the appeal is in its history too.
  const casePage =
    await (await t.app.request("/cases/R1", { headers: { cookie: (await sheng.headers()).cookie } }))
      .text();
  assert.match(casePage, /已当场解释/);
});

Deno.test("a bulk decision over the API decides the fitting items with one reason and lists the others", async () => {
  const ids = (await list()).map((r) => r.id);
  const res = await post("decide", { items: ids, action: "confirm", reason: "确属未及时告知" });
  assert.equal(res.status, 200, await res.clone().text());
  const report = await res.json();
  assert.deepEqual(report.decided.map((d: { caseId: string; applied: boolean }) => [d.caseId, d.applied]), [
    ["K1", true],
  ]);
  assert.deepEqual(report.skipped.map((s: { kind: string }) => s.kind).sort(), ["feedback", "investigation"]);
  assert.deepEqual((await list()).map((r) => r.case), ["R1", "R1"]);
  const view = await (await t.send("GET", "/api/v1/cases/K1/view")).json();
  assert.deepEqual([view.reviews.at(-1).by, view.reviews.at(-1).office], ["qa-sheng", "省政务服务监察处"]);
  const bad = await post("decide", { items: ids, action: "shrug", reason: "x" });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error, /^action: /);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
