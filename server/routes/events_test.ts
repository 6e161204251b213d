/**
 * The events route's authorization: who may push, for which departments' cases, what is recorded as
 * sender, and the batch cap.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { createApiKey } from "../auth/api_keys.ts";
import { createUser } from "../auth/users.ts";
import { ingestEvents, MAX_BATCH_EVENTS } from "../write/ingest.ts";
import { MAX_BATCH_EVENTS as SECURITY_MAX_BATCH_EVENTS } from "../security.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const other = { ...TEST_ITEM, code: "410300-TEST-0001", department: "410300-SCJGJ" };
assert.equal(
  (await t.send("PUT", "/api/v1/departments", [{
    code: "410300-SCJGJ",
    name: "洛阳市市场监督管理局",
    region: "410300",
  }])).status,
  200,
);
assert.equal((await t.send("PUT", "/api/v1/items", [other])).status, 200);

// An ingest client of 郑州's department only.
const user = await createUser(t.database.db, {
  username: "zz-platform",
  displayName: "郑州市审批平台",
  role: "ingest",
  departments: [TEST_ITEM.department],
  region: null,
  hall: null,
}, Date.parse(NOW));
const zz = {
  authorization: `Bearer ${
    (await createApiKey(t.database.db, { userId: user.id, name: "k", createdBy: "t" })).key
  }`,
};
const at = "2026-02-27T09:00:00+08:00";
const step = (id: string, c: string) => ({ id, case: c, type: "step", at, name: "审查" });

async function senderOf(id: string) {
  const rows = await query<{ sender: string }>(
    t.database.db,
    sql`select sender from events where id = ${id}`,
  );
  return rows[0]?.sender;
}

Deno.test("events of another department's cases are refused one by one, naming the field; the rest are stored", async () => {
  // L1 belongs to 洛阳 (set up directly, as 洛阳's own platform would push it).
  assert.equal(
    (await ingestEvents(
      t.deps,
      [{ ...receivedEvent("L1-r", "L1", at), item: other.code, hall: undefined }],
      "ly",
    ))
      .stored,
    1,
  );

  const res = await t.send("POST", "/api/v1/events", [
    receivedEvent("Z1-r", "Z1", at),
    step("Z1-s", "Z1"),
    step("L1-s", "L1"),
    { ...receivedEvent("L2-r", "L2", at), item: other.code },
    step("L2-s", "L2"),
  ], zz);
  assert.equal(res.status, 207);
  const report = await res.json();
  assert.equal(report.stored, 2);
  assert.deepEqual(
    report.refused.map((r: { index: number; id: string; field: string }) => [r.index, r.id, r.field]),
    [
      [2, "L1-s", "case"],
      [3, "L2-r", "item"],
      [4, "L2-s", "case"],
    ],
  );
  // The refusal does not tell which department owns the case number (no probing).
  assert.doesNotMatch(report.refused[0].error, /410300/);
  assert.match(report.refused[0].error, /^办件 L1 不属于本报送方可报送的部门 \(case L1 /);
  assert.equal(await senderOf("Z1-s"), "zz-platform");
  assert.equal(await senderOf("L1-s"), undefined);
});

Deno.test("events of a case whose department is not known yet are held, and the sender is the account", async () => {
  const res = await t.send("POST", "/api/v1/events", [step("U1-s", "U1")], {
    ...zz,
    "x-sender": "someone-else",
  });
  assert.equal(res.status, 200);
  await res.body?.cancel();
  assert.equal(await senderOf("U1-s"), "zz-platform");
});

Deno.test("only ingest clients push: 401 anonymous, 403 other roles", async () => {
  const anonymous = await t.send("POST", "/api/v1/events", [step("X-s", "Z1")], { authorization: "" });
  assert.equal(anonymous.status, 401);
  const admin = await t.send("POST", "/api/v1/events", [step("X-s", "Z1")], { authorization: t.auth.admin });
  assert.equal(admin.status, 403);
  await anonymous.body?.cancel();
  await admin.body?.cancel();
  assert.equal(await senderOf("X-s"), undefined);
});

Deno.test("one batch cap (5,000) for the route and the security defaults; 413 above it, naming the cap", async () => {
  assert.equal(MAX_BATCH_EVENTS, 5000);
  assert.equal(SECURITY_MAX_BATCH_EVENTS, MAX_BATCH_EVENTS);
  const many = Array.from({ length: MAX_BATCH_EVENTS + 1 }, (_, i) => step(`C-${i}`, "Z1"));
  const res = await t.send("POST", "/api/v1/events", many, zz);
  assert.equal(res.status, 413);
  assert.match((await res.json()).error, /5000/);
  const exactly = Array.from({ length: MAX_BATCH_EVENTS }, (_, i) => step(`C-${i}`, "Z1"));
  const ok = await t.send("POST", "/api/v1/events", exactly, zz);
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).stored, MAX_BATCH_EVENTS);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
