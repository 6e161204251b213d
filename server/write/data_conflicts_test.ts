/**
 * Two senders claiming one case number for different departments (EXCHANGE.md "Order and identity"):
 * nothing is refused or lost, the established case is untouched, the other claimant's events are held
 * and a `data_conflict` item opens in the manual queue. Also the `received` checks of ingestion: the
 * hall must exist and lie in the department's region or above it; an unknown item is stored with a
 * warning.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";

import type { IngestReport } from "./ingest.ts";
import { acceptedEvent, ingestClient, openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const X = TEST_ITEM.department; // 郑州 410100
const Y = "410300-SCJGJ"; // 洛阳
const Z = "410105-SCJGJ"; // 金水区, below 郑州
const itemY = { ...TEST_ITEM, code: "410300-TEST-0001", department: Y };
const itemZ = { ...TEST_ITEM, code: "410105-TEST-0001", department: Z };
const itemOrphan = { ...TEST_ITEM, code: "419900-TEST-0001", department: "419900-NONE" };
for (
  const [path, body] of [
    ["regions", [{ code: "410300", name: "洛阳市", parent: "410000" }, {
      code: "410105",
      name: "金水区",
      parent: "410100",
    }]],
    ["departments", [{ code: Y, name: "洛阳市市场监督管理局", region: "410300" }, {
      code: Z,
      name: "金水区市场监督管理局",
      region: "410105",
    }]],
    ["halls", [{ code: "410300-HALL", name: "洛阳市政务服务大厅", region: "410300" }, {
      code: "410105-HALL",
      name: "金水区政务服务中心",
      region: "410105",
    }]],
    ["items", [itemY, itemZ, itemOrphan]],
  ] as const
) assert.equal((await t.send("PUT", `/api/v1/${path}`, body)).status, 200, path);

const client = (username: string, departments: string[], senderKind?: "evaluation") =>
  ingestClient(t, username, departments, senderKind);
const A = await client("claim-x", [X, Z, itemOrphan.department]);
const B = await client("claim-y", [Y]);

async function push(events: unknown[], who: Record<string, string>): Promise<[number, IngestReport]> {
  const res = await t.send("POST", "/api/v1/events", events, who);
  return [res.status, await res.json()];
}
const at = "2026-02-23T09:00:00+08:00";
const receivedX = (id: string, c: string) => receivedEvent(id, c, at);
const receivedY = (id: string, c: string) => ({
  ...receivedEvent(id, c, at),
  item: itemY.code,
  hall: "410300-HALL",
});
const accepted = (id: string, c: string, when = "2026-02-23T10:00:00+08:00") => acceptedEvent(id, c, when);

async function view(c: string) {
  const res = await t.send("GET", `/api/v1/cases/${c}/view`);
  assert.equal(res.status, 200);
  return await res.json();
}
async function queue(c: string) {
  const res = await t.send("GET", "/api/v1/queue");
  assert.equal(res.status, 200);
  return (await res.json()).filter((q: { case: string }) => q.case === c);
}

Deno.test("a late claim for another department is stored and held, the established case untouched, and a queue item opens", async () => {
  assert.deepEqual(await push([receivedX("DC1-a", "DC1"), accepted("DC1-b", "DC1")], A), [
    200,
    { stored: 2, duplicates: 0, refused: [] },
  ]);
  const [status, report] = await push([receivedY("DC1-y", "DC1"), accepted("DC1-y2", "DC1")], B);
  assert.equal(status, 200, JSON.stringify(report));
  assert.deepEqual([report.stored, report.refused], [2, []]);
  assert.deepEqual(report.warnings?.map((w) => [w.index, w.id, w.field]), [[0, "DC1-y", "case"]]);
  assert.doesNotMatch(report.warnings![0].warning, /410100/, "the other department is not named");

  const v = await view("DC1");
  assert.equal(v.department, X);
  assert.equal(v.result.status, "accepted");
  assert.deepEqual(v.timeline.map((e: { id: string }) => e.id), ["DC1-a", "DC1-b"]);
  assert.deepEqual(v.quarantined.map((e: { id: string; sender: string }) => [e.id, e.sender]), [
    ["DC1-y", "claim-y"],
    ["DC1-y2", "claim-y"],
  ]);
  assert.match(v.quarantined[0].reason, /^数据冲突/);
  const items = await queue("DC1");
  assert.deepEqual(
    items.map((
      q: { kind: string; subject: string; department: string },
    ) => [q.kind, q.subject, q.department]),
    [
      ["data_conflict", "claim-y", X],
    ],
  );

  // The queue page lists it for the supervisor.
  const page = await t.send("GET", "/queue");
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /<tr[^>]*data-case="DC1" data-kind="data_conflict"/);
  assert.ok(html.includes("数据冲突") && html.includes("claim-y"));

  // The established sender goes on as before; the claimant's later events are held too; the queue item stays.
  const done = {
    id: "DC1-c",
    case: "DC1",
    type: "completed",
    at: "2026-02-24T10:00:00+08:00",
    result: "normal",
  };
  assert.deepEqual(await push([done], A), [200, { stored: 1, duplicates: 0, refused: [] }]);
  const step = { id: "DC1-y3", case: "DC1", type: "step", at: "2026-02-24T11:00:00+08:00", name: "审查" };
  assert.deepEqual(await push([step], B), [200, { stored: 1, duplicates: 0, refused: [] }]);
  // Re-sent, the claimant's events are duplicates (acknowledged, not lost).
  assert.deepEqual(await push([receivedY("DC1-y", "DC1")], B), [200, {
    stored: 0,
    duplicates: 1,
    refused: [],
  }]);
  const after = await view("DC1");
  assert.equal(after.result.status, "completed");
  assert.deepEqual(after.quarantined.map((e: { id: string }) => e.id), ["DC1-y", "DC1-y2", "DC1-y3"]);
  assert.equal((await queue("DC1")).length, 1);
});

Deno.test("a claimant that was first still does not get its claim refused: the owner's events are kept and the conflict is queued", async () => {
  assert.equal((await push([receivedY("DC2-y", "DC2")], B))[1].stored, 1);
  const [status, report] = await push([receivedX("DC2-a", "DC2"), accepted("DC2-b", "DC2")], A);
  assert.equal(status, 200, JSON.stringify(report));
  assert.equal(report.stored, 2);
  assert.deepEqual(report.warnings?.map((w) => [w.id, w.field]), [["DC2-a", "case"]]);
  const v = await view("DC2");
  assert.deepEqual(v.quarantined.map((e: { id: string }) => e.id), ["DC2-a", "DC2-b"]);
  assert.deepEqual((await queue("DC2")).map((q: { subject: string }) => q.subject), ["claim-x"]);
  // Stored events are all there, nothing lost.
  const n = await query<{ n: number }>(db, sql`select count(*)::int as n from events where case_id = 'DC2'`);
  assert.equal(n[0].n, 3);
});

Deno.test("a resolved (closed) conflict is not reopened by the claimant's further events", async () => {
  // Its own conflict: DCR established by A, then claimed by B.
  assert.equal((await push([receivedX("DCR-a", "DCR"), accepted("DCR-b", "DCR")], A))[1].stored, 2);
  assert.equal((await push([receivedY("DCR-y", "DCR")], B))[1].stored, 1);
  assert.equal((await queue("DCR")).length, 1);
  await db.execute(
    sql`update manual_queue set closed_at = now() where case_id = 'DCR' and kind = 'data_conflict'`,
  );
  const step = { id: "DCR-y2", case: "DCR", type: "step", at: "2026-02-25T11:00:00+08:00", name: "决定" };
  assert.equal((await push([step], B))[1].stored, 1);
  const rows = await query<{ n: number; open: number }>(
    db,
    sql`select count(*)::int as n, count(*) filter (where closed_at is null)::int as open
        from manual_queue where case_id = 'DCR' and kind = 'data_conflict'`,
  );
  assert.deepEqual([rows[0].n, rows[0].open], [1, 0]);
});

Deno.test("without a claim of its own, a sender's event of another department's case is refused without naming the department", async () => {
  const [status, report] = await push([accepted("DC1-z", "DC1")], B);
  // B claimed DC1 (held): its events are stored and held, not refused.
  assert.equal(status, 200);
  assert.equal(report.stored, 1);
  assert.equal((await push([receivedX("DC3-a", "DC3")], A))[1].stored, 1);
  const [s2, r2] = await push([accepted("DC3-y", "DC3")], B);
  assert.equal(s2, 400);
  assert.deepEqual(r2.refused.map((r) => [r.index, r.id, r.field]), [[0, "DC3-y", "case"]]);
  assert.doesNotMatch(r2.refused[0].error, /410100/);
});

Deno.test("a received's hall must exist and lie in its department's region or above it", async () => {
  const [status, report] = await push([
    { ...receivedX("H1-a", "H1"), hall: "NO-SUCH-HALL" },
    { ...receivedX("H2-a", "H2"), hall: "410300-HALL" },
    { ...receivedX("H3-a", "H3"), item: itemZ.code, hall: "410100-HALL" },
    { ...receivedX("H4-a", "H4"), hall: "410105-HALL" },
    receivedX("H5-a", "H5"),
  ], A);
  assert.equal(status, 207);
  assert.deepEqual(report.refused.map((r) => [r.index, r.id, r.field]), [
    [0, "H1-a", "hall"],
    [1, "H2-a", "hall"],
    [3, "H4-a", "hall"],
  ]);
  assert.match(report.refused[0].error, /^大厅编码 NO-SUCH-HALL 未登记 \(unknown hall NO-SUCH-HALL\)$/);
  assert.match(report.refused[1].error, /^大厅 410300-HALL 不在办件所属部门的地区或其上级地区 \(/);
  // 金水区's case in 郑州's hall (a region above): stored, and placed by its department, not the hall.
  assert.equal(report.stored, 2);
  const v = await view("H3");
  assert.deepEqual([v.department, v.hall], [Z, "410100-HALL"]);
});

Deno.test("an unknown item, or an item of an unregistered department, is stored with a warning", async () => {
  const [status, report] = await push([
    { ...receivedX("W1-a", "W1"), item: "NO-SUCH-ITEM", hall: undefined },
    { ...receivedX("W2-a", "W2"), item: itemOrphan.code, hall: undefined },
    accepted("W1-b", "W1"),
  ], A);
  assert.equal(status, 200);
  assert.equal(report.stored, 3);
  assert.deepEqual(report.warnings, [
    {
      index: 0,
      id: "W1-a",
      field: "item",
      warning:
        "事项编码未登记，办件暂列为信息不全 (item code not registered; the case is listed as incomplete)",
    },
    {
      index: 1,
      id: "W2-a",
      field: "item",
      warning: "事项所属部门 419900-NONE 未登记，办件暂不计入任何部门 " +
        "(the item's department 419900-NONE is not registered; the case counts for no department yet)",
    },
  ]);
  assert.equal((await view("W1")).result.status, "incomplete");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
