import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { openTestDatabase } from "../../db/testing.ts";
import { epochMs } from "../../rules/dates.ts";
import type { AppDeps } from "../deps.ts";
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "./henan.ts";
import { HENAN_ITEMS } from "./henan_items.ts";
import { seedDemo } from "./seed.ts";

// One database for the whole file (PGlite is slow to start); the tests run in order.
const database = await openTestDatabase();
const NOW = epochMs("2024-10-16T15:00:00+08:00");
const deps: AppDeps = { database, clock: () => NOW, demo: true };
const count = async (table: string) =>
  Number((await query<{ n: number }>(database.db, sql.raw(`select count(*)::int as n from ${table}`)))[0].n);

Deno.test({
  name: "seedDemo fills an empty database with the reference data and cases that raise alerts of many rules",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const report = await seedDemo(deps, { now: NOW, cases: 600, seed: 7 });
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
    const before = await count("events");
    const report = await seedDemo(deps, { now: NOW, cases: 600, seed: 8 });
    assert.equal(report.seeded, false);
    assert.equal(await count("events"), before);
  },
});

Deno.test({
  name: "the test database is dropped",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: () => database.drop(),
});
