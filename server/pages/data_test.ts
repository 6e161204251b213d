import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openTestDatabase } from "../../db/testing.ts";
import { todaysAlerts } from "./data.ts";

const database = await openTestDatabase();
const { db } = database;
const now = Date.parse("2024-10-17T15:00:00+08:00");

async function feed(
  hall: string | null,
  caseId: string,
  createdAt: string,
  extra: Record<string, unknown> = {},
) {
  const payload = {
    case: caseId,
    rule: "8.1",
    name: "办理时限",
    level: "warning",
    on: "2024-10-17",
    department: "D1",
    item: "I1",
    applicant: "张*",
    ...extra,
  };
  await db.execute(sql`insert into live_feed (kind, department, hall, region, payload, created_at)
    values ('alert', 'D1', ${hall}, '410100', ${JSON.stringify(payload)}::jsonb, ${createdAt}::timestamptz)`);
}

Deno.test("todaysAlerts() gives the hall's alerts of today, newest first, up to the limit", async () => {
  await feed("H1", "YESTERDAY", "2024-10-16T23:59:00+08:00");
  await feed("H1", "EARLY", "2024-10-17T00:01:00+08:00");
  await feed("H2", "OTHER-HALL", "2024-10-17T09:00:00+08:00");
  await feed("H1", "MORNING", "2024-10-17T09:30:00+08:00", { level: "red", contact: "13800138000" });
  await feed("H1", "NOON", "2024-10-17T12:00:00+08:00");
  const { alerts, feedPosition } = await todaysAlerts(db, "H1", now);
  assert.deepEqual(alerts.map((a) => a.alert.case), ["NOON", "MORNING", "EARLY"]);
  assert.equal(alerts[1].alert.level, "red");
  assert.equal(alerts[1].at, Date.parse("2024-10-17T09:30:00+08:00"));
  assert.equal(feedPosition, 5, "the newest feed row of all, where the stream resumes");
  assert.doesNotMatch(JSON.stringify(alerts), /13800138000/, "only the stream's fields reach the page");
  assert.deepEqual((await todaysAlerts(db, "H1", now, 2)).alerts.map((a) => a.alert.case), [
    "NOON",
    "MORNING",
  ]);
  assert.deepEqual(await todaysAlerts(db, "H9", now), { alerts: [], feedPosition: 5 });
});

Deno.test.afterAll(async () => {
  await database.drop();
});
