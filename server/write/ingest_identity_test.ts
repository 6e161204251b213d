/**
 * Event identity is (sender, id) (EXCHANGE.md "Order and identity"), and only supervisors decide:
 * another sender's ids never collide with one's own, a forged `review` over ingestion is refused and
 * changes nothing, and the evaluation platform's evaluations count while a department's do not get in.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { eventContentHash } from "../../rules/canonical.ts";
import { parseEvent } from "../../rules/event_schema.ts";
import type { CaseEvent } from "../../rules/types.ts";

import type { IngestReport } from "./ingest.ts";
import { ingestClient, openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;

const client = (username: string, departments: string[], senderKind?: "evaluation") =>
  ingestClient(t, username, departments, senderKind);
const A = await client("sender-a", [TEST_ITEM.department]);
const B = await client("sender-b", [TEST_ITEM.department]);
const P = await client("sender-pj", [], "evaluation");

async function push(events: unknown[], who: Record<string, string>): Promise<[number, IngestReport]> {
  const res = await t.send("POST", "/api/v1/events", events, who);
  return [res.status, await res.json()];
}
const at = "2026-02-27T09:00:00+08:00";
const accepted = (id: string, c: string) => ({ id, case: c, type: "accepted", at, handler: "李四" });

async function caseView(c: string) {
  const res = await t.send("GET", `/api/v1/cases/${c}`);
  assert.equal(res.status, 200);
  return await res.json();
}

async function stored(id: string) {
  return (await query<{ sender: string }>(db, sql`select sender from events where id = ${id} order by seq`))
    .map((r) => r.sender);
}

Deno.test("another sender using an event id first does not make one's own event a conflict", async () => {
  assert.deepEqual(await push([{ ...receivedEvent("E-1", "ID1", at), applicant: { kind: "person" } }], B), [
    200,
    { stored: 1, duplicates: 0, refused: [] },
  ]);
  // A's event E-1 is an entirely different one: stored, not refused as a conflict.
  assert.deepEqual(await push([receivedEvent("E-1", "ID2", at)], A), [
    200,
    { stored: 1, duplicates: 0, refused: [] },
  ]);
  assert.deepEqual(await stored("E-1"), ["sender-b", "sender-a"]);
  assert.equal((await caseView("ID2")).status, "received");
});

Deno.test("another sender pre-sending one's exact event makes one's own copy neither a duplicate nor blocked", async () => {
  const r = receivedEvent("ID3-r", "ID3", at);
  const a = accepted("ID3-a", "ID3");
  assert.equal((await push([r, a], B))[1].stored, 2);
  // A's copies are A's events: stored (not "duplicates" of B's), and the case advances with them.
  assert.deepEqual(await push([r, a], A), [200, { stored: 2, duplicates: 0, refused: [] }]);
  assert.deepEqual(await stored("ID3-a"), ["sender-b", "sender-a"]);
  assert.equal((await caseView("ID3")).status, "accepted");
  // Each sender's re-send is its own duplicate.
  assert.deepEqual(await push([a], A), [200, { stored: 0, duplicates: 1, refused: [] }]);
  assert.deepEqual(await push([a], B), [200, { stored: 0, duplicates: 1, refused: [] }]);
});

Deno.test("two senders' different events with one id in one case both count", async () => {
  assert.equal((await push([receivedEvent("ID7-r", "ID7", at), accepted("ID7-x", "ID7")], B))[1].stored, 2);
  const done = {
    id: "ID7-x",
    case: "ID7",
    type: "completed",
    at: "2026-02-27T15:00:00+08:00",
    result: "normal",
  };
  assert.deepEqual(await push([done], A), [200, { stored: 1, duplicates: 0, refused: [] }]);
  assert.equal((await caseView("ID7")).status, "completed");
});

Deno.test("the same sender re-using an id with other content is refused as a conflict (field id); same content is a duplicate", async () => {
  const r = receivedEvent("ID4-r", "ID4", at);
  assert.equal((await push([r], A))[1].stored, 1);
  // Key order and an optional field sent as null do not make it different content.
  const reordered = Object.fromEntries(Object.entries({ ...r, hall: r.hall }).reverse());
  assert.deepEqual(await push([{ ...reordered, ignoredNull: undefined }], A), [
    200,
    { stored: 0, duplicates: 1, refused: [] },
  ]);
  const [status, report] = await push([{ ...r, channel: "online" }, accepted("ID4-a", "ID4")], A);
  assert.equal(status, 207);
  assert.equal(report.stored, 1);
  assert.deepEqual(report.refused.map((x) => [x.index, x.id, x.field]), [[0, "ID4-r", "id"]]);
  assert.match(report.refused[0].error, /^本报送方.*\(id ID4-r .*\)$/);
  // Within one batch too.
  const [, within] = await push(
    [accepted("ID4-b", "ID4"), { ...accepted("ID4-b", "ID4"), handler: "王五" }],
    A,
  );
  assert.deepEqual([within.stored, within.refused.map((x) => [x.index, x.field])], [1, [[1, "id"]]]);
});

Deno.test("content identity is one definition: null optional fields and key order do not change it", () => {
  const base = { id: "X", case: "C", type: "accepted", at };
  const parse = (raw: unknown) => {
    const r = parseEvent(raw);
    assert.ok(r.ok);
    return r.event as CaseEvent;
  };
  assert.equal(
    eventContentHash(parse({ ...base, handler: null })),
    eventContentHash(parse(Object.fromEntries(Object.entries(base).reverse()))),
  );
  assert.notEqual(eventContentHash(parse({ ...base, handler: "李四" })), eventContentHash(parse(base)));
});

Deno.test("a forged review over ingestion is refused (field type), stores nothing and voids nothing", async () => {
  const fee = { id: "ID5-f", case: "ID5", type: "fee", at, kind: "charge", amount: 100 };
  assert.equal(
    (await push([receivedEvent("ID5-r", "ID5", at), accepted("ID5-a", "ID5"), fee], A))[1].stored,
    3,
  );
  const red = (await caseView("ID5")).alerts.find((x: { rule: string }) => x.rule === "8.4");
  assert.ok(red, "8.4 red card raised (the item has no fee standard)");
  const forged = {
    id: "ID5-v",
    case: "ID5",
    type: "review",
    at: "2026-03-01T09:00:00+08:00",
    action: "void",
    rule: "8.4",
    subject: "ID5-f",
    reason: "伪造",
    by: "sheng",
  };
  const [status, report] = await push([forged, { ...accepted("ID5-b", "ID5"), handler: "王五" }], A);
  assert.equal(status, 207);
  assert.deepEqual(report.refused.map((x) => [x.index, x.id, x.field]), [[0, "ID5-v", "type"]]);
  assert.match(report.refused[0].error, /^监察处理只能由监察人员.*\(review decisions/);
  assert.deepEqual(await stored("ID5-v"), []);
  const after = (await caseView("ID5")).alerts.find((x: { rule: string }) => x.rule === "8.4");
  assert.equal(after.voided, undefined);
  const audit = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from audit_log where action = 'case.review'`,
  );
  assert.equal(audit[0].n, 0);
  // The evaluation platform may not send one either.
  const [, byPlatform] = await push([{ ...forged, id: "ID5-w" }], P);
  assert.deepEqual(byPlatform.refused.map((x) => x.field), ["type"]);
  // Refused for its type before its fields are looked at: a review without `by` is named by `type`.
  const { by: _by, ...unsigned } = forged;
  const [, noBy] = await push([{ ...unsigned, id: "ID5-x" }], A);
  assert.deepEqual(noBy.refused.map((x) => [x.id, x.field]), [["ID5-x", "type"]]);
});

Deno.test("evaluations come from the evaluation platform only, for any department's case", async () => {
  const r = receivedEvent("ID6-r", "ID6", at);
  const done = { id: "ID6-c", case: "ID6", type: "completed", at, result: "normal" };
  assert.equal((await push([r, accepted("ID6-a", "ID6"), done], A))[1].stored, 3);
  const evaluation = {
    id: "ID6-e",
    case: "ID6",
    type: "evaluation",
    at: "2026-02-28T09:00:00+08:00",
    satisfied: false,
    satisfactionReason: "等候时间过长",
  };
  // The department system cannot rate its own case…
  const [status, byDept] = await push([{ ...evaluation, satisfied: true, id: "ID6-e0" }], A);
  assert.equal(status, 400);
  assert.deepEqual(byDept.refused.map((x) => [x.index, x.id, x.field]), [[0, "ID6-e0", "type"]]);
  // …the platform can, and its evaluation is the one that counts.
  assert.deepEqual(await push([evaluation], P), [200, { stored: 1, duplicates: 0, refused: [] }]);
  const view = await caseView("ID6");
  assert.deepEqual(view.findings.map((f: { rule: string }) => f.rule), ["9.1"]);
  // The platform cannot push lifecycle events or appeals.
  const [, lifecycle] = await push([{ ...accepted("ID6-x", "ID6") }, {
    id: "ID6-ap",
    case: "ID6",
    type: "appeal",
    at,
    rule: "9.1",
    text: "申诉",
  }], P);
  assert.deepEqual(lifecycle.refused.map((x) => [x.index, x.field]), [[0, "type"], [1, "type"]]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
