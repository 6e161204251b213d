import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { notificationsOutbox } from "../../db/schema.ts";
import { auditLog } from "../../db/schema_auth.ts";
import { openTestApp } from "../testing.ts";
import { outboxCounts } from "./worker.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");
const { db } = t.database;
const admin = { authorization: t.auth.admin };
const insert = async (caseId: string, extra: Partial<typeof notificationsOutbox.$inferInsert> = {}) =>
  (await db.insert(notificationsOutbox).values({
    caseId,
    rule: "8.1",
    department: "410100-SCJGJ",
    payload: { kind: "8.1-warning", text: `办件 ${caseId} 剩余办理时限 2 个工作日，请及时办理。` },
    ...extra,
  }).returning())[0];

Deno.test("without a webhook the admin page says so and keeps the messages pending", async () => {
  await insert("A1");
  const res = await t.send("GET", "/admin/portal", undefined, admin);
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /未配置统一工作门户接口地址（PORTAL_WEBHOOK_URL）/);
  assert.match(html, /办件 A1 剩余办理时限 2 个工作日/);
  assert.match(html, /data-count="pending">1/);
});

Deno.test("a dead letter is shown as failed with its error, and the retry button puts it back in line (audited)", async () => {
  const dead = await insert("A2", { attempts: 8, deadAt: new Date(), lastError: "HTTP 503 busy" });
  const failed = await (await t.send("GET", "/admin/portal?state=failed", undefined, admin)).text();
  assert.match(failed, new RegExp(`data-id="${dead.id}" data-state="failed"`));
  assert.match(failed, /HTTP 503 busy/);
  assert.match(failed, /重新发送/);
  const res = await t.send("POST", `/admin/portal/${dead.id}/retry`, "", {
    ...admin,
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.equal(res.status, 303);
  assert.match(decodeURIComponent(res.headers.get("location")!), /已重新排队/);
  const [row] = await db.select().from(notificationsOutbox).where(eq(notificationsOutbox.id, dead.id));
  assert.equal(row.deadAt, null);
  assert.equal(row.attempts, 0);
  assert.equal(row.nextAttemptAt.getTime(), t.deps.clock());
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "portal.retry"));
  assert.equal(audit.target, `outbox:${dead.id}`);
  assert.equal((audit.detail as { wasDead: boolean }).wasDead, true);
});

Deno.test("a sent message cannot be retried, an unknown one is 404", async () => {
  const sent = await insert("A3", { sentAt: new Date() });
  const form = { ...admin, "content-type": "application/x-www-form-urlencoded" };
  assert.equal((await t.send("POST", `/admin/portal/${sent.id}/retry`, "", form)).status, 409);
  assert.equal((await t.send("POST", `/admin/portal/999999/retry`, "", form)).status, 404);
});

Deno.test("migration 0016 sets each day's sent count from the messages sent before counting began, exactly, however often it runs", async () => {
  await db.execute(sql`delete from counters where metric = 'portal_sent'`);
  // 23:30 and 00:30 Shanghai time: two days.
  await insert("M1", { sentAt: new Date("2026-02-27T15:30:00Z") });
  await insert("M2", { sentAt: new Date("2026-02-27T16:30:00Z") });
  await insert("M3", { sentAt: new Date("2026-02-27T17:30:00Z") });
  const migration = await Deno.readTextFile(
    new URL("../../db/migrations/0016_portal_sent_backfill.sql", import.meta.url),
  );
  const sentByDay = async () =>
    Object.fromEntries(
      (await query<{ day: string; value: number }>(
        db,
        sql`select day, value::int as value from counters where metric = 'portal_sent' order by day`,
      )).map((r) => [r.day, r.value]),
    );
  const stored = await query<{ day: string; n: number }>(
    db,
    sql`select to_char(sent_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n
      from notifications_outbox where sent_at is not null group by 1`,
  );
  const expected = Object.fromEntries(stored.map((r) => [r.day, r.n]));
  await db.execute(sql.raw(migration));
  assert.deepEqual(await sentByDay(), expected);
  assert.equal(expected["2026-02-27"] >= 1 && expected["2026-02-28"] >= 2, true);
  await db.execute(sql.raw(migration));
  assert.deepEqual(await sentByDay(), expected, "run again: the same figures");
  const counts = await outboxCounts(db, "2026-02-28");
  assert.equal(counts.sent, Object.values(expected).reduce((a, b) => a + b, 0));
});

Deno.test("supervisors do not see the outbox page", async () => {
  assert.equal(
    (await t.send("GET", "/admin/portal", undefined, { authorization: t.auth.province })).status,
    403,
  );
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
