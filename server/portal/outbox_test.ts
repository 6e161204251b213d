import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { notificationsOutbox } from "../../db/schema.ts";
import { auditLog } from "../../db/schema_auth.ts";
import { openTestApp } from "../testing.ts";

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

Deno.test("supervisors do not see the outbox page", async () => {
  assert.equal(
    (await t.send("GET", "/admin/portal", undefined, { authorization: t.auth.province })).status,
    403,
  );
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
