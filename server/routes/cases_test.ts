import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { endOfDay } from "../../rules/dates.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import { generateCases, toNdjson } from "../../rules/gen.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { contributions } from "../write/counts.ts";
import { tallyKeys } from "../reports/tally_keys.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const TO = "2024-11-15";
const NOW = endOfDay(TO);
const t = await openTestApp(new Date(NOW).toISOString());
const generated = generateCases({ seed: 7, cases: 60, from: "2024-09-20", to: TO, casePrefix: "G" });
const calendar = builtinCalendar();

const items = new Map([...generated.items, TEST_ITEM].map((i) => [i.code, i]));

function expected(caseId: string) {
  return evaluateCase({
    caseId,
    events: generated.events.filter((e) => e.case === caseId),
    item: (c) => items.get(c),
    calendar,
    asOf: NOW,
  });
}

/** The evaluator's answer at NOW for a case of the given events, all naming `item`. */
function evaluatedWith(caseId: string, events: readonly unknown[], item: typeof TEST_ITEM) {
  return evaluateCase({ caseId, events: events as CaseEvent[], item: () => item, calendar, asOf: NOW });
}

const caseIds = [...new Set(generated.events.map((e) => e.case))].sort();

/** The file's world, built once before its tests: the generated items and events, all accepted. */
async function loadGenerated(): Promise<void> {
  assert.equal((await t.send("PUT", "/api/v1/items", generated.items)).status, 200);
  // The generator's halls, registered where ingestion accepts them for every generated department (a
  // region above all of theirs).
  const halls = ["410100-HALL-01", "410100-HALL-02", "410200-HALL-01"].map((code) => ({
    code,
    name: code,
    region: "410000",
  }));
  assert.equal(
    (await t.send("PUT", "/api/v1/regions", [{ code: "410000", name: "河南省", parent: null }])).status,
    200,
  );
  assert.equal((await t.send("PUT", "/api/v1/halls", halls)).status, 200);
  const res = await t.send("POST", "/api/v1/events", toNdjson(generated.events), {
    "content-type": "application/x-ndjson",
  });
  const report = await res.json();
  assert.equal(res.status, 200, JSON.stringify(report.refused?.slice(0, 3)));
  assert.equal(report.stored, generated.events.length);
}
await loadGenerated();

Deno.test("GET /cases/:case equals the evaluator's object, and so does the stored projection", async () => {
  const stored = new Map(
    (await query<{ case_id: string; result: unknown }>(t.database.db, sql`select case_id, result from cases`))
      .map((r) => [r.case_id, typeof r.result === "string" ? JSON.parse(r.result) : r.result]),
  );
  for (const id of caseIds) {
    const res = await t.send("GET", `/api/v1/cases/${encodeURIComponent(id)}`);
    assert.equal(res.status, 200);
    const want = expected(id).result;
    assert.deepEqual(await res.json(), JSON.parse(JSON.stringify(want)), id);
    assert.deepEqual(stored.get(id), JSON.parse(JSON.stringify(want)), id);
  }
});

Deno.test("the live counters equal the contributions of the stored cases", async () => {
  const want = new Map<string, number>();
  for (const id of caseIds) {
    const ev = expected(id);
    // The live counts' keys and the rankings' tallies: apply keeps both in `counters`.
    const promised = ev.itemCode ? items.get(ev.itemCode)?.promisedDays ?? null : null;
    for (const key of [...contributions(ev), ...tallyKeys(ev, promised)]) {
      const k = `${ev.department}|${ev.hall ?? ""}|${key}`;
      want.set(k, (want.get(k) ?? 0) + 1);
    }
  }
  assert.ok(want.size > 0);
  const rows = await query<
    { department: string; hall: string; metric: string; rule: string; day: string; value: number }
  >(
    t.database.db,
    sql`select department, hall, metric, rule, day, value from counters where value <> 0`,
  );
  const got = new Map(
    rows.map((r) => [`${r.department}|${r.hall}|${r.metric}|${r.rule}|${r.day}`, Number(r.value)]),
  );
  assert.deepEqual(got, want);
});

Deno.test("an unknown case is answered 404", async () => {
  const res = await t.send("GET", "/api/v1/cases/NOPE");
  assert.equal(res.status, 404);
  await res.body?.cancel();
});

Deno.test("the case view shows the timeline with contact, alerts with names and history, and reviews", async () => {
  const withAlert = caseIds.find((id) => expected(id).result.alerts.length > 0);
  assert.ok(withAlert, "the generated cases include one with an alert");
  const view = await (await t.send("GET", `/api/v1/cases/${withAlert}/view`)).json();
  const ev = expected(withAlert);
  assert.deepEqual(view.result, JSON.parse(JSON.stringify(ev.result)));
  assert.equal(view.timeline.length, ev.timeline.length);
  const received = view.timeline.find((e: { type: string }) => e.type === "received");
  assert.equal(
    received.fields.applicant.contact,
    ev.timeline.find((e) => e.type === "received")!.applicant.contact,
  );
  assert.equal(typeof view.alerts[0].name, "string");
  assert.ok(view.alerts[0].raisedAt.endsWith("+08:00"));
  assert.equal(view.alerts[0].history[0].change, "raised");
  assert.ok(Array.isArray(view.reviews) && Array.isArray(view.findings) && Array.isArray(view.manual));
});

Deno.test("GET /cases lists the projection filtered by status, with a limit", async () => {
  const open = caseIds.filter((id) => expected(id).result.status === "accepted");
  const list = await (await t.send("GET", "/api/v1/cases?status=accepted&limit=1000")).json();
  assert.deepEqual(list.cases.map((r: { case: string }) => r.case).sort(), open);
  assert.equal(list.total, open.length);
  assert.equal(list.next, null);
  for (const r of list.cases) {
    const want = expected(r.case).result;
    assert.deepEqual([r.remaining, r.deadline, r.paused, r.alerts], [
      want.remaining,
      want.deadline,
      want.paused,
      JSON.parse(JSON.stringify(want.alerts)),
    ], r.case);
  }
  const one = await (await t.send("GET", "/api/v1/cases?limit=1")).json();
  assert.equal(one.cases.length, 1);
  assert.ok(one.next);
  assert.equal((await t.send("GET", "/api/v1/cases?limit=0")).status, 400);
});

Deno.test("GET /queue lists the open manual supervision items with their age in working days", async () => {
  const want = caseIds.flatMap((id) => expected(id).manual.filter((m) => m.closedAt === null).map(() => id));
  assert.ok(want.length > 0, "the generated cases open manual supervision items");
  const queue = await (await t.send("GET", "/api/v1/queue")).json();
  assert.deepEqual(queue.map((q: { case: string }) => q.case).sort(), want.sort());
  for (const q of queue) assert.ok(Number.isInteger(q.ageWorkdays) && q.ageWorkdays >= 0);
});

Deno.test("PUT /items refuses an invalid element naming its index and field", async () => {
  const res = await t.send("PUT", "/api/v1/items", [TEST_ITEM, {
    ...TEST_ITEM,
    code: "X",
    promisedDays: 99,
  }]);
  assert.equal(res.status, 400);
  const body = await res.json();
  assert.deepEqual(body.details.errors.map((e: { index: number; field: string }) => [e.index, e.field]), [[
    1,
    "promisedDays",
  ]]);
  assert.match(body.error, /items\[1\]\.promisedDays/);
});

Deno.test("an item arriving late re-evaluates the incomplete cases that name it", async () => {
  const late = { ...TEST_ITEM, code: "410000-LATE-0001" };
  const events = [
    { ...receivedEvent("L1-r", "L1", "2024-11-14T09:00:00+08:00"), item: late.code },
    { id: "L1-a", case: "L1", type: "accepted", at: "2024-11-14T10:00:00+08:00" },
  ];
  assert.equal((await t.send("POST", "/api/v1/events", events)).status, 200);
  assert.equal((await (await t.send("GET", "/api/v1/cases/L1")).json()).status, "incomplete");
  const res = await t.send("PUT", "/api/v1/items", [late]);
  assert.deepEqual(await res.json(), { stored: 1, recalculated: 1 });
  const rows = await query<{ status: string }>(
    t.database.db,
    sql`select status from cases where case_id = 'L1'`,
  );
  const want = evaluatedWith("L1", events, late);
  assert.equal(rows[0].status, want.result.status);
  assert.equal(want.result.status, "accepted");
});

Deno.test("an item saved again unchanged re-evaluates none of its cases, a changed one its open cases", async () => {
  const own = { ...TEST_ITEM, code: "410000-SAME-0001" };
  assert.deepEqual(await (await t.send("PUT", "/api/v1/items", [own])).json(), {
    stored: 1,
    recalculated: 0,
  });
  const events = [
    { ...receivedEvent("S1-r", "S1", "2024-11-14T09:00:00+08:00"), item: own.code },
    { id: "S1-a", case: "S1", type: "accepted", at: "2024-11-14T10:00:00+08:00" },
  ];
  assert.equal((await t.send("POST", "/api/v1/events", events)).status, 200);
  assert.deepEqual(await (await t.send("PUT", "/api/v1/items", [own])).json(), {
    stored: 1,
    recalculated: 0,
  });
  const longer = { ...own, promisedDays: own.promisedDays + 1 };
  assert.deepEqual(await (await t.send("PUT", "/api/v1/items", [longer])).json(), {
    stored: 1,
    recalculated: 1,
  });
  const want = evaluatedWith("S1", events, longer);
  const [row] = await query<{ deadline: string | null }>(
    t.database.db,
    sql`select deadline::text from cases where case_id = 'S1'`,
  );
  assert.equal(row.deadline, want.result.deadline);
});

Deno.test("an item moved to another department re-evaluates the open cases kept under the old one", async () => {
  const other = generated.items.find((i) => i.department !== TEST_ITEM.department);
  assert.ok(other, "the generator has another department");
  const moving = { ...TEST_ITEM, code: "410000-MOVE-0001" };
  assert.equal((await t.send("PUT", "/api/v1/items", [moving])).status, 200);
  const events = [{ ...receivedEvent("M1-r", "M1", "2024-11-14T09:00:00+08:00"), item: moving.code }];
  assert.equal((await t.send("POST", "/api/v1/events", events)).status, 200);
  const moved = { ...moving, department: other.department };
  assert.deepEqual(await (await t.send("PUT", "/api/v1/items", [moved])).json(), {
    stored: 1,
    recalculated: 1,
  });
  const [row] = await query<{ department: string }>(
    t.database.db,
    sql`select department from cases where case_id = 'M1'`,
  );
  assert.equal(row.department, other.department);
});

Deno.test("reference lists read back what was put", async () => {
  const halls = await (await t.send("GET", "/api/v1/halls")).json();
  assert.deepEqual(halls.find((h: { code: string }) => h.code === "410100-HALL"), {
    code: "410100-HALL",
    name: "郑州市政务服务大厅",
    region: "410100",
  });
  assert.equal(halls.length, 4, "the test hall and the generator's three");
  const bad = await t.send("PUT", "/api/v1/regions", [{ code: "41", name: "河南" }]);
  assert.equal(bad.status, 400);
  assert.deepEqual((await bad.json()).details.errors[0].field, "code");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
