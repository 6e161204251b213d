import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { loadCaseEvents, recalculateCases } from "./recalc.ts";

const t = await openTestApp("2024-09-02T10:00:00+08:00");

async function keptTimeline(caseId: string) {
  const [row] = await query<{ timeline: unknown[] | null; event_count: number }>(
    t.database.db,
    sql`select timeline, event_count from cases where case_id = ${caseId}`,
  );
  return row;
}

Deno.test("each case row keeps its evaluated events, in arrival order, across batches", async () => {
  const first = await t.send("POST", "/api/v1/events", [
    receivedEvent("k1-r", "K1", "2024-09-02T09:00:00+08:00"),
  ]);
  assert.equal(first.status, 200);
  const second = await t.send("POST", "/api/v1/events", [
    { id: "k1-a", case: "K1", type: "accepted", at: "2024-09-02T09:10:00+08:00", handler: "李四" },
    receivedEvent("k1-r", "K1", "2024-09-02T09:00:00+08:00"),
  ]);
  assert.deepEqual(await second.json(), { stored: 1, duplicates: 1, refused: [] });
  const row = await keptTimeline("K1");
  const stored = (await loadCaseEvents(t.database.db, ["K1"])).get("K1")!;
  assert.deepEqual(row.timeline, stored);
  assert.equal(row.event_count, 2);
  assert.deepEqual(stored.map((e) => e.id), ["k1-r", "k1-a"]);
});

Deno.test("a case without a kept timeline (stored before the column existed) is read from events and then kept", async () => {
  await t.send("POST", "/api/v1/events", [receivedEvent("k2-r", "K2", "2024-09-02T09:00:00+08:00")]);
  await t.database.db.execute(sql`update cases set timeline = null where case_id = 'K2'`);
  await t.database.db.transaction(async (tx) => {
    await recalculateCases(t.deps, tx, ["K2"], t.deps.clock());
  });
  assert.deepEqual((await keptTimeline("K2")).timeline?.map((e) => (e as { id: string }).id), ["k2-r"]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
