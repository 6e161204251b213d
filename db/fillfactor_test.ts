import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "./client.ts";
import { openTestDatabase } from "./testing.ts";

const database = await openTestDatabase();
Deno.test.afterAll(() => database.drop());

class RolledBack extends Error {}

/**
 * Update one row on each full page of `table` (every page but the last) in a transaction that is rolled
 * back, and return how many rows were updated and how many of those updates were HOT (no index entry).
 */
async function hotUpdatesOfFullPages(table: "alerts" | "counters", set: string) {
  let out = { updated: 0, hot: 0 };
  await database.db.transaction(async (tx) => {
    const page = sql.raw(`(ctid::text::point)[0]`);
    const rows = await query<{ n: number }>(
      tx,
      sql`with firsts as (select min(ctid) as ctid from ${sql.raw(table)} group by ${page}
            having ${page} < (select max(${page}) from ${sql.raw(table)}))
          update ${sql.raw(table)} set ${sql.raw(set)} where ctid in (select ctid from firsts)
          returning 1 as n`,
    );
    const [stat] = await query<{ hot: number }>(
      tx,
      sql`select n_tup_hot_upd::int as hot from pg_stat_xact_user_tables where relname = ${table}`,
    );
    out = { updated: rows.length, hot: Number(stat.hot) };
    throw new RolledBack();
  }).catch((err) => {
    if (!(err instanceof RolledBack)) throw err;
  });
  return out;
}

Deno.test("resolving a stored alert is a HOT update: alert pages keep room, so no index gets an entry", async () => {
  await database.db.execute(
    sql`insert into alerts (case_id, rule, subject, level, "on", raised_at, department)
    select 'FF' || g, '8.1', '', 'warning', '2024-11-07', now(), 'D1' from generate_series(1, 600) g`,
  );
  const { updated, hot } = await hotUpdatesOfFullPages("alerts", `resolved_on = '2024-11-12'`);
  assert.ok(updated >= 3, `600 alerts fill several pages (${updated} full pages)`);
  assert.equal(hot, updated);
});

Deno.test("a counter's new value is a HOT update: counter pages keep room, so no index gets an entry", async () => {
  await database.db.execute(sql`insert into counters (department, hall, metric, rule, day, value)
    select 'D' || g, 'H1', 'warn', '8.1', '', 1 from generate_series(1, 1200) g`);
  const { updated, hot } = await hotUpdatesOfFullPages("counters", "value = value + 1");
  assert.ok(updated >= 3, `1,200 counters fill several pages (${updated} full pages)`);
  assert.equal(hot, updated);
});
