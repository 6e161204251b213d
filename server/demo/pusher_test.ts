/**
 * The demo pusher advances only cases the demo itself created: a real sender's open cases — even with
 * case numbers the demo could have made — are never touched by it.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { ingestEvents } from "../write/ingest.ts";
import { HENAN_ITEMS } from "./henan_items.ts";
import { Random } from "./random.ts";
import { DEMO_TEST_START, openDemoTest, pushTicks } from "./testing.ts";
import { DEMO_SENDER, seedDemo } from "./seed.ts";

const demo = await openDemoTest();
const { database, deps } = demo;
const NOW = DEMO_TEST_START;

Deno.test({
  name: "the demo pusher never pushes into a real sender's cases, only into its own",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    // The demo's reference data, no demo cases; then a real platform's open cases, numbered as the
    // demo numbers its own (region, day, serial).
    await seedDemo(deps, { now: NOW, cases: 0, seed: 1 });
    const item = HENAN_ITEMS.find((i) => i.department.startsWith("410100"))!;
    const real: CaseEvent[] = [];
    for (let d = 0; d < 20; d++) {
      const day = new Date(NOW - d * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
      const caseId = `410100${day}${String(d + 1).padStart(5, "0")}`;
      const at = new Date(NOW - d * 86_400_000 - 3600_000).toISOString().replace("Z", "+00:00");
      real.push(
        {
          id: `${caseId}-r`,
          case: caseId,
          type: "received",
          at,
          item: item.code,
          channel: "online",
          applicant: { name: "张三", contact: "13800000000", kind: "person" },
        },
        { id: `${caseId}-a`, case: caseId, type: "accepted", at, handler: "李四" },
      );
    }
    const seeded = await ingestEvents(deps, real, "real-platform");
    assert.deepEqual([seeded.stored, seeded.refused], [real.length, []]);

    const stored = await pushTicks(demo, new Random(5), 40);
    const touched = await query<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from events e
        where e.sender = ${DEMO_SENDER} and exists (
          select 1 from case_claims c where c.case_id = e.case_id and c.sender = 'real-platform')`,
    );
    assert.equal(touched[0].n, 0, "demo events in a real sender's case");
    // …while the demo's own arrivals did move on.
    const own = await query<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from events where sender = ${DEMO_SENDER} and type <> 'received'`,
    );
    assert.ok(stored > 20 && own[0].n > 0, `stored ${stored}, own moves ${own[0].n}`);
  },
});

Deno.test.afterAll(async () => {
  await database.drop();
});
