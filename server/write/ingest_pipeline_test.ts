/**
 * Ingestion's pipeline order (server/write/ingest.ts storeBatch): the locks and reads are sent for what
 * the events as sent name, before they are validated, and the cases are evaluated and written in parts.
 * Neither may change an answer or a stored figure.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { endOfDay } from "../../rules/dates.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import { generateCases, toNdjson } from "../../rules/gen.ts";
import { tallyKeys } from "../reports/tally_keys.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";
import type { AppDeps } from "../deps.ts";
import { contributions } from "./counts.ts";
import { ingestEvents, type IngestReport, reportStatus } from "./ingest.ts";
import { EVALUATION_PART } from "./recalc.ts";

const TO = "2024-11-15";
const NOW = endOfDay(TO);
const t = await openTestApp(new Date(NOW).toISOString());
const at = "2024-11-11T09:00:00+08:00";
const accepted = (id: string, c: string) => ({ id, case: c, type: "accepted", at, handler: "李四" });

async function push(body: unknown, headers: Record<string, string> = {}): Promise<[number, IngestReport]> {
  const res = await t.send("POST", "/api/v1/events", body, { authorization: t.auth.ingest, ...headers });
  return [res.status, await res.json()];
}

const caseRows = async (prefix: string) =>
  (await query<{ case_id: string; status: string }>(
    t.database.db,
    sql`select case_id, status from cases where case_id like ${prefix + "%"} order by case_id`,
  )).map((r) => [r.case_id, r.status]);

Deno.test("a batch mixing refused, repeated and fresh events answers each as when validated first", async () => {
  assert.deepEqual(await push([receivedEvent("M1-r", "M1", at), accepted("M1-a", "M1")]), [
    200,
    { stored: 2, duplicates: 0, refused: [] },
  ]);
  const [status, report] = await push([
    receivedEvent("M2-r", "M2", at), // 0 fresh
    { id: "M3-a", case: "M3", type: "accepted" }, // 1 no `at`
    { id: "M4-v", case: "M4", type: "review", at, action: "void", rule: "8.1", reason: "x", by: "s" }, // 2 type
    { ...accepted("M5-a", "M5\u0000") }, // 3 a NUL in the case: never read
    accepted("M1-a", "M1"), // 4 stored before: a duplicate
    { ...receivedEvent("M1-r", "M1", at), channel: "online" }, // 5 stored before with other content
    receivedEvent("M2-r", "M2", at), // 6 a repeat within the batch
    accepted("M2-a", "M2"), // 7 fresh
    accepted("M6-a", "M".repeat(200)), // 8 case id too long: never read
    { ...receivedEvent("M7-r", "M7", at), hall: "NO-SUCH-HALL" }, // 9 unknown hall
    { ...receivedEvent("M8-r", "M8", at), item: "NO-SUCH-ITEM" }, // 10 unknown item: stored with a warning
  ]);
  assert.equal(status, 207);
  assert.equal(report.stored, 3);
  assert.equal(report.duplicates, 2);
  assert.deepEqual(report.refused.map((r) => [r.index, r.id, r.field]), [
    [1, "M3-a", "at"],
    [2, "M4-v", "type"],
    [3, "M5-a", "case"],
    [5, "M1-r", "id"],
    [8, "M6-a", "case"],
    [9, "M7-r", "hall"],
  ]);
  assert.deepEqual(report.warnings?.map((w) => [w.index, w.id, w.field]), [[10, "M8-r", "item"]]);
  assert.deepEqual(await caseRows("M"), [["M1", "accepted"], ["M2", "accepted"], ["M8", "incomplete"]]);
});

Deno.test("a batch with no valid event is answered 400 with its refusals also while the database is down", async () => {
  const down = Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), {
    code: "CONNECTION_CLOSED",
  });
  const db = new Proxy(t.deps.database.db, {
    get: (target, key) => key === "transaction" ? () => Promise.reject(down) : Reflect.get(target, key),
  });
  const deps: AppDeps = { ...t.deps, database: { ...t.deps.database, db } };
  const report = await ingestEvents(deps, [
    { id: "D1-a", case: "D1", type: "accepted" },
    { ...accepted("D2-a", "D2"), at: "not an instant" },
  ], "test-ingest");
  assert.deepEqual(report.refused.map((r) => [r.index, r.id, r.field]), [[0, "D1-a", "at"], [
    1,
    "D2-a",
    "at",
  ]]);
  assert.deepEqual([report.stored, report.duplicates, reportStatus(report)], [0, 0, 400]);
  assert.deepEqual(await caseRows("D"), []);
});

Deno.test("a batch of more cases than one evaluation part stores every case and counts each once", async () => {
  const generated = generateCases({
    seed: 7,
    cases: 2 * EVALUATION_PART + 20,
    from: "2024-09-20",
    to: TO,
    casePrefix: "Q",
  });
  const items = new Map([...generated.items, TEST_ITEM].map((i) => [i.code, i]));
  assert.equal((await t.send("PUT", "/api/v1/items", generated.items)).status, 200);
  assert.equal(
    (await t.send("PUT", "/api/v1/regions", [{ code: "410000", name: "河南省", parent: null }])).status,
    200,
  );
  const halls = ["410100-HALL-01", "410100-HALL-02", "410200-HALL-01"].map((code) => ({
    code,
    name: code,
    region: "410000",
  }));
  assert.equal((await t.send("PUT", "/api/v1/halls", halls)).status, 200);
  type Counter = {
    department: string;
    hall: string;
    metric: string;
    rule: string;
    day: string;
    value: number;
  };
  const counters = async () =>
    new Map(
      (await query<Counter>(
        t.database.db,
        sql`select department, hall, metric, rule, day, value from counters`,
      ))
        .map((r) => [`${r.department}|${r.hall}|${r.metric}|${r.rule}|${r.day}`, Number(r.value)]),
    );
  const before = await counters();

  // As a deployment sends them: the lifecycle from the department system (every case in one batch),
  // evaluations from the evaluation platform, reviews from supervisors.
  const res = await t.send("POST", "/api/v1/events", toNdjson(generated.events), {
    "content-type": "application/x-ndjson",
  });
  const report = await res.json();
  assert.equal(res.status, 200, JSON.stringify(report.refused?.slice(0, 3)));
  assert.equal(report.stored, generated.events.length);

  const byCase = Map.groupBy(generated.events, (e) => e.case);
  assert.ok(byCase.size > 2 * EVALUATION_PART, "more cases than two parts");
  const stored = new Map(
    (await query<{ case_id: string; result: unknown }>(
      t.database.db,
      sql`select case_id, result from cases where case_id like 'Q%'`,
    )).map((r) => [r.case_id, typeof r.result === "string" ? JSON.parse(r.result) : r.result]),
  );
  assert.equal(stored.size, byCase.size);
  const want = new Map<string, number>();
  for (const [caseId, events] of byCase) {
    const ev = evaluateCase({
      caseId,
      events,
      item: (c) => items.get(c),
      calendar: builtinCalendar(),
      asOf: NOW,
    });
    assert.deepEqual(stored.get(caseId), JSON.parse(JSON.stringify(ev.result)), caseId);
    const promised = ev.itemCode ? items.get(ev.itemCode)?.promisedDays ?? null : null;
    for (const key of [...contributions(ev), ...tallyKeys(ev, promised)]) {
      const k = `${ev.department}|${ev.hall ?? ""}|${key}`;
      want.set(k, (want.get(k) ?? 0) + 1);
    }
  }
  // What the batch added to the counters: each case's contributions, once.
  const added = new Map<string, number>();
  for (const [k, v] of await counters()) {
    const d = v - (before.get(k) ?? 0);
    if (d !== 0) added.set(k, d);
  }
  assert.deepEqual(added, want);
});
