/**
 * Cases stored before the ranking keys existed get them from the background backfill (PGlite, or
 * PostgreSQL with TEST_DATABASE_URL): the counters end up as if the cases had always had them.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { ingestEvents } from "../write/ingest.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";
import { backfillChunk, startTallyBackfill } from "./backfill.ts";
import { TALLY_METRICS } from "./tally_keys.ts";

const t = await openTestApp("2026-11-02T09:00:00+08:00");
const { db } = t.database;
const at = (d: string, h: string) => `${d}T${h}:00+08:00`;
t.setNow("2026-12-01T10:00:00+08:00");
const events = ["B1", "B2", "B3"].flatMap((id, i) => [
  receivedEvent(`${id}-r`, id, at(`2026-11-0${2 + i}`, "09:00")),
  { id: `${id}-a`, case: id, type: "accepted", at: at(`2026-11-0${2 + i}`, "09:30") },
  ...(i < 2
    ? [{ id: `${id}-c`, case: id, type: "completed", at: at(`2026-11-1${i}`, "15:00"), result: "normal" }]
    : []),
]);
assert.equal((await ingestEvents(t.deps, events, "setup")).refused.length, 0);
assert.ok(TEST_ITEM.promisedDays > 0);

const tallyRows = async () =>
  (await query<{ k: string; value: number }>(
    db,
    sql`select department || '|' || hall || '|' || metric || '|' || rule || '|' || day as k, value
        from counters where value <> 0 and metric in (select jsonb_array_elements_text(${
      JSON.stringify(TALLY_METRICS)
    }::jsonb)) order by 1`,
  )).map((r) => `${r.k}=${r.value}`);

Deno.test("the backfill gives cases stored before the ranking keys their counters, once", async () => {
  const want = await tallyRows();
  assert.ok(want.some((r) => r.includes("|done|")) && want.some((r) => r.includes("|opn|")));
  // The state an old database is in: no ranking keys in the cases' contributions nor in the counters.
  const metrics = JSON.stringify(TALLY_METRICS);
  await db.execute(sql`update cases set contributions = (
      select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_array_elements_text(contributions) k
      where split_part(k, '|', 1) not in (select jsonb_array_elements_text(${metrics}::jsonb)))`);
  await db.execute(
    sql`delete from counters where metric in (select jsonb_array_elements_text(${metrics}::jsonb))`,
  );
  await db.execute(sql`insert into tally_backfill (case_id) select case_id from cases`);
  assert.deepEqual(await tallyRows(), []);

  const run = startTallyBackfill(t.deps);
  assert.equal(await run.done, 3);
  await run.stop();
  assert.deepEqual(await tallyRows(), want);
  const [{ n }] = await query<{ n: number }>(db, sql`select count(*)::int as n from tally_backfill`);
  assert.equal(n, 0);
  // Nothing left: a second start does nothing.
  assert.equal(await backfillChunk(t.deps), 0);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
