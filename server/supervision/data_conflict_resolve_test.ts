/**
 * Resolving a data conflict (two senders claiming one case number for different departments): the
 * supervisor names the rightful sender; its held events are released and evaluated, the others' stay
 * held with the decision as their reason, the conflict items close (and are not reopened), the case is
 * evaluated afresh and the decision is audited with the account and its office.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../../db/schema_auth.ts";
import { cases, events, manualQueue } from "../../db/schema.ts";
import {
  acceptedEvent,
  LUOYANG,
  LUOYANG_LISTS,
  openTestApp,
  putReference,
  receivedEvent,
  TEST_ITEM,
} from "../testing.ts";
import { ingestClient, person } from "./test_accounts.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");
const { db } = t.database;
const X = TEST_ITEM.department; // 郑州
const Y = LUOYANG.department.code; // 洛阳
const itemY = LUOYANG.item;
await putReference(t, LUOYANG_LISTS);
const A = await ingestClient(t, "rc-x", [X]);
const B = await ingestClient(t, "rc-y", [Y]);
const sheng = await person(t, { username: "rc-sheng", displayName: "省政务服务监察处", role: "province" });
const agency = (username: string, displayName: string, region: string) =>
  person(t, { username, displayName, role: "region", region });
const luoyang = await agency("rc-ly", "洛阳市监察科", "410300");
const zhengzhou = await agency("rc-zz", "郑州市监察科", "410100");

const at = "2026-02-23T09:00:00+08:00";
const accepted = (id: string, c: string) => acceptedEvent(id, c, "2026-02-23T10:00:00+08:00");
/** Case `c`: claimed by A (郑州) first, then by B (洛阳); B's events held. */
async function conflict(c: string) {
  const push = async (body: unknown[], who: { authorization: string }) =>
    assert.equal((await t.send("POST", "/api/v1/events", body, who)).status, 200);
  await push([receivedEvent(`${c}-a`, c, at), accepted(`${c}-b`, c)], A);
  await push([
    { ...receivedEvent(`${c}-y`, c, at), item: itemY.code, hall: "410300-HALL" },
    accepted(`${c}-y2`, c),
  ], B);
}
const resolve = async (c: string, body: unknown, who = sheng) =>
  await t.send("POST", `/api/v1/queue/data-conflicts/${c}/resolve`, body, await who.headers());
const held = async (c: string) =>
  (await db.select({ id: events.id, sender: events.sender, q: events.quarantined }).from(events)
    .where(eq(events.caseId, c))).filter((e) => e.q !== null).map((e) => e.id).sort();
const conflictItems = async (c: string) =>
  await db.select().from(manualQueue).where(
    and(eq(manualQueue.caseId, c), eq(manualQueue.kind, "data_conflict")),
  );

Deno.test("ruling for the late claimant releases its events, holds the former owner's, moves the case and closes the item", async () => {
  await conflict("RC1");
  assert.deepEqual(await held("RC1"), ["RC1-y", "RC1-y2"]);
  const res = await resolve("RC1", { sender: "rc-y", reason: "经核实为洛阳市受理的办件" });
  assert.equal(res.status, 200, await res.clone().text());
  const out = await res.json();
  assert.deepEqual([out.sender, out.released, out.held, out.department], ["rc-y", 2, 2, Y]);
  assert.deepEqual(await held("RC1"), ["RC1-a", "RC1-b"]);
  const [row] = await db.select().from(cases).where(eq(cases.caseId, "RC1"));
  assert.deepEqual([row.department, row.region], [Y, "410300"]);
  const view = await (await t.send("GET", "/api/v1/cases/RC1/view")).json();
  assert.deepEqual(view.timeline.map((e: { id: string }) => e.id), ["RC1-y", "RC1-y2"]);
  assert.match(
    view.quarantined[0].reason,
    /^数据冲突已裁定：省政务服务监察处（rc-sheng） 裁定此办件编号属于报送方 rc-y/,
  );
  const items = await conflictItems("RC1");
  assert.ok(items.length === 2 && items.every((i) => i.closedAt !== null), "both claimants' items closed");
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.id, out.auditId));
  assert.equal(audit.action, "queue.resolve_conflict");
  assert.equal(audit.actor, "rc-sheng");
  assert.equal((audit.detail as { office: string }).office, "省政务服务监察处");

  // The former owner's further events are held without reopening the conflict.
  const step = { id: "RC1-c", case: "RC1", type: "step", at: "2026-02-24T10:00:00+08:00", name: "审查" };
  assert.equal((await t.send("POST", "/api/v1/events", [step], A)).status, 200);
  assert.ok((await held("RC1")).includes("RC1-c"));
  assert.equal((await conflictItems("RC1")).filter((i) => i.closedAt === null).length, 0);
  // The rightful sender goes on being evaluated.
  const step2 = { id: "RC1-y3", case: "RC1", type: "step", at: "2026-02-24T11:00:00+08:00", name: "审查" };
  assert.equal((await t.send("POST", "/api/v1/events", [step2], B)).status, 200);
  assert.ok(!(await held("RC1")).includes("RC1-y3"));
});

Deno.test("ruling for the established sender keeps the case and holds the claimant's events with the decision", async () => {
  await conflict("RC2");
  const res = await resolve("RC2", { sender: "rc-x", reason: "受理信息以郑州市为准" });
  assert.equal(res.status, 200, await res.clone().text());
  const out = await res.json();
  assert.deepEqual([out.released, out.held, out.department], [0, 2, X]);
  const rows = await db.select().from(events).where(eq(events.caseId, "RC2"));
  assert.ok(
    rows.filter((e) => e.sender === "rc-y").every((e) => /^数据冲突已裁定/.test(e.quarantined ?? "")),
  );
  assert.ok(rows.filter((e) => e.sender === "rc-x").every((e) => e.quarantined === null));
  // Resolved: a second decision finds nothing open.
  assert.equal((await resolve("RC2", { sender: "rc-y", reason: "改判" })).status, 404);
});

Deno.test("a resolution names a claimant and a reason, and only supervisors of the case's scope may decide it", async () => {
  await conflict("RC3");
  const bad = await resolve("RC3", { sender: "nobody", reason: "x" });
  assert.equal(bad.status, 400);
  assert.equal((await bad.json()).details.field, "sender");
  const noReason = await resolve("RC3", { sender: "rc-x" });
  assert.equal(noReason.status, 400);
  assert.match((await noReason.json()).error, /^reason: /);
  // The item sits with the established department (郑州): 洛阳's supervisor does not see it.
  assert.equal((await resolve("RC3", { sender: "rc-y", reason: "x" }, luoyang)).status, 404);
  assert.equal((await resolve("NO-SUCH", { sender: "rc-x", reason: "x" })).status, 404);
  const staff = await t.send("POST", "/api/v1/queue/data-conflicts/RC3/resolve", {
    sender: "rc-x",
    reason: "x",
  }, A);
  assert.equal(staff.status, 403);
  assert.equal((await resolve("RC3", { sender: "rc-x", reason: "以郑州为准" }, zhengzhou)).status, 200);
});

Deno.test("the queue page resolves a conflict: the claimants listed, a confirmation, then success with the office", async () => {
  await conflict("RC4");
  const h = await sheng.headers();
  const get = async (path: string) => await t.app.request(path, { headers: { cookie: h.cookie } });
  const queue = await (await get("/queue?kind=data_conflict")).text();
  assert.match(queue, /href="\/queue\/conflicts\/RC4"/);
  const page = await (await get("/queue/conflicts/RC4")).text();
  assert.match(page, /data-sender="rc-x"/);
  assert.match(page, /data-sender="rc-y"[\s\S]*?data-held="2"/);
  const post = async (fields: [string, string][]) =>
    await t.app.request("/queue/conflicts/RC4/resolve", {
      method: "POST",
      headers: { cookie: h.cookie, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([...fields, ["_csrf", h["x-csrf-token"]]]).toString(),
    });
  const missing = await post([["sender", "rc-y"]]);
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /未裁定：reason: /);
  const confirm = await post([["sender", "rc-y"], ["reason", "洛阳受理"]]);
  assert.equal(confirm.status, 200);
  const html = await confirm.text();
  assert.match(html, /请确认/);
  assert.match(html, /省政务服务监察处（rc-sheng）/);
  assert.equal(
    (await conflictItems("RC4")).filter((i) => i.closedAt === null).length,
    1,
    "nothing before confirming",
  );
  const done = await post([["sender", "rc-y"], ["reason", "洛阳受理"], ["confirmed", "1"]]);
  assert.equal(done.status, 303);
  const ok = decodeURIComponent(done.headers.get("location")!);
  assert.match(
    ok,
    /已裁定 RC4 属于报送方 rc-y：放行 2 条，暂存其他报送方 2 条，记录人 省政务服务监察处（rc-sheng）/,
  );
  assert.deepEqual(await held("RC4"), ["RC4-a", "RC4-b"]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
