import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { dateIn, endOfDay } from "../../rules/dates.ts";
import { evaluateCase, projectedOf } from "../../rules/evaluate.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { upsertItems } from "../reference.ts";
import { openTestApp, receivedEvent, TEST_ITEM, type TestApp } from "../testing.ts";

const START = "2024-10-08T12:00:00+08:00";
const DEPT = TEST_ITEM.department;
// One app per file, opened before the first test that runs; each test works on cases of its own, and
// counters (per department) are compared with their value before the test.
let t: TestApp;
let db: Tx;
Deno.test.beforeAll(async () => {
  t = await openTestApp(START);
  db = t.database.db;
});
Deno.test.afterAll(() => t.database.drop());

/** An accepted case: received at 09:00 and accepted at 10:00 on 2024-10-08 (the contact never leaves it). */
const openEvents = (caseId: string) =>
  [
    receivedEvent(`${caseId}-r`, caseId, "2024-10-08T09:00:00+08:00", "张三丰"),
    { id: `${caseId}-a`, case: caseId, type: "accepted", at: "2024-10-08T10:00:00+08:00", handler: "李四" },
  ] as CaseEvent[];

/** When the 8.1 warning of such a case is raised, by the one evaluator. */
const warning = (() => {
  const ev = evaluateCase({
    caseId: "A1",
    events: openEvents("A1"),
    item: () => TEST_ITEM,
    calendar: builtinCalendar(),
    asOf: endOfDay("2024-12-31"),
  });
  const a = ev.result.alerts.find((a) => a.rule === "8.1" && a.level === "warning");
  assert.ok(a, "the scenario must raise an 8.1 warning");
  return { raisedAt: projectedOf(ev, a)!.raisedAt, on: a.on };
})();

async function counter(metric: string, rule: string, day = ""): Promise<number> {
  const rows = await query<{ value: number }>(
    db,
    sql`select value from counters where department = ${DEPT} and metric = ${metric} and rule = ${rule} and day = ${day}`,
  );
  return rows.length ? Number(rows[0].value) : 0;
}

async function ingest(list: unknown[]) {
  const res = await t.send("POST", "/api/v1/events", list);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body;
}

/** Open the case at the start instant. */
async function openCase(caseId: string): Promise<void> {
  t.setNow(START);
  await ingest(openEvents(caseId));
}

/** Open the case, then an hour after its 8.1 warning falls due a later event of it re-evaluates it. */
async function openCaseWithWarning(caseId: string): Promise<void> {
  await openCase(caseId);
  t.setNow(warning.raisedAt + 3600_000);
  // The scheduler re-evaluates through recalculateCases the same way.
  await ingest([{
    id: `${caseId}-s`,
    case: caseId,
    type: "step",
    at: new Date(warning.raisedAt + 1800_000).toISOString(),
    name: "审查",
    handler: "李四",
  }]);
}

Deno.test("an ingested open case counts as in progress and due on its deadline", async () => {
  const due = evaluateCase({
    caseId: "A1",
    events: openEvents("A1"),
    item: () => TEST_ITEM,
    calendar: builtinCalendar(),
    asOf: Date.parse(START),
  }).result.deadline!;
  const [dueBefore, open] = [await counter("due", "", due), await counter("open", "")];
  await openCase("A1");
  assert.equal(await counter("open", ""), open + 1);
  const rows = await query<{ deadline: string; region: string; applicant_name: string }>(
    db,
    sql`select deadline::text, region, applicant_name from cases where case_id = 'A1'`,
  );
  assert.equal(rows[0].region, "410100");
  assert.equal(rows[0].applicant_name, "张三丰");
  assert.equal(rows[0].deadline, due);
  assert.equal(await counter("due", "", rows[0].deadline), dueBefore + 1);
});

Deno.test("recalculating when the 8.1 warning falls due stores the alert, history, counter, live feed and outbox", async () => {
  const warned = await counter("warn", "8.1");
  await openCaseWithWarning("A2");

  const alerts = await query<{ id: number; on: string; withdrawn_at: unknown }>(
    db,
    sql`select id, "on"::text, withdrawn_at from alerts where case_id = 'A2' and rule = '8.1' and level = 'warning'`,
  );
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0].on, warning.on);
  const history = await query<{ change: string }>(
    db,
    sql`select change from alert_history where alert_id = ${alerts[0].id}`,
  );
  assert.deepEqual(history.map((h) => h.change), ["raised"]);
  assert.equal(await counter("warn", "8.1"), warned + 1);

  const feed = await query<{ payload: Record<string, unknown> | string; department: string }>(
    db,
    sql`select payload, department from live_feed where kind = 'alert'`,
  );
  const payloads = feed.map((f) => (typeof f.payload === "string" ? JSON.parse(f.payload) : f.payload));
  const mine = payloads.find((p) => p.case === "A2" && p.rule === "8.1");
  assert.ok(mine, JSON.stringify(payloads));
  assert.equal(mine.applicant, "张*丰");
  assert.equal(mine.level, "warning");
  assert.equal(mine.department, DEPT);
  assert.equal(mine.item, TEST_ITEM.code);
  assert.ok(!JSON.stringify(payloads).includes("13800000000"), "contact never reaches the live feed");

  const outbox = await query<{ rule: string }>(
    db,
    sql`select rule from notifications_outbox where case_id = 'A2'`,
  );
  assert.deepEqual(outbox.map((o) => o.rule), ["8.1"]);
});

Deno.test("re-evaluating without change writes no new alert, feed row or counter change", async () => {
  await openCaseWithWarning("A3");
  const [warned, open] = [await counter("warn", "8.1"), await counter("open", "")];
  const before = await query<{ n: number }>(db, sql`select count(*)::int as n from live_feed`);
  await ingest([{
    id: "A3-s2",
    case: "A3",
    type: "step",
    at: new Date(warning.raisedAt + 2000_000).toISOString(),
    name: "决定",
    handler: "李四",
  }]);
  const after = await query<{ n: number }>(db, sql`select count(*)::int as n from live_feed`);
  assert.equal(after[0].n, before[0].n);
  assert.equal(await counter("warn", "8.1"), warned);
  assert.equal(await counter("open", ""), open);
});

Deno.test("a late completion dated before the warning withdraws it and takes back its counts", async () => {
  const [warned, open] = [await counter("warn", "8.1"), await counter("open", "")];
  await openCaseWithWarning("A4");
  assert.equal(await counter("warn", "8.1"), warned + 1);
  const completedAt = new Date(warning.raisedAt - 24 * 3600_000).toISOString();
  assert.ok(dateIn(completedAt) < warning.on);
  await ingest([{ id: "A4-c", case: "A4", type: "completed", at: completedAt, result: "normal" }]);
  const alerts = await query<{ id: number; withdrawn_at: unknown }>(
    db,
    sql`select id, withdrawn_at from alerts where case_id = 'A4' and rule = '8.1' and level = 'warning'`,
  );
  assert.equal(alerts.length, 1, "a withdrawn alert is kept");
  assert.notEqual(alerts[0].withdrawn_at, null);
  const history = await query<{ change: string }>(
    db,
    sql`select change from alert_history where alert_id = ${alerts[0].id} order by id`,
  );
  assert.deepEqual(history.map((h) => h.change), ["raised", "withdrawn"]);
  assert.equal(await counter("warn", "8.1"), warned);
  assert.equal(await counter("open", ""), open);
  const status = await query<{ status: string }>(db, sql`select status from cases where case_id = 'A4'`);
  assert.equal(status[0].status, "completed");
});

Deno.test("a case whose evaluation throws is stored with its error and the others of the batch go on", async () => {
  // A promise of 30,000 working days runs past the calendar's last year: the evaluator throws.
  const endless = { ...TEST_ITEM, code: "410000-TEST-ENDLESS", statutoryDays: 30_000, promisedDays: 30_000 };
  await db.transaction((tx) => upsertItems(tx, [endless]));
  const broken = [
    { ...receivedEvent("B1-r", "B1", "2024-10-08T09:00:00+08:00"), item: endless.code },
    { id: "B1-a", case: "B1", type: "accepted", at: "2024-10-08T10:00:00+08:00" },
  ] as CaseEvent[];
  assert.throws(() =>
    evaluateCase({
      caseId: "B1",
      events: broken,
      item: () => endless,
      calendar: builtinCalendar(),
      asOf: Date.now(),
    })
  );
  t.setNow(START);
  await ingest([...broken, receivedEvent("B2-r", "B2", "2024-10-08T09:00:00+08:00")]);
  const rows = await query<{ case_id: string; status: string; error: string | null }>(
    db,
    sql`select case_id, status, error from cases where case_id in ('B1', 'B2') order by case_id`,
  );
  assert.equal(rows[0].case_id, "B1");
  assert.match(rows[0].error ?? "", /RangeError/);
  assert.deepEqual([rows[1].status, rows[1].error], ["received", null]);
});
