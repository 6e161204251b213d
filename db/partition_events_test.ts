/**
 * Migration 0014 (events partitioned by month of `stored_at`): a database migrated up to 0013 with
 * events stored in two months keeps every event, its `seq` and its month after 0014, and new events
 * go on numbering after the old ones.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { migrateDb, query } from "./client.ts";
import { openTestDatabase } from "./testing.ts";

const MIGRATIONS = new URL("./migrations/", import.meta.url);

/** A copy of the migrations folder holding only the migrations before `tag`. */
async function migrationsBefore(tag: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "jct-migrations-" });
  await Deno.mkdir(`${dir}/meta`);
  const journal = JSON.parse(await Deno.readTextFile(new URL("meta/_journal.json", MIGRATIONS)));
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === tag);
  assert.ok(at > 0, `migration ${tag} is in the journal`);
  journal.entries = journal.entries.slice(0, at);
  await Deno.writeTextFile(`${dir}/meta/_journal.json`, JSON.stringify(journal));
  for (const e of journal.entries) {
    await Deno.copyFile(new URL(`${e.tag}.sql`, MIGRATIONS), `${dir}/${e.tag}.sql`);
  }
  return dir;
}

Deno.test("migration 0014 moves every stored event into its month's partition, seq kept", async () => {
  const database = await openTestDatabase({ migrate: false });
  const before = await migrationsBefore("0014_partition_events");
  try {
    await migrateDb(database, before);
    const db = database.db;
    await db.execute(sql`insert into events (id, case_id, type, at, payload, content_hash, sender, stored_at)
      select 'e' || k, 'C-' || (k % 3), 'step', timestamptz '2025-01-01T00:00:00Z',
        jsonb_build_object('id', 'e' || k), 'h' || k, 's',
        case when k <= 2 then timestamptz '2025-01-15T00:00:00Z' else timestamptz '2025-02-15T00:00:00Z' end
      from generate_series(1, 5) k`);
    await migrateDb(database);
    const rows = await query<{ seq: number; id: string; part: string }>(
      db,
      sql`select seq::int as seq, id, tableoid::regclass::text as part from events order by seq`,
    );
    assert.deepEqual(rows.map((r) => [r.seq, r.id, r.part]), [
      [1, "e1", "events_p202501"],
      [2, "e2", "events_p202501"],
      [3, "e3", "events_p202502"],
      [4, "e4", "events_p202502"],
      [5, "e5", "events_p202502"],
    ]);
    const [kind] = await query<{ kind: string }>(
      db,
      sql`select relkind::text as kind from pg_class where relname = 'events'`,
    );
    assert.equal(kind.kind, "p", "events is a partitioned table");
    const [fresh] = await query<{ seq: number; part: string }>(
      db,
      sql`insert into events (id, case_id, type, at, payload, content_hash, sender)
        values ('e6', 'C-1', 'step', now(), '{}', 'h6', 's') returning seq::int as seq, tableoid::regclass::text as part`,
    );
    assert.equal(fresh.seq, 6, "the sequence goes on after the copied rows");
    assert.match(fresh.part, /^events_p\d{6}$/, "this month has a partition");
    const [idx] = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from pg_indexes where tablename = 'events' and indexname = 'events_case_idx'`,
    );
    assert.equal(idx.n, 1, "the case index is there");
  } finally {
    await Deno.remove(before, { recursive: true });
    await database.drop();
  }
});
