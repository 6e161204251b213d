/**
 * The admin page's reads of the outbox and the worker's claim are index-bound: with 150,000 messages
 * (nearly all sent, some pending, some dead), EXPLAIN of every statement they send shows no
 * sequential scan of `notifications_outbox` or `counters` (120,000 rows of live tallies beside them). Runs the same on PGlite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { dateIn } from "../../rules/dates.ts";
import { openTestApp } from "../testing.ts";
import { listOutbox } from "./outbox.ts";
import { outboxCounts, startPortalWorker } from "./worker.ts";

let recording: { query: string; params: unknown[] }[] | null = null;
const t = await openTestApp("2026-03-02T09:00:00+08:00", {
  onQuery: (query, params) => recording?.push({ query, params }),
});
const db = t.database.db;
const N = 150_000;
// Every 1,000th message unsent: half of them dead, half pending (due in an hour); the rest sent.
await db.execute(sql`insert into notifications_outbox
    (case_id, rule, department, payload, created_at, sent_at, attempts, next_attempt_at, dead_at)
  select 'C' || g, '8.1', '410100-SCJGJ', jsonb_build_object('kind', '8.1-warning', 'text', 'x', 'n', g),
    timestamptz '2026-01-01 00:00+08' + g * interval '1 second',
    case when g % 1000 = 0 then null else timestamptz '2026-01-01 00:00+08' + g * interval '1 second' end,
    case when g % 2000 = 0 then 8 else 1 end,
    timestamptz '2026-03-02 10:00+08',
    case when g % 2000 = 0 then timestamptz '2026-02-01 00:00+08' end
  from generate_series(1, ${N}) g`);
await db.execute(sql`insert into counters (department, hall, metric, rule, day, value)
  select '', '', 'portal_sent', '', to_char(date '2026-01-01' + d, 'YYYY-MM-DD'), 2500
  from generate_series(0, 59) d`);
// The live counts beside them, as at province volume (counters holds every department's tallies).
await db.execute(sql`insert into counters (department, hall, metric, rule, day, value)
  select 'BULK-D' || d, 'BULK-H', m, '', to_char(date '2025-01-01' + k, 'YYYY-MM-DD'), 1
  from generate_series(1, 100) d, unnest(array['red', 'warn', 'done']) m, generate_series(0, 399) k`);
await db.execute(sql`analyze`);

function seqScans(plan: unknown, out: string[] = []): string[] {
  if (Array.isArray(plan)) { for (const p of plan) seqScans(p, out); }
  else if (plan && typeof plan === "object") {
    const node = plan as Record<string, unknown>;
    const relation = String(node["Relation Name"] ?? "");
    if (node["Node Type"] === "Seq Scan" && /^(notifications_outbox|counters)$/.test(relation)) {
      out.push(relation);
    }
    for (const v of Object.values(node)) if (v && typeof v === "object") seqScans(v, out);
  }
  return out;
}

/** Run `work`, EXPLAIN every statement it sent; the statements that scan a big table sequentially. */
async function scansOf(work: () => Promise<unknown>): Promise<string[]> {
  recording = [];
  await work();
  const sent = recording;
  recording = null;
  const bad: string[] = [];
  for (const s of sent) {
    if (!/^\s*(select|update|with)/i.test(s.query)) continue;
    let text = s.query;
    // Inline the parameters ($n) as literals for EXPLAIN.
    for (let i = s.params.length; i >= 1; i--) {
      const v = s.params[i - 1];
      const lit = v === null
        ? "null"
        : typeof v === "number"
        ? String(v)
        : `'${String(v).replaceAll("'", "''")}'`;
      text = text.replaceAll(`$${i}`, lit);
    }
    const rows = await query<{ "QUERY PLAN": unknown }>(db, sql.raw(`explain (format json) ${text}`));
    const plan = rows[0]["QUERY PLAN"];
    const scans = seqScans(typeof plan === "string" ? JSON.parse(plan) : plan);
    if (scans.length) bad.push(`${scans.join(",")}: ${s.query.slice(0, 160)}`);
  }
  return bad;
}

Deno.test("the admin page's counts of 150,000 messages read no table sequentially", async () => {
  const counts = await outboxCounts(db, dateIn(t.deps.clock()));
  assert.deepEqual(counts, { pending: 75, retrying: 75, sent: 150_000, sentToday: 0, failed: 75 });
  assert.deepEqual(await scansOf(() => outboxCounts(db, dateIn(t.deps.clock()))), []);
});

Deno.test("the admin page's lists by state read no table sequentially", async () => {
  for (const state of ["pending", "failed", "sent", "all"] as const) {
    assert.deepEqual(await scansOf(() => listOutbox(db, state)), [], state);
  }
});

Deno.test("the worker's claim reads the due messages by index", async () => {
  const worker = startPortalWorker(t.deps, {
    url: "http://127.0.0.1:9/none",
    background: false,
    fetch: () => Promise.resolve(new Response("ok")),
  });
  try {
    assert.deepEqual(await scansOf(() => worker.runOnce()), []);
  } finally {
    await worker.stop();
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
