import assert from "node:assert/strict";
import { Hono } from "hono";
import { and, eq } from "drizzle-orm";
import { openTestDatabase } from "../../db/testing.ts";
import { auditLog } from "../../db/schema_auth.ts";
import { DomainError, RateLimitError } from "../errors.ts";
import { createApiKey, revokeApiKey } from "./api_keys.ts";
import { createDisplayToken, revokeDisplayToken } from "./display_tokens.ts";
import { installSecurity } from "./install.ts";
import { requirePermission, requireRole } from "./middleware.ts";
import { principalOf } from "./principal.ts";
import { seedReference, seedUsers, steppingClock } from "./test_support.ts";
import { userByName } from "./users.ts";

const database = await openTestDatabase();
const { db } = database;
const clock = steppingClock();
await seedReference(db);
await seedUsers(db, clock.now);

/** A probe app: the real security middleware in front of routes that report who called. */
const app = new Hono();
app.onError((err, c) => {
  if (!(err instanceof DomainError)) throw err;
  if (err instanceof RateLimitError) c.header("Retry-After", String(err.retryAfterSeconds));
  return c.json({ error: err.message }, err.status);
});
installSecurity(app, { database, clock: clock.fn });
const who = (c: Parameters<typeof principalOf>[0]) => {
  const p = principalOf(c);
  return c.json(p ? { kind: p.kind, name: p.name, role: p.role, hall: p.hall } : null);
};
app.get("/hall/:code", who);
app.get("/api/v1/stream", who);
app.get("/api/v1/cases", requirePermission("cases:read"), who);
app.post("/api/v1/events", requireRole("ingest"), who);

const ingest = (await userByName(db, "ingest"))!;
const key = await createApiKey(db, { userId: ingest.id, name: "接入", createdBy: "admin" });
const bearer = (k: string) => ({ authorization: `Bearer ${k}` });

Deno.test("an API key acts as its user and needs no CSRF token", async () => {
  const res = await app.request("/api/v1/events", { method: "POST", headers: bearer(key.key), body: "[]" });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { kind: "key", name: "ingest", role: "ingest", hall: null });
});

Deno.test("an unknown or malformed API key is refused with 401", async () => {
  assert.equal((await app.request("/api/v1/cases", { headers: bearer("jct_nope") })).status, 401);
  assert.equal((await app.request("/api/v1/cases", { headers: { authorization: "Basic abc" } })).status, 401);
});

Deno.test("a role without the permission gets 403, an anonymous caller 401", async () => {
  assert.equal((await app.request("/api/v1/cases", { headers: bearer(key.key) })).status, 403);
  assert.equal((await app.request("/api/v1/cases")).status, 401);
});

Deno.test("key use is audited once per key per hour", async () => {
  const own = await createApiKey(db, { userId: ingest.id, name: "审计", createdBy: "admin" });
  const uses = async () =>
    (await db.select().from(auditLog).where(
      and(eq(auditLog.action, "key.use"), eq(auditLog.target, own.prefix)),
    ))
      .length;
  const push = () => app.request("/api/v1/events", { method: "POST", headers: bearer(own.key), body: "[]" });
  await (await push()).body?.cancel();
  assert.equal(await uses(), 1, "the first use is recorded");
  await (await push()).body?.cancel();
  assert.equal(await uses(), 1, "already recorded within this hour");
  clock.now += 3600_000 + 1;
  await (await push()).body?.cancel();
  await (await push()).body?.cancel();
  assert.equal(await uses(), 2);
});

Deno.test("a revoked API key stops working at once", async () => {
  const k = await createApiKey(db, { userId: ingest.id, name: "临时", createdBy: "admin" });
  assert.equal((await app.request("/api/v1/events", { method: "POST", headers: bearer(k.key) })).status, 200);
  assert.equal(await revokeApiKey(db, k.id, clock.now), true);
  assert.equal((await app.request("/api/v1/events", { method: "POST", headers: bearer(k.key) })).status, 401);
  assert.equal(await revokeApiKey(db, k.id, clock.now), false, "revoking twice reports nothing to revoke");
});

Deno.test("a display token opens its own hall's page and stream, read-only", async () => {
  const t = await createDisplayToken(db, { hall: "410100-ZWFW", name: "一楼大屏", createdBy: "admin" });
  const page = await app.request(`/hall/410100-ZWFW?token=${t.token}`);
  assert.equal(page.status, 200);
  assert.deepEqual(await page.json(), {
    kind: "display",
    name: `display:${t.id}`,
    role: "display",
    hall: "410100-ZWFW",
  });
  const stream = await app.request(`/api/v1/stream?hall=410100-ZWFW&token=${t.token}`);
  assert.equal((await stream.json()).role, "display");
});

Deno.test("a display token is forbidden another hall and ignored outside the wall screen", async () => {
  const t = await createDisplayToken(db, { hall: "410100-ZWFW", name: "一楼大屏", createdBy: "admin" });
  assert.equal((await app.request(`/hall/410300-ZWFW?token=${t.token}`)).status, 403);
  assert.equal((await app.request(`/api/v1/stream?region=410100&token=${t.token}`)).status, 200);
  assert.equal(await (await app.request(`/api/v1/stream?region=410100&token=${t.token}`)).json(), null);
  assert.equal(
    (await app.request(`/api/v1/cases?token=${t.token}`)).status,
    401,
    "no principal: login required",
  );
  const post = await app.request(`/api/v1/events?token=${t.token}`, { method: "POST" });
  assert.equal(post.status, 401, "tokens never authenticate writes");
});

Deno.test("a revoked or expired display token is refused", async () => {
  const t = await createDisplayToken(db, { hall: "410100-ZWFW", name: "临时", createdBy: "admin" });
  await revokeDisplayToken(db, t.id, clock.now);
  assert.equal((await app.request(`/hall/410100-ZWFW?token=${t.token}`)).status, 401);
  const e = await createDisplayToken(db, {
    hall: "410100-ZWFW",
    name: "一小时",
    createdBy: "admin",
    expiresAt: new Date(clock.now + 3600_000),
  });
  assert.equal((await app.request(`/hall/410100-ZWFW?token=${e.token}`)).status, 200);
  clock.now += 3600_000;
  assert.equal((await app.request(`/hall/410100-ZWFW?token=${e.token}`)).status, 401);
});

Deno.test.afterAll(async () => {
  await database.drop();
});
