import assert from "node:assert/strict";
import { manualQueue } from "../../db/schema.ts";
import { explanations } from "../../db/schema_desk.ts";
import { openTestApp } from "../testing.ts";
import { person, seedQueueCases } from "./test_accounts.ts";

const t = await openTestApp("2024-10-15T10:00:00+08:00");
const { db } = t.database;
await seedQueueCases(t);
const sheng = await person(t, { username: "q-sheng", displayName: "省政务服务监察处", role: "province" });
const form = async (path: string, fields: [string, string][]) => {
  const h = await sheng.headers();
  return await t.app.request(path, {
    method: "POST",
    headers: { cookie: h.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams([...fields, ["_csrf", h["x-csrf-token"]]]).toString(),
  });
};
const page = async (path: string) =>
  await (await t.app.request(path, { headers: { cookie: (await sheng.headers()).cookie } })).text();
const openItems = async () => (await db.select().from(manualQueue)).filter((m) => m.closedAt === null);

Deno.test("the queue filters by kind and age, and flags items past their review deadline", async () => {
  const all = await page("/queue");
  assert.match(all, /data-case="K1" data-kind="late_correction"/);
  assert.match(all, /data-case="R1" data-kind="feedback"/);
  const late = await page("/queue?kind=late_correction");
  assert.doesNotMatch(late, /data-kind="feedback"/);
  // K1 opened 2024-09-12: review due addWorkdays(09-12, 5) = 09-20 (Sat 09-14 works, 09-16/17 off): past.
  assert.match(late, /class="overdue-review" data-id="\d+" data-case="K1"/);
  assert.match(late, /data-due="2024-09-20">2024-09-20(<!-- -->)?（已超期）/);
  const young = await page("/queue?minAge=100");
  assert.doesNotMatch(young, /data-case=/);
});

Deno.test("confirm closes the 8.2a item with a reason and keeps the warning; the office is recorded", async () => {
  const res = await t.send("POST", "/api/v1/cases/K1/reviews", {
    action: "confirm",
    rule: "8.2a",
    reason: "确属未及时告知",
  }, {
    authorization: t.auth.province,
  });
  assert.equal(res.status, 201, await res.clone().text());
  assert.equal((await res.json()).applied, true);
  const view = await (await t.send("GET", "/api/v1/cases/K1/view")).json();
  const w = view.result.alerts.find((a: { rule: string }) => a.rule === "8.2a");
  assert.equal(w.voided, undefined, "the warning stays");
  assert.ok(!(await openItems()).some((m) => m.caseId === "K1"));
  const bad = await t.send("POST", "/api/v1/cases/K1/reviews", {
    action: "confirm",
    rule: "8.1",
    reason: "x",
  }, {
    authorization: t.auth.province,
  });
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
});

Deno.test("a bulk decision asks for confirmation, then decides the fitting items and leaves the others", async () => {
  // R1's items: the other case's open item is another test's (it may or may not have closed it).
  const openOfR1 = async () => (await openItems()).filter((m) => m.caseId === "R1");
  const ids = (await openOfR1()).map((m) => String(m.id));
  assert.equal(ids.length, 2);
  const fields: [string, string][] = [...ids.map((id): [string, string] => ["items", id]), [
    "action",
    "judge_normal",
  ], ["reason", "设备故障，非窗口责任"]];
  const first = await form("/queue/decide", fields);
  assert.equal(first.status, 200);
  const confirm = await first.text();
  assert.match(confirm, /请确认/);
  assert.match(confirm, /省政务服务监察处（q-sheng）/);
  assert.match(confirm, /不适用，保持不变/);
  assert.equal((await openOfR1()).length, 2, "nothing decided before the confirmation");
  const done = await form("/queue/decide", [...fields, ["confirmed", "1"]]);
  assert.equal(done.status, 303);
  const msg = decodeURIComponent(done.headers.get("location")!);
  assert.match(msg, /已处理 1 项/);
  assert.match(msg, /1 项不适用/);
  const left = await openOfR1();
  assert.deepEqual(left.map((m) => m.kind), ["investigation"]);
  const view = await (await t.send("GET", "/api/v1/cases/R1/view")).json();
  const rv = view.reviews.at(-1);
  assert.equal(rv.office, "省政务服务监察处");
  assert.equal(rv.by, "q-sheng");
  const blank = await form("/queue/decide", [["items", ids[0]], ["action", "judge_normal"], ["reason", " "]]);
  assert.equal(blank.status, 400);
});

Deno.test("items are assigned to a supervisor with a review deadline, and filtered by assignee", async () => {
  const [item] = await openItems();
  const res = await form("/queue/assign", [["items", String(item.id)], ["assignee", "q-sheng"], [
    "dueOn",
    "2024-10-18",
  ]]);
  assert.equal(res.status, 303);
  const mine = await page("/queue?assignee=q-sheng");
  assert.match(mine, new RegExp(`data-id="${item.id}"`));
  assert.match(mine, /data-due="2024-10-18"/);
  assert.match(mine, /省政务服务监察处（q-sheng）/);
  assert.doesNotMatch(await page("/queue?assignee=none"), new RegExp(`data-id="${item.id}"`));
  const past = await form("/queue/assign", [["items", String(item.id)], ["dueOn", "2024-10-01"]]);
  assert.equal(past.status, 400);
});

Deno.test("a department's explanation shows beside the queue item it answers", async () => {
  await db.insert(explanations).values({
    caseId: "R1",
    kind: "finding",
    rule: "9.1",
    on: "2024-09-06",
    text: "当日系统故障，已向申请人解释",
    by: "scjgj",
    byName: "郑州市市场监督管理局窗口",
    at: new Date("2024-09-10T02:00:00Z"),
  });
  const html = await page("/queue");
  assert.match(
    html,
    /data-case="R1" data-kind="investigation">[\s\S]*?部门情况说明（郑州市市场监督管理局窗口（scjgj）[^）]*）：当日系统故障/,
  );
  // R1's appeal of 9.1 (supervisedCaseEvents) beside the investigation it led to.
  assert.match(html, /data-kind="investigation">[\s\S]*?部门申诉（[^，]+，2024-09-09 09:00:00）：已当场解释/);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
