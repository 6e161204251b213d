/**
 * The server agrees with `deno task evaluate`: generated cases pushed through `POST /api/v1/events` in a
 * random order, in random batches, with events re-sent, give for every case the line the command
 * prints, and the stored alerts are the evaluator's. Then a restart several working days later (across
 * the National Day holiday): the scheduler of a new app on the same database applies each time-driven
 * transition exactly once, and the stored alerts and counters equal a fresh evaluation.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../db/client.ts";
import { runEvaluate } from "../rules/cli.ts";
import { builtinCalendar } from "../rules/builtin_calendar.ts";
import { endOfDay } from "../rules/dates.ts";
import { evaluateCase } from "../rules/evaluate.ts";
import { generateCases, mulberry32, toNdjson } from "../rules/gen.ts";
import type { CaseEvent, CaseResult } from "../rules/types.ts";
import { createApp } from "./app.ts";
import { contributions } from "./write/counts.ts";
import { tallyKeys } from "./reports/tally_keys.ts";
import type { AppDeps } from "./deps.ts";
import { startScheduler } from "./write/scheduler.ts";
import { openTestApp, TEST_INGEST_DEPARTMENTS, type TestApp } from "./testing.ts";

// Friday before National Day 2024 (Oct 1–7 off; Sun Sep 29 and Sat Oct 12 are working days).
const TO = "2024-09-27";
const LATER = "2024-10-10";
// One app per file, opened before the first test that runs, dropped after the last.
let t: TestApp;
Deno.test.beforeAll(async () => {
  t = await openTestApp(new Date(endOfDay(TO)).toISOString());
});
Deno.test.afterAll(() => t.database.drop());
const gen = generateCases({ seed: 927, cases: 300, from: "2024-07-15", to: TO, casePrefix: "AG" });
const items = new Map(gen.items.map((i) => [i.code, i]));
const rand = mulberry32(20240927);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));

/** The events in a random order, and the batches they were sent in (with re-sent duplicates). */
const shuffled = [...gen.events];
for (let i = shuffled.length - 1; i > 0; i--) {
  const j = int(0, i);
  [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
}
const batches: CaseEvent[][] = [];
for (let at = 0; at < shuffled.length;) {
  const fresh = shuffled.slice(at, at += int(1, 120));
  const again = at > fresh.length ? Array.from({ length: int(0, 4) }, () => shuffled[int(0, at - 1)]) : [];
  batches.push([...fresh, ...again].sort(() => rand() - 0.5));
}
const sentNdjson = batches.flat();

/** What `deno task evaluate` prints as of the end of a date, by case. */
function cliLines(asOf: string): Map<string, CaseResult> {
  const files: Record<string, string> = {
    "items.json": JSON.stringify(gen.items),
    "events.ndjson": toNdjson(sentNdjson),
  };
  const out = runEvaluate(
    ["--items", "items.json", "--events", "events.ndjson", "--as-of", asOf],
    (p) => files[p],
  );
  assert.equal(out.code, 0, out.stderr);
  const lines = out.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as CaseResult);
  return new Map(lines.map((r) => [r.case, r]));
}

type AlertRow = { id: number; case_id: string; rule: string; subject: string; level: string; on: string };
const identity = (c: string, a: { rule: string; subject: string | null; level: string; on: string }) =>
  `${c}|${a.rule}|${a.subject ?? ""}|${a.level}|${a.on}`;

/** The stored unwithdrawn alerts, as the evaluator reports them, by case. */
async function storedAlerts(): Promise<{ byCase: Map<string, string[]>; ids: Map<string, number> }> {
  const rows = await query<AlertRow & { resolved_on: string | null; voided_on: string | null }>(
    t.database.db,
    sql`select id, case_id, rule, subject, level, "on"::text as "on", resolved_on::text as resolved_on,
        voided_on::text as voided_on from alerts where withdrawn_at is null`,
  );
  const byCase = new Map<string, string[]>();
  const ids = new Map<string, number>();
  for (const r of rows) {
    const alert = {
      rule: r.rule,
      level: r.level,
      on: r.on,
      subject: r.subject || null,
      resolved: r.resolved_on,
    };
    const text = JSON.stringify(r.voided_on ? { ...alert, voided: r.voided_on } : alert);
    byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), text].sort());
    ids.set(identity(r.case_id, alert), Number(r.id));
  }
  return { byCase, ids };
}

const alertTexts = (r: CaseResult) =>
  r.alerts.map((a) =>
    JSON.stringify({
      rule: a.rule,
      level: a.level,
      on: a.on,
      subject: a.subject,
      resolved: a.resolved,
      ...(a.voided ? { voided: a.voided } : {}),
    })
  ).sort();

async function assertAgreement(
  app: ReturnType<typeof createApp>,
  want: Map<string, CaseResult>,
  now: number,
) {
  const headers = await t.sessionFor("province", now);
  const stored = await query<{ case_id: string }>(t.database.db, sql`select case_id from cases order by 1`);
  assert.deepEqual(stored.map((r) => r.case_id), [...want.keys()].sort());
  const { byCase } = await storedAlerts();
  for (const [caseId, line] of want) {
    const res = await app.request(`/api/v1/cases/${caseId}`, { headers });
    assert.equal(res.status, 200, caseId);
    assert.deepEqual(await res.json(), line, caseId);
    assert.deepEqual(byCase.get(caseId) ?? [], alertTexts(line), `stored alerts of ${caseId}`);
  }
}

/** The reference data and every batch pushed, once per file: the scenario the tests look at. */
let pushing: Promise<{ stored: number; duplicates: number }> | null = null;
const pushed = () => pushing ??= pushAll();

async function pushAll(): Promise<{ stored: number; duplicates: number }> {
  const departments = TEST_INGEST_DEPARTMENTS.map((code) => ({ code, name: code, region: code.slice(0, 6) }));
  const regions = [
    { code: "410000", name: "河南省", parent: null },
    ...[...new Set(departments.map((d) => d.region))].map((code) => ({ code, name: code, parent: "410000" })),
  ];
  // The generator tags cases with any of three halls whatever their department: registered at the
  // province level, so that each lies in a region above every department's (ingestion checks that).
  const halls = ["410100-HALL-01", "410100-HALL-02", "410200-HALL-01"].map((code) => ({
    code,
    name: code,
    region: "410000",
  }));
  for (
    const [path, body] of [
      ["regions", regions],
      ["departments", departments],
      ["halls", halls],
      ["items", gen.items],
    ] as const
  ) {
    assert.equal((await t.send("PUT", `/api/v1/${path}`, body)).status, 200, path);
  }
  let stored = 0, duplicates = 0;
  for (const [i, batch] of batches.entries()) {
    const ndjson = i % 2 === 1;
    const res = await t.send(
      "POST",
      "/api/v1/events",
      ndjson ? toNdjson(batch) : batch,
      ndjson ? { "content-type": "application/x-ndjson" } : {},
    );
    const report = await res.json();
    assert.equal(res.status, 200, JSON.stringify(report.refused?.slice(0, 2)));
    stored += report.stored;
    duplicates += report.duplicates;
  }
  return { stored, duplicates };
}

Deno.test("every batch of a random arrival is accepted and the re-sent events are recognised as duplicates", async () => {
  const { stored, duplicates } = await pushed();
  assert.equal(stored, gen.events.length);
  assert.equal(duplicates, sentNdjson.length - gen.events.length);
  assert.ok(duplicates > 0 && batches.length > 10);
});

Deno.test("after random arrival: every case's API object and stored alerts equal `deno task evaluate`", async () => {
  await pushed();
  const want = cliLines(TO);
  assert.ok(want.size > 250);
  assert.ok([...want.values()].some((r) => r.alerts.some((a) => a.level === "red")));
  await assertAgreement(t.app, want, t.deps.clock());
});

Deno.test("a restart with transitions due applies each exactly once; alerts and counters equal a fresh evaluation", async () => {
  await pushed();
  const before = await storedAlerts();
  const [{ max }] = await query<{ max: number | null }>(
    t.database.db,
    sql`select max(id) as max from alert_history`,
  );
  const historyBefore = Number(max ?? 0);

  // A new process on the same database, its clock five working days later, across the holiday.
  const deps: AppDeps = { database: t.database, clock: () => endOfDay(LATER), calendar: t.deps.calendar };
  const app = createApp(deps);
  const scheduler = startScheduler(deps, { background: false, batchSize: 40 });
  const runs: number[] = [];
  for (let n = await scheduler.runOnce(); n > 0; n = await scheduler.runOnce()) {
    runs.push(n);
    assert.ok(runs.length < 20, "the scheduler converges");
  }
  await scheduler.stop();
  assert.ok(runs.length > 0 && runs[0] > 0, "cases were due after the restart");

  const want = cliLines(LATER);
  await assertAgreement(app, want, deps.clock());

  // Alerts that existed keep their ids; new history rows are exactly the transitions since then.
  const after = await storedAlerts();
  const added = await query<{ alert_id: number; change: string; on: string | null }>(
    t.database.db,
    sql`select alert_id, change, "on"::text as "on" from alert_history where id > ${historyBefore} order by id`,
  );
  const addedBy = Map.groupBy(added, (h) => Number(h.alert_id));
  let transitions = 0;
  for (const [caseId, line] of want) {
    for (const a of line.alerts) {
      const key = identity(caseId, a);
      const id = after.ids.get(key)!;
      const changes = (addedBy.get(id) ?? []).map((h) => `${h.change}:${h.on ?? ""}`);
      const old = before.byCase.get(caseId)?.map((s) => JSON.parse(s)).find((o) =>
        identity(caseId, o) === key
      );
      const expected = old
        ? (old.resolved === a.resolved ? [] : [`resolved:${a.resolved}`])
        : [`raised:${a.on}`, ...(a.resolved ? [`resolved:${a.resolved}`] : [])];
      if (old) assert.equal(id, before.ids.get(key), `${key} keeps its id`);
      assert.deepEqual(changes, expected, key);
      transitions += changes.length;
    }
  }
  assert.equal(added.length, transitions, "no history row outside the expected transitions");
  assert.ok(transitions > 0);
  const raised = await query<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from alerts a
        where (select count(*) from alert_history h where h.alert_id = a.id and h.change = 'raised') <> 1`,
  );
  assert.equal(raised[0].n, 0, "one 'raised' per alert");

  // Counters: the sum of every case's contributions (live and ranking keys) under a fresh evaluation.
  const received = new Map(
    gen.events.flatMap((e) => (e.type === "received" ? [[e.case, e] as const] : [])),
  );
  const byCase = Map.groupBy(gen.events, (e) => e.case);
  const calendar = builtinCalendar();
  const counts = new Map<string, number>();
  for (const [caseId, result] of want) {
    const r = received.get(caseId);
    const department = r ? items.get(r.item)?.department ?? null : null;
    const ev = evaluateCase({
      caseId,
      events: byCase.get(caseId) ?? [],
      item: (code) => items.get(code),
      calendar,
      asOf: endOfDay(LATER),
    });
    assert.deepEqual(ev.result, result, caseId);
    const promised = r ? items.get(r.item)?.promisedDays ?? null : null;
    for (const key of [...contributions({ department, result }), ...tallyKeys(ev, promised)]) {
      const k = `${department}|${r?.hall ?? ""}|${key}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
  }
  const rows = await query<
    { department: string; hall: string; metric: string; rule: string; day: string; value: number }
  >(
    t.database.db,
    sql`select department, hall, metric, rule, day, value from counters where value <> 0`,
  );
  assert.deepEqual(
    new Map(rows.map((r) => [`${r.department}|${r.hall}|${r.metric}|${r.rule}|${r.day}`, Number(r.value)])),
    counts,
  );

  // A second look changes nothing.
  const again = startScheduler(deps, { background: false });
  assert.equal(await again.runOnce(), 0);
  await again.stop();
});
