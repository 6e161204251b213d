/**
 * Department systems read back (issue 10 item 8): an ingest account may `GET /api/v1/cases/:case` and
 * `GET /api/v1/cases?changedSince=…` for the cases it may push — the evaluator's object with its
 * warnings, exactly as supervisors get it — and nothing of another department's cases.
 */
import assert from "node:assert/strict";
import { createApiKey } from "../auth/api_keys.ts";
import { createUser } from "../auth/users.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2024-10-15T10:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const OTHER = {
  ...TEST_ITEM,
  code: "410000-TEST-0002",
  name: "道路运输经营许可",
  department: "410200-SCJGJ",
};
assert.equal(
  (await t.send("PUT", "/api/v1/departments", [{
    code: OTHER.department,
    name: "开封市市场监督管理局",
    region: "410100",
  }]))
    .status,
  200,
);
assert.equal((await t.send("PUT", "/api/v1/items", [TEST_ITEM, OTHER])).status, 200);

// The department system of 410100-SCJGJ only.
const user = await createUser(db, {
  username: "rb-sc",
  displayName: "市场监管业务系统",
  role: "ingest",
  departments: [TEST_ITEM.department],
  region: null,
  hall: null,
}, Date.parse(NOW));
const own = `Bearer ${(await createApiKey(db, { userId: user.id, name: "rb", createdBy: "test" })).key}`;

const at = (d: string, h = "10:00") => `${d}T${h}:00+08:00`;
const push = async (authorization: string, events: unknown[]) =>
  assert.equal((await t.send("POST", "/api/v1/events", events, { authorization })).status, 200);
// Own case RB1: accepted 2024-09-29 (N = 10), remaining 2 on 2024-10-14: an 8.1 warning.
await push(own, [
  receivedEvent("RB1-r", "RB1", at("2024-09-29", "09:00")),
  { id: "RB1-a", case: "RB1", type: "accepted", at: at("2024-09-29"), handler: "赵六" },
]);
// Another department's case RB2, pushed by the all-department test client.
await push(t.auth.ingest, [{ ...receivedEvent("RB2-r", "RB2", at("2024-10-14")), item: OTHER.code }]);

const get = async (path: string, authorization: string) => {
  const res = await t.send("GET", path, undefined, { authorization });
  return { status: res.status, body: await res.json() };
};

Deno.test("an ingest account reads back its own case as the evaluator's object, warnings included", async () => {
  const mine = await get("/api/v1/cases/RB1", own);
  assert.equal(mine.status, 200);
  assert.deepEqual(mine.body, (await get("/api/v1/cases/RB1", t.auth.province)).body);
  assert.ok(
    mine.body.alerts.some((a: { rule: string; level: string }) => a.rule === "8.1" && a.level === "warning"),
    JSON.stringify(mine.body.alerts),
  );
});

Deno.test("an ingest account gets 404 for another department's case and never lists it", async () => {
  assert.equal((await get("/api/v1/cases/RB2", own)).status, 404);
  const since = encodeURIComponent("2024-01-01T00:00:00+08:00");
  const list = await get(`/api/v1/cases?changedSince=${since}`, own);
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.cases.map((c: { case: string }) => c.case), ["RB1"]);
  assert.equal(list.body.total, 1);
});

Deno.test("changedSince gives an ingest account only its cases re-evaluated after the instant", async () => {
  const before = (await get("/api/v1/cases?changedSince=2024-01-01T00:00:00%2B08:00", own)).body;
  const last = before.cases.at(-1).evaluatedAt as string;
  assert.deepEqual((await get(`/api/v1/cases?changedSince=${encodeURIComponent(last)}`, own)).body.cases, []);
  t.setNow("2024-10-15T11:00:00+08:00");
  await push(own, [{
    id: "RB1-c",
    case: "RB1",
    type: "completed",
    at: at("2024-10-15", "10:30"),
    result: "normal",
  }]);
  await push(t.auth.ingest, [{ id: "RB2-a", case: "RB2", type: "accepted", at: at("2024-10-15", "10:30") }]);
  const after = (await get(`/api/v1/cases?changedSince=${encodeURIComponent(last)}`, own)).body;
  assert.deepEqual(after.cases.map((c: { case: string; status: string }) => [c.case, c.status]), [[
    "RB1",
    "completed",
  ]]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
