import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { type IngestReport, MAX_BATCH_EVENTS, MAX_BODY_BYTES } from "./ingest.ts";
import { openTestApp, receivedEvent } from "../testing.ts";

const t = await openTestApp("2024-10-10T12:00:00+08:00");

async function post(body: unknown, headers?: Record<string, string>): Promise<[number, IngestReport]> {
  const res = await t.send("POST", "/api/v1/events", body, headers);
  return [res.status, await res.json()];
}

async function storedSender(id: string): Promise<string | undefined> {
  const rows = await query<{ sender: string }>(
    t.database.db,
    sql`select sender from events where id = ${id}`,
  );
  return rows[0]?.sender;
}

Deno.test("a valid batch is stored with the authenticated sender, not a header's, and answered 200", async () => {
  const [status, report] = await post([
    receivedEvent("I1-r", "I1", "2024-10-08T09:00:00+08:00"),
    { id: "I1-a", case: "I1", type: "accepted", at: "2024-10-08T10:00:00+08:00", handler: "李四" },
  ], { "x-sender": "city-platform" });
  assert.equal(status, 200);
  assert.deepEqual(report, { stored: 2, duplicates: 0, refused: [] });
  assert.equal(await storedSender("I1-a"), "test-ingest");
});

Deno.test("re-sending the same event, in any key order, is a duplicate that changes nothing", async () => {
  const e = { ...receivedEvent("I2-r", "I2", "2024-10-08T09:00:00+08:00") };
  assert.deepEqual(await post([e]), [200, { stored: 1, duplicates: 0, refused: [] }]);
  const reordered = Object.fromEntries(Object.entries(e).reverse());
  assert.deepEqual(await post([reordered, e]), [200, { stored: 0, duplicates: 2, refused: [] }]);
  const rows = await query<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from events where id = 'I2-r'`,
  );
  assert.equal(rows[0].n, 1);
});

Deno.test("the same id with other content is refused as a conflict on field id", async () => {
  const e = receivedEvent("I3-r", "I3", "2024-10-08T09:00:00+08:00");
  await post([e]);
  const [status, report] = await post([{ ...e, channel: "online" }]);
  assert.equal(status, 400);
  assert.equal(report.refused.length, 1);
  assert.equal(report.refused[0].field, "id");
  assert.equal(report.refused[0].id, "I3-r");
  // Inside one batch too: the first wins, the second is refused.
  const [, within] = await post([
    { id: "I3-s", case: "I3", type: "step", at: "2024-10-08T10:00:00+08:00", name: "审查" },
    { id: "I3-s", case: "I3", type: "step", at: "2024-10-08T10:00:00+08:00", name: "决定" },
  ]);
  assert.deepEqual(within.stored, 1);
  assert.deepEqual(within.refused.map((r) => [r.index, r.field]), [[1, "id"]]);
});

Deno.test("every bad input of EXCHANGE.md is refused naming index, id and field; the valid ones are stored (207)", async () => {
  const base = { case: "I4", at: "2024-10-08T09:00:00+08:00" };
  const batch = [
    receivedEvent("I4-ok", "I4", "2024-10-08T09:00:00+08:00"),
    { ...base, id: "I4-type", type: "teleported" },
    { ...base, id: "I4-missing", type: "step" },
    { ...base, id: "I4-wrong", type: "step", name: 7 },
    { ...base, id: "I4-offset", type: "accepted", at: "2024-10-08T09:00:00" },
    { ...base, id: "I4-garbled", type: "accepted", at: "tomorrow-ish" },
    { ...base, id: "I4-future", type: "accepted", at: "2024-10-10T12:06:00+08:00" },
    { ...base, id: "I4-enum", type: "completed", result: "fine" },
    { ...base, id: "I4-amount", type: "fee", kind: "charge", amount: -5 },
    { ...base, id: "I4-until", type: "special_started", procedure: "检验", until: "next week" },
    { ...base, id: "I4-proc", type: "special_completed", procedure: "占卜" },
    { ...base, id: "x".repeat(129), type: "accepted" },
    { ...base, id: "", type: "accepted" },
    { ...base, id: "I4-kind", type: "received", item: "X", channel: "hall", applicant: { name: "王五" } },
    "not an object",
    { ...base, id: "I4-ok2", type: "accepted", at: "2024-10-10T12:04:00+08:00" },
  ];
  const [status, report] = await post(batch);
  assert.equal(status, 207);
  assert.equal(report.stored, 2);
  assert.deepEqual(report.refused.map((r) => [r.index, r.field]), [
    [1, "type"],
    [2, "name"],
    [3, "name"],
    [4, "at"],
    [5, "at"],
    [6, "at"],
    [7, "result"],
    [8, "amount"],
    [9, "until"],
    [10, "procedure"],
    [11, "id"],
    [12, "id"],
    [13, "applicant.kind"],
    [14, ""],
  ]);
  assert.equal(report.refused[1].id, "I4-missing");
  assert.equal(report.refused[1].error, "缺少字段 name (name is required)");
  assert.equal(
    report.refused[5].error,
    "时间 at 晚于当前时间超过 5 分钟 (at is more than 5 minutes in the future)",
  );
  // Chinese first, the English in brackets.
  for (const r of report.refused) assert.match(r.error, /^[\u4e00-\u9fff].*\(.+\)$/s, r.error);
  for (const r of report.refused.slice(0, -1)) assert.ok(r.error.includes(r.field), r.error);
});

Deno.test("NDJSON: malformed lines are refused by line number − 1, the rest stored", async () => {
  const lines = [
    JSON.stringify(receivedEvent("I5-r", "I5", "2024-10-08T09:00:00+08:00")),
    "{not json",
    "",
    JSON.stringify({ id: "I5-a", case: "I5", type: "accepted", at: "2024-10-08T10:00:00+08:00" }),
  ].join("\n");
  const [status, report] = await post(lines, { "content-type": "application/x-ndjson" });
  assert.equal(status, 207);
  assert.equal(report.stored, 2);
  assert.deepEqual(report.refused.map((r) => r.index), [1]);
  assert.match(report.refused[0].error, /malformed JSON/);
});

Deno.test("a body that is no JSON at all is answered 400", async () => {
  const [status, report] = await post("[{oops");
  assert.equal(status, 400);
  assert.equal(report.stored, 0);
});

Deno.test("more than 5,000 events, or a body over the limit, is answered 413 and stores nothing", async () => {
  const many = Array.from(
    { length: MAX_BATCH_EVENTS + 1 },
    (_, i) => ({ id: `I6-${i}`, case: "I6", type: "step", at: "2024-10-08T10:00:00+08:00", name: "审查" }),
  );
  const res = await t.send("POST", "/api/v1/events", many);
  assert.equal(res.status, 413);
  await res.body?.cancel();
  const big = JSON.stringify([{
    id: "I6-big",
    case: "I6",
    type: "appeal",
    at: "2024-10-08T10:00:00+08:00",
    rule: "9.1",
    text: "x".repeat(MAX_BODY_BYTES),
  }]);
  const res2 = await t.send("POST", "/api/v1/events", big);
  assert.equal(res2.status, 413);
  await res2.body?.cancel();
  const rows = await query<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from events where case_id = 'I6'`,
  );
  assert.equal(rows[0].n, 0);
});

Deno.test("a case waiting for its received event is kept as incomplete", async () => {
  await post([{ id: "I7-a", case: "I7", type: "accepted", at: "2024-10-08T10:00:00+08:00" }]);
  const res = await t.send("GET", "/api/v1/cases/I7");
  assert.equal((await res.json()).status, "incomplete");
  const rows = await query<{ status: string }>(
    t.database.db,
    sql`select status from cases where case_id = 'I7'`,
  );
  assert.deepEqual(rows.map((r) => r.status), ["incomplete"]);
});

Deno.test("concurrent batches for one case end in the state of all their events", async () => {
  const step = (i: number) => ({
    id: `I8-s${i}`,
    case: "I8",
    type: "step",
    at: `2024-10-09T1${i}:00:00+08:00`,
    name: "审查",
    handler: "李四",
  });
  await post([receivedEvent("I8-r", "I8", "2024-10-08T09:00:00+08:00")]);
  const answers = await Promise.all([
    post([{ id: "I8-a", case: "I8", type: "accepted", at: "2024-10-08T10:00:00+08:00" }, step(1)]),
    post([step(2), step(3)]),
    post([step(4), {
      id: "I8-x",
      case: "I8",
      type: "rejected",
      at: "2024-10-09T18:00:00+08:00",
      reason: "材料不全",
    }]),
  ]);
  assert.deepEqual(answers.map(([status]) => status), [200, 200, 200]);
  const fresh = await (await t.send("GET", "/api/v1/cases/I8")).json();
  const rows = await query<{ result: unknown; event_count: number }>(
    t.database.db,
    sql`select result, event_count from cases where case_id = 'I8'`,
  );
  const stored = typeof rows[0].result === "string" ? JSON.parse(rows[0].result) : rows[0].result;
  assert.deepEqual(stored, fresh);
  assert.equal(rows[0].event_count, 7);
  assert.equal(fresh.status, "rejected");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
