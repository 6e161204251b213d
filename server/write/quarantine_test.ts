/**
 * Quarantine: events an ingest client pushed before the case's department was known are set aside
 * once it is known to lie outside the client's scope — kept, listed with the reason, never evaluated.
 */
import assert from "node:assert/strict";
import { Hono } from "hono";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import type { CaseEvent } from "../../rules/types.ts";
import type { Env } from "../app.ts";

import { installSecurity } from "../auth/install.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import { testPasswordHash } from "../auth/test_support.ts";
import { createUser } from "../auth/users.ts";
import { DomainError } from "../errors.ts";
import { ingestEvents, type IngestReport } from "./ingest.ts";
import { casePageRoutes } from "../routes/case_pages.tsx";
import { acceptedEvent, ingestClient, openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const X = TEST_ITEM.department;
const Y = "410300-SCJGJ";
const itemY = { ...TEST_ITEM, code: "410300-TEST-0001", department: Y };
assert.equal(
  (await t.send("PUT", "/api/v1/departments", [{ code: Y, name: "洛阳市市场监督管理局", region: "410300" }]))
    .status,
  200,
);
assert.equal((await t.send("PUT", "/api/v1/items", [itemY])).status, 200);

const client = (username: string, departments: string[], senderKind?: "evaluation") =>
  ingestClient(t, username, departments, senderKind);
const A = await client("client-x", [X]);
const B = await client("client-y", [Y]);
const C = await client("client-xy", [X, Y]);

async function push(events: unknown[], who: Record<string, string>): Promise<[number, IngestReport]> {
  const res = await t.send("POST", "/api/v1/events", events, who);
  return [res.status, await res.json()];
}

// Online: the test hall is 郑州's, and a 洛阳 case may not be placed in it.
const received = (id: string, c: string, item = itemY.code) => ({
  ...receivedEvent(id, c, "2026-02-23T09:00:00+08:00"),
  item,
  channel: "online",
  hall: undefined,
});
const accepted = (id: string, c: string) => acceptedEvent(id, c, "2026-02-23T10:00:00+08:00");
// A charge on an item with no fee standard: an 8.4 red card when evaluated.
const fee = (id: string, c: string) => ({
  id,
  case: c,
  type: "fee",
  at: "2026-02-24T10:00:00+08:00",
  kind: "charge",
  amount: 100,
  basis: "",
});

async function stored(caseId: string) {
  return await query<{ id: string; sender: string; quarantined: string | null }>(
    t.database.db,
    sql`select id, sender, quarantined from events where case_id = ${caseId} order by seq`,
  );
}

async function result(caseId: string) {
  const res = await t.send("GET", `/api/v1/cases/${caseId}`);
  assert.equal(res.status, 200);
  return await res.json() as { status: string; alerts: { rule: string; level: string }[] };
}

/** A case of 洛阳 whose accepted and fee client-x pushed before client-y's received: both held. */
async function quarantinedCase(c: string) {
  assert.deepEqual(await push([accepted(`${c}-a`, c), fee(`${c}-f`, c)], A), [
    200,
    { stored: 2, duplicates: 0, refused: [] },
  ]);
  assert.deepEqual(await push([received(`${c}-r`, c)], B), [200, { stored: 1, duplicates: 0, refused: [] }]);
}

Deno.test("a client's events held before the received are quarantined once the case proves another department's", async () => {
  assert.deepEqual(await push([accepted("K1-a", "K1"), fee("K1-f", "K1")], A), [
    200,
    { stored: 2, duplicates: 0, refused: [] },
  ]);
  assert.deepEqual(await push([received("K1-r", "K1")], B), [200, { stored: 1, duplicates: 0, refused: [] }]);

  const rows = await stored("K1");
  assert.deepEqual(rows.map((r) => [r.id, r.sender, r.quarantined !== null]), [
    ["K1-a", "client-x", true],
    ["K1-f", "client-x", true],
    ["K1-r", "client-y", false],
  ]);
  assert.match(rows[0].quarantined!, /client-x 无权报送部门 410300-SCJGJ/);
  assert.match(rows[0].quarantined!, /may not push for department 410300-SCJGJ/);

  // Not evaluated: not accepted, no 8.4 red card for the fee.
  const r = await result("K1");
  assert.equal(r.status, "received");
  assert.equal(r.alerts.some((a) => a.rule === "8.4"), false);
  const [projection] = await query<{ status: string; event_count: number }>(
    t.database.db,
    sql`select status, event_count from cases where case_id = 'K1'`,
  );
  assert.deepEqual(projection, { status: "received", event_count: 1 });

  // The result is the evaluator's on the events the department's own client sent.
  const { calendar } = t.deps.calendar;
  const want = evaluateCase({
    caseId: "K1",
    events: [received("K1-r", "K1")] as CaseEvent[],
    item: (c) => (c === itemY.code ? itemY : undefined),
    calendar,
    asOf: Date.parse(NOW),
  });
  assert.deepEqual(r, want.result);
});

Deno.test("the case view lists quarantined events apart, with sender and reason", async () => {
  await quarantinedCase("Q1");
  const view = await (await t.send("GET", "/api/v1/cases/Q1/view")).json();
  assert.deepEqual(view.timeline.map((e: { id: string }) => e.id), ["Q1-r"]);
  assert.deepEqual(
    view.quarantined.map((q: { id: string; type: string; sender: string }) => [q.id, q.type, q.sender]),
    [["Q1-a", "accepted", "client-x"], ["Q1-f", "fee", "client-x"]],
  );
  assert.match(view.quarantined[1].reason, /410300-SCJGJ/);
  assert.equal(view.quarantined[1].fields.amount, 100);
});

Deno.test("the case page shows the quarantined events as 已隔离 with the reason", async () => {
  await quarantinedCase("Q2");
  const app = new Hono<Env>();
  app.onError((err, c) => {
    if (err instanceof DomainError) return c.json({ error: err.message }, err.status);
    throw err;
  });
  installSecurity(app, t.deps);
  app.route("/", casePageRoutes({ ...t.deps, manifest: { "app.css": "/x.css" } }));
  const user = await createUser(
    t.database.db,
    {
      username: "q-province",
      displayName: "省监察",
      role: "province",
      departments: [],
      region: null,
      hall: null,
    },
    Date.parse(NOW),
    { passwordHash: await testPasswordHash() },
  );
  const session = await createSession(t.database.db, user.id, t.deps.clock());
  const res = await app.request("/cases/Q2", { headers: { cookie: `${SESSION_COOKIE}=${session.token}` } });
  assert.equal(res.status, 200);
  const html = await res.text();
  const section = html.slice(html.indexOf('id="quarantined"'));
  assert.match(section, /已隔离事件（2）/);
  assert.match(section, /已隔离：报送方 client-x 无权报送部门 410300-SCJGJ 的办件/);
  assert.match(section, /100 元/);
});

Deno.test("re-sending quarantined events answers duplicates and changes nothing; new events of that client are refused", async () => {
  await quarantinedCase("Q3");
  assert.deepEqual(await push([accepted("Q3-a", "Q3"), fee("Q3-f", "Q3")], A), [
    200,
    { stored: 0, duplicates: 2, refused: [] },
  ]);
  const counts = await query<{ id: string; n: number }>(
    t.database.db,
    sql`select id, count(*)::int as n from events where case_id = 'Q3' group by id order by id`,
  );
  assert.deepEqual(counts.map((c) => [c.id, c.n]), [["Q3-a", 1], ["Q3-f", 1], ["Q3-r", 1]]);
  assert.equal((await stored("Q3")).filter((r) => r.quarantined !== null).length, 2);
  const [status, report] = await push([fee("Q3-f2", "Q3")], A);
  assert.equal(status, 400);
  assert.equal(report.refused[0].field, "case");
});

Deno.test("a legitimate out-of-order batch from the department's own client is never quarantined and is evaluated", async () => {
  assert.equal((await push([accepted("K2-a", "K2"), fee("K2-f", "K2")], B))[0], 200);
  assert.equal((await push([received("K2-r", "K2")], B))[0], 200);
  // And within one batch, received last.
  assert.equal((await push([fee("K3-f", "K3"), accepted("K3-a", "K3"), received("K3-r", "K3")], C))[0], 200);
  for (const c of ["K2", "K3"]) {
    assert.deepEqual((await stored(c)).map((r) => r.quarantined), [null, null, null]);
    const r = await result(c);
    assert.equal(r.status, "accepted");
    assert.ok(r.alerts.some((a) => a.rule === "8.4" && a.level === "red"), c);
  }
});

Deno.test("senders that are not ingest accounts (supervisors, demo, system) are never quarantined", async () => {
  const step = (id: string, c: string) => ({
    id,
    case: c,
    type: "step",
    at: "2026-02-25T09:00:00+08:00",
    name: "审查",
  });
  assert.equal((await ingestEvents(t.deps, [step("K4-s1", "K4")], "test-province")).stored, 1);
  assert.equal((await ingestEvents(t.deps, [step("K4-s2", "K4")], "demo")).stored, 1);
  assert.equal((await ingestEvents(t.deps, [step("K4-s3", "K4")], "test-admin")).stored, 1);
  assert.equal((await push([received("K4-r", "K4")], B))[0], 200);
  assert.deepEqual((await stored("K4")).map((r) => r.quarantined), [null, null, null, null]);
});

Deno.test("a received claiming a case another sender received for another department is stored and held as a data conflict; the first claim stays", async () => {
  assert.equal((await push([received("K5-r", "K5")], B))[0], 200);
  // client-xy may push for both departments, but K5 is already 洛阳's: a data conflict, not a refusal.
  const [status, report] = await push([received("K5-r2", "K5", TEST_ITEM.code)], C);
  assert.equal(status, 200);
  assert.deepEqual([report.stored, report.refused], [1, []]);
  assert.deepEqual(report.warnings?.map((w) => [w.id, w.field]), [["K5-r2", "case"]]);
  assert.doesNotMatch(report.warnings![0].warning, /410300/, "the other department is not named");
  // A received of the case's own department from that sender counts; its claim for 郑州 stays held.
  assert.equal((await push([{ ...received("K5-r3", "K5"), at: "2026-02-23T11:00:00+08:00" }], C))[0], 200);
  assert.deepEqual((await stored("K5")).map((r) => [r.id, r.quarantined !== null]), [
    ["K5-r", false],
    ["K5-r2", true],
    ["K5-r3", false],
  ]);
  assert.equal((await result("K5")).status, "received");
});

Deno.test("an item arriving after its cases' received quarantines the out-of-scope events held for them", async () => {
  const late = { ...itemY, code: "410300-TEST-0002" };
  assert.equal((await push([accepted("K6-a", "K6")], A))[0], 200);
  // B names an item the catalogue does not have yet: the department is unknown, everything is held.
  assert.equal((await push([received("K6-r", "K6", late.code)], B))[0], 200);
  assert.deepEqual((await stored("K6")).map((r) => r.quarantined), [null, null]);
  const res = await t.send("PUT", "/api/v1/items", [late]);
  assert.equal(res.status, 200);
  assert.equal((await res.json()).recalculated, 1);
  assert.deepEqual((await stored("K6")).map((r) => [r.id, r.quarantined !== null]), [
    ["K6-a", true],
    ["K6-r", false],
  ]);
  assert.equal((await result("K6")).status, "received");
});

Deno.test("a single sender's held events are quarantined when their late item belongs to another department", async () => {
  const late = { ...itemY, code: "410300-TEST-0003" };
  // A names an item the catalogue does not have yet: nothing can be checked, everything is held.
  assert.equal((await push([received("K7-r", "K7", late.code), accepted("K7-a", "K7")], A))[0], 200);
  assert.deepEqual((await stored("K7")).map((r) => r.quarantined), [null, null]);
  const res = await t.send("PUT", "/api/v1/items", [late]);
  assert.equal(res.status, 200);
  assert.deepEqual((await stored("K7")).map((r) => [r.id, r.quarantined !== null]), [
    ["K7-r", true],
    ["K7-a", true],
  ]);
  // Nothing of the case is evaluated any more: the case API knows no such case.
  assert.equal((await t.send("GET", "/api/v1/cases/K7")).status, 404);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
