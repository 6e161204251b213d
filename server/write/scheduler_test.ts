import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { openTestDatabase } from "../../db/testing.ts";
import { ev, item, received } from "../../rules/test_fixtures.ts";
import { openCalendarStore } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { ingestEvents } from "./ingest.ts";
import { upsertItems, upsertReference } from "../reference.ts";
import { startScheduler } from "./scheduler.ts";

const database = await openTestDatabase();
let now = Date.parse("2024-11-04T10:00:00+08:00");
const deps: AppDeps = { database, clock: () => now, calendar: await openCalendarStore(database) };
const ITEM = item({ code: "SCHED-ITEM", department: "SD1", promisedDays: 5 });
await upsertReference(database.db, "regions", [{ code: "410100", name: "郑州市", parent: null }]);
await upsertReference(database.db, "departments", [{ code: "SD1", name: "测试局", region: "410100" }]);
// The hall the test cases are received in (ingestion refuses unknown halls).
await upsertReference(database.db, "halls", [{
  code: "410100-HALL",
  name: "郑州市政务服务大厅",
  region: "410100",
}]);
await upsertItems(database.db, [ITEM]);

/** Accept a case on Monday 2024-11-04: N = 5, deadline Mon 11-11; warning 00:00 Thu 11-07, red 00:00 Tue 11-12. */
async function acceptCase(caseId: string) {
  now = Date.parse("2024-11-04T10:00:00+08:00");
  const report = await ingestEvents(deps, [
    received("2024-11-04 09:30", ITEM, { case: caseId, id: `${caseId}-r` }),
    ev("accepted", "2024-11-04 09:40", { case: caseId, id: `${caseId}-a`, handler: "李四" }),
  ], "test");
  assert.deepEqual(report.refused, []);
}

async function alerts81(caseId: string) {
  const rows = await query<{ level: string; on: string; resolved_on: string | null }>(
    database.db,
    sql`select level, "on"::text as "on", resolved_on::text as resolved_on from alerts
        where case_id = ${caseId} and rule = '8.1' order by id`,
  );
  return rows.map((r) => ({ level: r.level, on: r.on, resolved_on: r.resolved_on }));
}

async function feed81(caseId: string) {
  const rows = await query<{ level: string }>(
    database.db,
    sql`select payload->>'level' as level from live_feed where payload->>'case' = ${caseId}
        and payload->>'rule' = '8.1' order by id`,
  );
  return rows.map((r) => r.level);
}

const at = (s: string) => Date.parse(s);

Deno.test("a due transition is applied once at its instant, and not again on later runs", async () => {
  await acceptCase("S1");
  const scheduler = startScheduler(deps, { background: false });
  try {
    now = at("2024-11-06T23:59:59+08:00");
    assert.equal(await scheduler.runOnce(), 0);
    assert.deepEqual(await alerts81("S1"), []);

    now = at("2024-11-07T00:00:00+08:00");
    assert.equal(await scheduler.runOnce(), 1);
    assert.deepEqual(await alerts81("S1"), [{ level: "warning", on: "2024-11-07", resolved_on: null }]);
    assert.deepEqual(await feed81("S1"), ["warning"]);

    now = at("2024-11-08T15:00:00+08:00");
    assert.equal(await scheduler.runOnce(), 0);
    assert.deepEqual(await feed81("S1"), ["warning"]);
  } finally {
    await scheduler.stop();
  }
});

Deno.test("after a restart past several due instants each transition is applied exactly once", async () => {
  await acceptCase("S2");
  const first = startScheduler(deps, { background: false });
  now = at("2024-11-07T08:00:00+08:00");
  assert.equal(await first.runOnce(), 1);
  await first.stop();

  // The machine was off from Thursday to Tuesday morning: the red card (Tue 00:00) is overdue.
  now = at("2024-11-12T08:00:00+08:00");
  const second = startScheduler(deps, { background: false });
  try {
    assert.ok(await second.runOnce() >= 1); // S1 of the test above is due again too

    assert.deepEqual(await alerts81("S2"), [
      { level: "warning", on: "2024-11-07", resolved_on: "2024-11-12" },
      { level: "red", on: "2024-11-12", resolved_on: null },
    ]);
    assert.deepEqual(await feed81("S2"), ["warning", "red"]);
    assert.equal(await second.runOnce(), 0);
    assert.deepEqual(await feed81("S2"), ["warning", "red"]);
  } finally {
    await second.stop();
  }
});

Deno.test("a case first seen by the scheduler long after both instants gets both alerts in one run", async () => {
  await acceptCase("S3");
  now = at("2024-11-20T09:00:00+08:00");
  const scheduler = startScheduler(deps, { background: false });
  try {
    assert.equal(await scheduler.runOnce(), 1);
    assert.deepEqual((await alerts81("S3")).map((a) => [a.level, a.on]), [["warning", "2024-11-07"], [
      "red",
      "2024-11-12",
    ]]);
    const [row] = await query<{ next_change_at: unknown }>(
      database.db,
      sql`select next_change_at from cases where case_id = 'S3'`,
    );
    assert.ok(row.next_change_at === null || new Date(row.next_change_at as string).getTime() > now);
  } finally {
    await scheduler.stop();
  }
});

Deno.test("a due case whose evaluation fails is tried again after retryMs; the others of its batch are applied", async () => {
  await acceptCase("F1");
  await acceptCase("F2");
  // A kept timeline the evaluator cannot read (an instant without a time zone): evaluating F1 throws.
  await database.db.execute(
    sql`update cases set timeline = jsonb_set(timeline, '{0,at}', '"2024-11-04 09:30"')
    where case_id = 'F1'`,
  );
  now = at("2024-11-07T00:00:01+08:00");
  const scheduler = startScheduler(deps, { background: false, retryMs: 60_000 });
  try {
    await scheduler.runOnce();
    assert.deepEqual((await alerts81("F2")).map((a) => a.level), ["warning"]);
    assert.deepEqual(await alerts81("F1"), []);
    const rows = await query<{ case_id: string; next_change_at: string | Date; error: string | null }>(
      database.db,
      sql`select case_id, next_change_at, error from cases where case_id in ('F1', 'F2') order by case_id`,
    );
    const next = new Map(rows.map((r) => [r.case_id, new Date(r.next_change_at).getTime()]));
    assert.equal(next.get("F1"), now + 60_000);
    assert.ok(rows[0].error);
    assert.ok(next.get("F2")! > now + 60_000); // its red card, days later
    assert.equal(rows[1].error, null);
  } finally {
    await scheduler.stop();
  }
});

Deno.test("two schedulers on one database never process the same case twice", async () => {
  const ids = Array.from({ length: 30 }, (_, i) => `P${i}`);
  for (const id of ids) await acceptCase(id);
  now = at("2024-11-07T00:00:01+08:00");
  const a = startScheduler(deps, { background: false, batchSize: 7 });
  const b = startScheduler(deps, { background: false, batchSize: 7 });
  try {
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    assert.equal(na + nb, ids.length);
    const [{ n }] = await query<{ n: string }>(
      database.db,
      sql`select count(*) as n from live_feed where payload->>'case' like 'P%' and payload->>'rule' = '8.1'`,
    );
    assert.equal(Number(n), ids.length);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

Deno.test("two schedulers running several batches each share the due cases, each applied once", async () => {
  const ids = Array.from({ length: 40 }, (_, i) => `Q${i}`);
  for (const id of ids) await acceptCase(id);
  now = at("2024-11-07T00:00:01+08:00");
  const a = startScheduler(deps, { background: false, batchSize: 5, concurrency: 3 });
  const b = startScheduler(deps, { background: false, batchSize: 5, concurrency: 3 });
  try {
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    assert.equal(na + nb, ids.length);
    const [{ n }] = await query<{ n: string }>(
      database.db,
      sql`select count(*) as n from alert_history h join alerts x on x.id = h.alert_id
          where x.case_id like 'Q%' and x.rule = '8.1' and h.change = 'raised'`,
    );
    assert.equal(Number(n), ids.length);
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
});

Deno.test("the background loop wakes at the next due instant", async () => {
  await acceptCase("S4");
  // A clock that runs: the warning is due 150 ms from "now".
  const due = at("2024-11-07T00:00:00+08:00");
  const offset = due - 150 - Date.now();
  const scheduler = startScheduler({ ...deps, clock: () => Date.now() + offset }, { maxSleepMs: 10_000 });
  try {
    const deadline = Date.now() + 5000;
    while ((await feed81("S4")).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(await feed81("S4"), ["warning"]);
  } finally {
    await scheduler.stop();
  }
});

Deno.test.afterAll(() => database.drop());
