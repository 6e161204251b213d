import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { apiKeys, users } from "../../db/schema_auth.ts";
import { createApp } from "../app.ts";
import { upsertReference } from "../reference.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";
import { createApiKey, revokeApiKey } from "./api_keys.ts";
import { KeyCache, openKeyCache } from "./key_cache.ts";
import type { Principal } from "./principal.ts";
import { createUser, updateUser } from "./users.ts";

const NOW = "2024-10-10T12:00:00+08:00";
const statements: string[] = [];
const t = await openTestApp(NOW, { onQuery: (q) => statements.push(q) });
const { db } = t.database;

/** A second server instance on the same database, with a cache of its own. */
const otherKeys = await openKeyCache(t.database);
const other = createApp({ ...t.deps, keys: otherKeys });

async function ingestAccount(username: string, expiresAt?: Date) {
  const user = await createUser(
    db,
    {
      username,
      displayName: username,
      role: "ingest",
      departments: [TEST_ITEM.department],
      region: null,
      hall: null,
    },
    t.deps.clock(),
    { checkReference: false },
  );
  const { key } = await createApiKey(db, { userId: user.id, name: "k", createdBy: "t", expiresAt });
  return { id: user.id, headers: { authorization: `Bearer ${key}` } };
}

const me = (headers: Record<string, string>) => other.request("/api/v1/me", { headers });
const push = (headers: Record<string, string>, events: unknown[]) =>
  other.request("/api/v1/events", {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(events),
  });

/** Until the other instance has heard an announcement made after `since` (delivered after the commit). */
async function heard(since: number): Promise<void> {
  for (let i = 0; i < 500 && otherKeys.generation === since; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.notEqual(otherKeys.generation, since, "the announcement reached the other instance");
}

Deno.test("a key used again is authorised from the cache: no read of keys, accounts, regions or departments", async () => {
  const a = await ingestAccount("cache-hit");
  assert.equal((await me(a.headers)).status, 200);
  statements.length = 0;
  assert.equal((await me(a.headers)).status, 200);
  const reads = statements.filter((q) => /"api_keys"|"users"|regions|"departments"/.test(q));
  assert.deepEqual(reads, []);
});

Deno.test("a key revoked on one instance is refused by another that had it cached", async () => {
  const a = await ingestAccount("cache-revoke");
  assert.equal((await me(a.headers)).status, 200);
  const since = otherKeys.generation;
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.userId, a.id));
  await db.transaction(async (tx) => assert.equal(await revokeApiKey(tx, key.id, t.deps.clock()), true));
  await heard(since);
  const res = await me(a.headers);
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /已吊销/);
});

Deno.test("a scope edit on one instance applies to the next batch another instance authorises", async () => {
  const a = await ingestAccount("cache-scope");
  const at = "2024-10-08T09:00:00+08:00";
  assert.equal((await push(a.headers, [receivedEvent("KC1-r", "KC1", at)])).status, 200);
  const since = otherKeys.generation;
  await db.transaction(async (tx) => {
    await upsertReference(tx, "departments", [{
      code: "410100-ZRZYJ",
      name: "郑州市自然资源局",
      region: "410100",
    }]);
    await updateUser(tx, a.id, { departments: ["410100-ZRZYJ"] }, t.deps.clock());
  });
  await heard(since);
  const res = await push(a.headers, [receivedEvent("KC2-r", "KC2", at)]);
  assert.equal(res.status, 400);
  assert.deepEqual((await res.json()).refused.map((r: { field: string }) => r.field), ["item"]);
});

Deno.test("a deactivated account's cached key is refused", async () => {
  const a = await ingestAccount("cache-inactive");
  assert.equal((await me(a.headers)).status, 200);
  const since = otherKeys.generation;
  await db.transaction((tx) => updateUser(tx, a.id, { active: false }, t.deps.clock()));
  await heard(since);
  assert.equal((await me(a.headers)).status, 401);
  const [row] = await db.select({ active: users.active }).from(users).where(eq(users.id, a.id));
  assert.equal(row.active, false);
});

Deno.test("a cached key stops working at its expiry, with no announcement", async () => {
  const start = t.deps.clock();
  const a = await ingestAccount("cache-expiry", new Date(start + 60_000));
  assert.equal((await me(a.headers)).status, 200);
  t.setNow(start + 61_000);
  try {
    assert.equal((await me(a.headers)).status, 401);
  } finally {
    t.setNow(start);
  }
});

const principal = { kind: "key", keyId: "k1" } as Principal;
const entry = { principal, keyPrefix: "jct_k1", keyName: "k", expiresAt: null, lastUsedAt: null };
const following = async (opts = {}) => {
  const cache = new KeyCache(opts);
  let announce = () => {};
  await cache.follow({
    listen: (_channel: string, onPayload: (payload: string) => void, onListen?: () => void) => {
      announce = () => onPayload("");
      onListen?.();
      return Promise.resolve(() => Promise.resolve());
    },
  } as never);
  return { cache, announce: () => announce() };
};

Deno.test("a lookup begun before an announcement is not kept; nothing is used before the LISTEN is in place", async () => {
  const idle = new KeyCache();
  idle.set("h", entry, idle.generation);
  assert.equal(idle.get("h", 0), undefined, "not following: never used");
  const { cache, announce } = await following();
  const begun = cache.generation;
  announce();
  cache.set("h", entry, begun);
  assert.equal(cache.get("h", 0), undefined);
  cache.set("h", entry, cache.generation);
  assert.equal(cache.get("h", 0)?.principal, principal);
  announce();
  assert.equal(cache.get("h", 0), undefined, "an announcement empties the cache");
});

Deno.test("the cache keeps at most maxEntries keys, dropping the oldest", async () => {
  const { cache } = await following({ maxEntries: 2 });
  for (const h of ["a", "b", "c"]) cache.set(h, entry, cache.generation);
  assert.deepEqual(["a", "b", "c"].map((h) => cache.get(h, 0) !== undefined), [false, true, true]);
});

Deno.test.afterAll(async () => {
  await otherKeys.close();
  await t.database.drop();
});
