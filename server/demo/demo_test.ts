import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "./henan.ts";
import { HENAN_ITEMS } from "./henan_items.ts";
import { startDemoPusher } from "./pusher.ts";
import { Random } from "./random.ts";
import { DEMO_TEST_START, openDemoTest, pushTicks } from "./testing.ts";
import { seedDemo } from "./seed.ts";

// One database for the whole file (PGlite is slow to start), seeded once on first use.
const demo = await openDemoTest();
const { database, deps } = demo;
const NOW = DEMO_TEST_START;
let seeding: ReturnType<typeof seedDemo> | null = null;
/** The demo data set seeded into the file's database, once: what every test starts from. */
const seeded = () => seeding ??= seedDemo(deps, { now: NOW, cases: 600, seed: 7 });
const count = async (table: string) =>
  Number((await query<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n);

Deno.test({
  name: "seedDemo fills an empty database with the reference data and cases that raise alerts of many rules",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const report = await seeded();
    assert.equal(report.seeded, true);
    assert.equal(report.refused, 0);
    assert.equal(await count("regions"), HENAN_REGIONS.length);
    assert.equal(await count("departments"), HENAN_DEPARTMENTS.length);
    assert.equal(await count("halls"), HENAN_HALLS.length);
    assert.equal(await count("items"), HENAN_ITEMS.length);
    assert.equal(await count("events"), report.stored);
    assert.equal(await count("cases"), report.cases);
    assert.ok(report.cases > 550, `only ${report.cases} cases`);

    const statuses = await query<{ status: string; n: number }>(
      database.db,
      sql`select status, count(*)::int as n from cases group by status`,
    );
    const by = Object.fromEntries(statuses.map((r) => [r.status, Number(r.n)]));
    assert.ok(by.completed > by.accepted, `more completed than in progress: ${JSON.stringify(by)}`);
    assert.ok(by.accepted > 0 && by.rejected > 0, JSON.stringify(by));

    const rules = await query<{ rule: string }>(database.db, sql`select distinct rule from alerts`);
    const ids = new Set(rules.map((r) => r.rule));
    for (const rule of ["8.1", "8.5b", "8.7", "8.10"]) {
      assert.ok(ids.has(rule), `no ${rule} alert: ${[...ids]}`);
    }
    assert.ok(ids.size >= 8, `alerts of only ${ids.size} rules: ${[...ids]}`);
    const sender = await query<{ sender: string }>(database.db, sql`select distinct sender from events`);
    assert.deepEqual(sender.map((r) => r.sender), ["demo"]);
  },
});

Deno.test({
  name: "seedDemo does nothing when the database already has cases",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await seeded();
    const before = await count("events");
    const report = await seedDemo(deps, { now: NOW, cases: 600, seed: 8 });
    assert.equal(report.seeded, false);
    assert.equal(await count("events"), before);
  },
});

Deno.test({
  name: "pushOnce moves the demo on: new cases, acceptances, completions, certificates, 0 refused",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await seeded();
    const stored = await pushTicks(demo, new Random(3), 40);
    assert.ok(stored > 100, `only ${stored} events in 40 ticks`);
    const types = await query<{ type: string }>(
      database.db,
      sql`select distinct type from events where id like '%-P%' order by type`,
    );
    const pushed = new Set(types.map((r) => r.type));
    for (const t of ["received", "accepted", "step", "completed", "certificate_uploaded", "evaluation"]) {
      assert.ok(pushed.has(t), `no ${t} pushed: ${[...pushed]}`);
    }
    // New cases with a promise of 1–2 days warn at acceptance: the wall screen sees fresh warnings.
    const warned = await query<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from alerts a join cases c on c.case_id = a.case_id
          where a.rule = '8.1' and a.level = 'warning' and length(a.case_id) = 23`,
    );
    assert.ok(Number(warned[0].n) > 0, "no 8.1 warning on a pushed case");
  },
});

Deno.test({
  name: "startDemoPusher ticks until stopped and pushes nothing after stop()",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await seeded();
    const reports: number[] = [];
    const pusher = startDemoPusher(deps, {
      intervalMs: 5,
      seed: 11,
      onTick: (r) => {
        assert.deepEqual(r.refused, []);
        reports.push(r.stored);
        demo.clock.now += 30_000;
      },
    });
    for (let i = 0; i < 200 && reports.length < 5; i++) await new Promise((r) => setTimeout(r, 20));
    await pusher.stop();
    assert.ok(reports.length >= 5, `only ${reports.length} ticks`);
    const before = await count("events");
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await count("events"), before);
  },
});

Deno.test.afterAll(() => database.drop());
