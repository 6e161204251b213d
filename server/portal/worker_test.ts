import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { notificationsOutbox } from "../../db/schema.ts";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { ruleName } from "../../rules/names.ts";
import { openTestApp, receivedEvent, supervisedCaseEvents, TEST_ITEM } from "../testing.ts";
import { backoffMs, idempotencyKey, outboxCounts, startPortalWorker } from "./worker.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");
const { db } = t.database;

/** A real local HTTP receiver that answers `fail` first with 503, then 200; records every request. */
function receiver(fail: number, delayMs = 0) {
  const seen: { key: string | null; body: Record<string, unknown> }[] = [];
  const inFlight = new Set<string>();
  let overlaps = 0;
  let failures = fail;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const key = req.headers.get("idempotency-key");
    if (key && inFlight.has(key)) overlaps++;
    if (key) inFlight.add(key);
    const body = await req.json();
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    seen.push({ key, body });
    if (key) inFlight.delete(key);
    if (failures > 0) {
      failures--;
      return new Response("busy", { status: 503 });
    }
    return new Response("ok");
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/portal`,
    seen,
    overlaps: () => overlaps,
    accepted: () => seen.length - fail,
    close: () => server.shutdown(),
  };
}

async function message(caseId: string, text = `办件 ${caseId} 剩余办理时限 2 个工作日，请及时办理。`) {
  const [row] = await db.insert(notificationsOutbox).values({
    caseId,
    rule: "8.1",
    department: "410100-SCJGJ",
    payload: { kind: "8.1-warning", case: caseId, text },
    nextAttemptAt: new Date(t.deps.clock()),
  }).returning();
  return row;
}

const row = async (id: number) =>
  (await db.select().from(notificationsOutbox).where(eq(notificationsOutbox.id, id)))[0];
const advance = (ms: number) => t.setNow(t.deps.clock() + ms);

Deno.test("backoffMs() doubles from 5 s and is capped", () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n)), [5000, 10_000, 20_000, 40_000]);
  assert.equal(backoffMs(30), 3_600_000);
});

Deno.test("a message is retried with the same Idempotency-Key until the portal accepts it, then delivered once", async () => {
  const portal = receiver(2);
  const worker = startPortalWorker(t.deps, { url: portal.url, background: false });
  try {
    const m = await message("P1");
    assert.deepEqual(await worker.runOnce(), { claimed: 1, sent: 0, failed: 1, dead: 0 });
    const after1 = await row(m.id);
    assert.equal(after1.attempts, 1);
    assert.match(after1.lastError!, /HTTP 503/);
    const wait = after1.nextAttemptAt.getTime() - t.deps.clock();
    assert.ok(wait > 0 && wait <= 10_000, `first retry within 10 s (${wait} ms)`);
    assert.equal((await worker.runOnce()).claimed, 0, "not before its time");
    advance(5000);
    assert.equal((await worker.runOnce()).failed, 1);
    advance(10_000);
    assert.equal((await worker.runOnce()).sent, 1);
    advance(3_600_000);
    assert.equal((await worker.runOnce()).claimed, 0, "never again once sent");
    assert.deepEqual(portal.seen.map((s) => s.key), Array(3).fill(idempotencyKey(m.id)));
    assert.equal(portal.accepted(), 1);
    const body = portal.seen[2].body;
    assert.equal(body.case, "P1");
    assert.equal(body.rule, "8.1");
    assert.equal(body.department, "410100-SCJGJ");
    assert.equal(body.departmentName, "郑州市市场监督管理局");
    assert.equal(body.message, "办件 P1 剩余办理时限 2 个工作日，请及时办理。");
    const done = await row(m.id);
    assert.ok(done.sentAt);
    assert.equal(done.attempts, 3);
  } finally {
    await worker.stop();
    await portal.close();
  }
});

Deno.test("after the configured number of attempts a message is dead-lettered and no longer tried", async () => {
  const portal = receiver(1000);
  const worker = startPortalWorker(t.deps, { url: portal.url, background: false, maxAttempts: 3 });
  try {
    const m = await message("P2");
    for (let i = 0; i < 3; i++) {
      await worker.runOnce();
      advance(60_000);
    }
    const dead = await row(m.id);
    assert.ok(dead.deadAt, "dead-lettered");
    assert.equal(dead.sentAt, null);
    assert.equal(dead.attempts, 3);
    advance(24 * 3_600_000);
    assert.equal((await worker.runOnce()).claimed, 0);
    assert.equal(portal.seen.length, 3);
  } finally {
    await worker.stop();
    await portal.close();
  }
});

Deno.test("a portal that cannot be reached counts as a failed try", async () => {
  const worker = startPortalWorker(t.deps, {
    url: "http://127.0.0.1:9/none",
    background: false,
    timeoutMs: 2000,
  });
  try {
    const m = await message("P3");
    assert.equal((await worker.runOnce()).failed, 1);
    assert.ok((await row(m.id)).lastError);
    await db.execute(sql`update notifications_outbox set dead_at = now() where id = ${m.id}`);
  } finally {
    await worker.stop();
  }
});

Deno.test("two workers at once never send the same message, and every message goes out once", async () => {
  const portal = receiver(0, 30);
  const opts = { url: portal.url, background: false, batchSize: 5 } as const;
  const a = startPortalWorker(t.deps, opts);
  const b = startPortalWorker(t.deps, opts);
  try {
    const ids = [];
    for (let i = 0; i < 24; i++) ids.push((await message(`Q${i}`)).id);
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    assert.equal(portal.overlaps(), 0);
    const keys = portal.seen.map((s) => s.key!).sort();
    assert.deepEqual(keys, ids.map(idempotencyKey).sort());
  } finally {
    await a.stop();
    await b.stop();
    await portal.close();
  }
});

Deno.test("an 8.1 warning raised at ingestion reaches the portal with its Chinese message", async () => {
  const portal = receiver(0);
  const worker = startPortalWorker(t.deps, { url: portal.url, background: false });
  try {
    const item = { ...TEST_ITEM, code: "410000-TEST-0002", promisedDays: 2 };
    assert.equal((await t.send("PUT", "/api/v1/items", [TEST_ITEM, item])).status, 200);
    // On the app's clock, not the database's: the row is due at the injected instant it was written at.
    const now = Date.parse("2026-03-04T10:00:00+08:00");
    t.setNow(now);
    const res = await t.send("POST", "/api/v1/events", [
      { ...receivedEvent("W1-r", "W1", shanghaiInstant(now - 1_800_000)), item: item.code },
      { id: "W1-a", case: "W1", type: "accepted", at: shanghaiInstant(now - 1_200_000) },
    ]);
    assert.equal(res.status, 200, await res.text());
    assert.equal(
      (await db.select().from(notificationsOutbox).where(eq(notificationsOutbox.caseId, "W1"))).length,
      1,
    );
    const [queued] = await db.select().from(notificationsOutbox).where(eq(notificationsOutbox.caseId, "W1"));
    assert.deepEqual([queued.createdAt.getTime(), queued.nextAttemptAt.getTime()], [now, now]);
    await worker.runOnce();
    const got = portal.seen.find((s) => s.body.case === "W1");
    assert.ok(got, "delivered");
    assert.equal(got.body.rule, "8.1");
    assert.match(String(got.body.message), /办件 W1 剩余办理时限 2 个工作日/);
  } finally {
    await worker.stop();
    await portal.close();
  }
});

Deno.test("a new supervision order reaches the portal at the app's clock, in Chinese, with the case, rule and department", async () => {
  const portal = receiver(0);
  const worker = startPortalWorker(t.deps, { url: portal.url, background: false });
  try {
    t.setNow("2026-03-05T10:00:00+08:00");
    assert.equal((await t.send("POST", "/api/v1/events", supervisedCaseEvents("O1"))).status, 200);
    const res = await t.send("POST", "/api/v1/orders", {
      case: "O1",
      rule: "8.4",
      level: "red",
      on: "2024-09-03",
      subject: "o1-fee",
      text: "请说明收费依据",
    }, { authorization: t.auth.province });
    assert.equal(res.status, 201, await res.clone().text());
    const order = await res.json();
    assert.deepEqual(await worker.runOnce(), { claimed: 1, sent: 1, failed: 0, dead: 0 });
    const got = portal.seen.find((s) => s.body.kind === "order" && s.body.case === "O1");
    assert.ok(got, "delivered");
    assert.deepEqual([got.body.rule, got.body.department], ["8.4", "410100-SCJGJ"]);
    assert.equal(
      got.body.message,
      `【督办】郑州市市场监督管理局：办件 O1（8.4 ${
        ruleName("8.4")
      }红牌）请说明收费依据。请于 ${order.dueOn} 前在监察台反馈整改情况。`,
    );
  } finally {
    await worker.stop();
    await portal.close();
  }
});

Deno.test("sent messages are counted as they are sent: the admin page's counts read no message", async () => {
  const portal = receiver(0);
  const worker = startPortalWorker(t.deps, { url: portal.url, background: false });
  try {
    const counts = () => outboxCounts(db, dateIn(t.deps.clock()));
    const before = await counts();
    await message("S1");
    await message("S2");
    assert.equal((await counts()).pending, before.pending + 2);
    await worker.runOnce();
    const after = await counts();
    assert.equal(after.sent, before.sent + 2);
    assert.equal(after.sentToday, before.sentToday + 2);
    assert.equal(after.pending, 0);
    const html = await (await t.send("GET", "/admin/portal", undefined, { authorization: t.auth.admin }))
      .text();
    assert.match(html, new RegExp(`data-count="sent">${after.sent}（今日 ${after.sentToday}）`));
  } finally {
    await worker.stop();
    await portal.close();
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
