import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../db/client.ts";
import { openTestDatabase } from "../db/testing.ts";
import { ensurePartitions, LIVE_FEED_KEEP_MS, pruneLiveFeed, runMaintenance } from "./partitions.ts";

const database = await openTestDatabase();
const db = database.db;

async function partitionsOf(table: string): Promise<string[]> {
  const rows = await query<{ name: string }>(
    db,
    sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = ${table}::regclass order by 1`,
  );
  return rows.map((r) => r.name);
}

Deno.test("events, alert history and the live feed are partitioned by month, with a default partition", async () => {
  await ensurePartitions(db, Date.parse("2031-05-20T00:00:00Z"));
  for (const table of ["events", "alert_history", "live_feed"]) {
    const parts = await partitionsOf(table);
    assert.ok(parts.includes(`${table}_default`), table);
    for (const m of ["203105", "203106", "203107", "203108"]) assert.ok(parts.includes(`${table}_p${m}`), m);
  }
  await db.execute(sql`insert into alert_history (alert_id, change, "on", at)
    values (1, 'raised', '2031-06-02', '2031-06-02T01:00:00Z')`);
  const [row] = await query<{ part: string }>(
    db,
    sql`select tableoid::regclass::text as part from alert_history where at = '2031-06-02T01:00:00Z'`,
  );
  assert.equal(row.part, "alert_history_p203106");
  await db.execute(sql`insert into events (id, case_id, type, at, payload, content_hash, sender, stored_at)
    values ('p-1', 'P-1', 'step', '2031-06-02T01:00:00Z', '{}', 'h', 's', '2031-06-02T01:00:00Z')`);
  const [event] = await query<{ part: string }>(
    db,
    sql`select tableoid::regclass::text as part from events where id = 'p-1'`,
  );
  assert.equal(event.part, "events_p203106");
  assert.equal(await ensurePartitions(db, Date.parse("2031-05-20T00:00:00Z")), 0, "idempotent");
});

Deno.test("the live feed is pruned beyond its window and its emptied months are dropped", async () => {
  const now = Date.parse("2031-08-10T00:00:00Z");
  await ensurePartitions(db, Date.parse("2031-05-01T00:00:00Z"));
  const old = new Date(now - LIVE_FEED_KEEP_MS - 3600_000).toISOString();
  const fresh = new Date(now - 3600_000).toISOString();
  await db.execute(sql`insert into live_feed (kind, payload, created_at) values
    ('alert', '{"n":1}', '2031-05-15T00:00:00Z'), ('alert', '{"n":2}', ${old}::timestamptz),
    ('alert', '{"n":3}', ${fresh}::timestamptz)`);
  assert.equal(await pruneLiveFeed(db, now), 2);
  const left = await query<{ n: number }>(db, sql`select (payload->>'n')::int as n from live_feed`);
  assert.deepEqual(left.map((r) => r.n), [3]);
  const parts = await partitionsOf("live_feed");
  assert.ok(!parts.includes("live_feed_p203105"), "May ended before the cut-off: dropped");
  assert.ok(parts.includes("live_feed_p203108"), "the current month stays");
  assert.ok((await partitionsOf("alert_history")).includes("alert_history_p203105"), "history is kept");
});

Deno.test("runMaintenance() creates this month's partitions", async () => {
  const now = Date.now();
  const result = await runMaintenance({ database, clock: () => now });
  assert.ok(result);
  const month = new Date(now).toISOString().slice(0, 7).replace("-", "");
  assert.ok((await partitionsOf("live_feed")).includes(`live_feed_p${month}`));
});

Deno.test.afterAll(async () => {
  await database.drop();
});
