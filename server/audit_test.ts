import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../db/client.ts";
import { openTestDatabase, type TestDatabase } from "../db/testing.ts";
import { auditLog } from "../db/schema_auth.ts";
import { canonicalJson, GENESIS_HASH, recordAudit, verifyAuditChain } from "./audit.ts";

/** Run `fn` on a database of its own holding `records` chained audit records: the chain is per test. */
async function withChain(records: number, fn: (db: TestDatabase["db"]) => Promise<void>): Promise<void> {
  const database = await openTestDatabase();
  try {
    for (let i = 0; i < records; i++) await recordAudit(database.db, entry(i + 1));
    await fn(database.db);
  } finally {
    await database.drop();
  }
}
const entry = (i: number) => ({
  actor: `user${i}`,
  role: "province",
  action: "case.review",
  target: `C${i}`,
  detail: { rule: "8.1", note: "处理意见", n: i, nested: { b: 1, a: [1, "x"] } },
  ip: "10.0.0.1",
  at: new Date(Date.parse("2024-10-15T10:00:00+08:00") + i * 1000),
});

/** Drizzle wraps driver errors: match the database's message in the cause. */
const raises = (re: RegExp) => (e: unknown) => {
  const err = e as { message?: string; cause?: { message?: string } };
  return re.test(`${err.message} ${err.cause?.message ?? ""}`);
};

Deno.test("canonicalJson sorts keys at every level and drops undefined", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } }),
    '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
  );
});

Deno.test("records chain: the first links to the genesis hash, each next to the one before", () =>
  withChain(0, async (db) => {
    const a = await recordAudit(db, entry(1));
    const b = await recordAudit(db, entry(2));
    assert.equal(a.prevHash, GENESIS_HASH);
    assert.equal(b.prevHash, a.hash);
    assert.match(b.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 2 });
  }));

Deno.test("concurrent writers keep one linear chain", () =>
  withChain(2, async (db) => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => recordAudit(db, entry(100 + i))));
    const report = await verifyAuditChain(db, 7);
    assert.deepEqual(report, { ok: true, checked: 22 });
  }));

Deno.test("a record written in a rolled-back transaction leaves no trace and the chain intact", () =>
  withChain(3, async (db) => {
    await assert.rejects(() =>
      db.transaction(async (tx) => {
        await recordAudit(tx, entry(500));
        throw new Error("the change failed");
      })
    );
    assert.deepEqual(await verifyAuditChain(db), { ok: true, checked: 3 });
  }));

Deno.test("the database refuses UPDATE, DELETE and TRUNCATE on audit_log", () =>
  withChain(3, async (db) => {
    await assert.rejects(() => db.update(auditLog).set({ actor: "mallory" }), raises(/append-only: UPDATE/));
    await assert.rejects(() => db.delete(auditLog), raises(/append-only: DELETE/));
    await assert.rejects(() => db.execute(sql`truncate audit_log`), raises(/append-only: TRUNCATE/));
    const [{ n }] = await query<{ n: number }>(db, sql`select count(*)::int as n from audit_log`);
    assert.equal(n, 3);
  }));

Deno.test("verifyAuditChain finds a row changed behind the trigger's back", () =>
  withChain(10, async (db) => {
    const [victim] = await query<{ id: number; actor: string }>(
      db,
      sql`select id::int as id, actor from audit_log order by id limit 1 offset 5`,
    );
    // Only a superuser who disables the trigger can do this; the chain makes it evident.
    await db.execute(sql`alter table audit_log disable trigger user`);
    try {
      await db.execute(sql`update audit_log set actor = 'mallory' where id = ${victim.id}`);
      const report = await verifyAuditChain(db);
      assert.equal(report.ok, false);
      assert.equal(report.checked, 5);
      assert.deepEqual(report.firstBad?.id, victim.id);
      assert.match(report.firstBad!.reason, /content/);
      await db.execute(sql`update audit_log set actor = ${victim.actor} where id = ${victim.id}`);
      assert.equal((await verifyAuditChain(db)).ok, true);
      // Removing a record breaks the link of the one after it.
      await db.execute(sql`delete from audit_log where id = ${victim.id}`);
      const afterDelete = await verifyAuditChain(db);
      assert.equal(afterDelete.ok, false);
      assert.match(afterDelete.firstBad!.reason, /prev_hash/);
    } finally {
      await db.execute(sql`alter table audit_log enable trigger user`);
    }
  }));

Deno.test("verifyAuditChain finds a forged row inserted with a made-up hash", async () => {
  const fresh = await openTestDatabase();
  try {
    const a = await recordAudit(fresh.db, entry(1));
    await fresh.db.insert(auditLog).values({
      at: new Date(),
      actor: "mallory",
      role: "province",
      action: "login.success",
      prevHash: a.hash,
      hash: "f".repeat(64),
    });
    await recordAudit(fresh.db, entry(3));
    const report = await verifyAuditChain(fresh.db);
    assert.equal(report.ok, false);
    assert.equal(report.checked, 1);
  } finally {
    await fresh.drop();
  }
});
