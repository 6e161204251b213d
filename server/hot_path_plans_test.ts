/**
 * The hot paths' queries must be index-bound: run ingestion (its identity, claim and scope checks),
 * the scheduler, the live snapshots, the case list, the case view and the month's rankings against
 * 120,000 bulk-loaded events (with their 120,000 identities in `event_keys`; 60,000 cases with their
 * claims; 120,000 alerts), record every statement Drizzle sends (db/client.ts `onQuery`), and EXPLAIN
 * each one with its parameters. A sequential scan of `events`, `event_keys`, `alerts`, `cases` or
 * `case_claims` (or a partition of them) in any plan fails the test, naming the path and the
 * statement. Runs the same on PGlite and PostgreSQL.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../db/client.ts";
import { loadCounts } from "./live/counts.ts";
import { resolveStreamScope } from "./live/scope.ts";
import { startScheduler } from "./write/scheduler.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "./testing.ts";

let recording: { query: string; params: unknown[] }[] | null = null;
const t = await openTestApp("2024-11-04T10:00:00+08:00", {
  onQuery: (query, params) => recording?.push({ query, params }),
});
const db = t.database.db;
const CASES = 60_000;
const DEPARTMENTS = 50;
const BULK_ITEM = "410000-BULK-0002";

// The bulk: 2 events per case, stored in time order (a case's events scattered over the table, as
// real traffic leaves them), with their identities; each case's row with its kept timeline and its
// claim; 2 alerts per case. (60,000 cases, so that a batch of 200 is a realistic small share of the
// claims: at 20,000, the narrow case_claims table is cheaper to scan than to probe 200 times.)
await db.execute(sql`insert into departments (code, name, region)
  select 'BULK-D' || d, '批量部门' || d, '410100' from generate_series(1, ${DEPARTMENTS}) d`);
await db.execute(sql`insert into events (id, case_id, type, at, payload, content_hash, sender)
  select 'bulk-' || c || '-' || k, 'BULK-' || lpad(c::text, 6, '0'), 'step',
    timestamptz '2024-06-01 09:00+08' + (k * interval '1 day') + (c * interval '1 second'),
    jsonb_build_object('id', 'bulk-' || c || '-' || k, 'case', 'BULK-' || lpad(c::text, 6, '0'), 'type', 'step'),
    md5(c || '-' || k), 'bulk'
  from generate_series(1, 2) k, generate_series(1, ${CASES}) c order by k, c`);
await db.execute(sql`insert into event_keys (sender, event_id, content_hash, case_id)
  select sender, id, content_hash, case_id from events where sender = 'bulk'`);
await db.execute(sql`insert into case_claims (case_id, sender, item)
  select 'BULK-' || lpad(c::text, 6, '0'), 'bulk', ${TEST_ITEM.code} from generate_series(1, ${CASES}) c`);
// A second item (one case in 200) and applicants' names on one case in 100: what the search's and
// the item filter's plans read.
await db.execute(sql`insert into items (code, name, department, data)
  values (${BULK_ITEM}, '批量登记', 'BULK-D7', ${JSON.stringify({ ...TEST_ITEM, code: BULK_ITEM })}::jsonb)`);
await db.execute(sql`insert into cases (case_id, status, item_code, department, hall, region, received_on,
    deadline, remaining, next_change_at, result, contributions, timeline, evaluated_at, event_count,
    applicant_name)
  select 'BULK-' || lpad(c::text, 6, '0'), case c % 12 when 3 then 'rejected' when 6 then 'incomplete' else
      (array['completed', 'accepted', 'received'])[c % 3 + 1] end,
    case when c % 200 = 0 then ${BULK_ITEM} else ${TEST_ITEM.code} end, 'BULK-D' || (c % ${DEPARTMENTS} + 1),
    '410100-HALL', '410100',
    date '2024-06-01' + (c % 120), date '2024-07-01' + (c % 120), c % 10,
    case when c % 3 = 0 then null else timestamptz '2024-12-01 00:00+08' + (c % 60) * interval '1 day' end,
    jsonb_build_object('case', 'BULK-' || lpad(c::text, 6, '0'), 'alerts', '[]'::jsonb), '[]'::jsonb,
    '[]'::jsonb, now(), 2, case when c % 100 = 0 then '郑' || c end
  from generate_series(1, ${CASES}) c`);
await db.execute(
  sql`insert into alerts (case_id, rule, subject, level, "on", raised_at, department, hall, region)
  select 'BULK-' || lpad(c::text, 6, '0'), (array['8.1', '8.2a', '8.4', '8.6', '8.9'])[r], '', 'warning',
    date '2024-06-10' + (c % 150), timestamptz '2024-06-10 00:00+08' + (c % 150) * interval '1 day',
    'BULK-D' || (c % ${DEPARTMENTS} + 1), '410100-HALL', '410100'
  from generate_series(1, 2) r, generate_series(1, ${CASES}) c order by r, c`,
);

function batch(from: number, n: number, accepted: boolean) {
  return Array.from({ length: n }, (_, i) => {
    const id = `HP-${from + i}`;
    return accepted
      ? { id: `${id}-a`, case: id, type: "accepted", at: "2024-11-04T09:40:00+08:00", handler: "李四" }
      : receivedEvent(`${id}-r`, id, "2024-11-04T09:30:00+08:00");
  });
}

/** Post events as the test's department system; the batch must be accepted. */
async function post(body: unknown[]): Promise<void> {
  const res = await t.send("POST", "/api/v1/events", body);
  assert.equal(res.status, 200, await res.clone().text());
}

// The file's own open cases HP-0 … HP-199 (received, then accepted), for the scheduler, the snapshots
// and the case view; ingestion's test below posts cases of its own.
await post(batch(0, 200, false));
await post(batch(0, 200, true));
await db.execute(sql`analyze`);

/** The tables that grow with what is stored (a partition's name adds `_p<month>` or `_default`). */
const BIG = "events|event_keys|alerts|cases|case_claims";

/** Nodes of a JSON plan that scan one of the big tables sequentially. */
function seqScans(plan: unknown, out: string[] = []): string[] {
  if (Array.isArray(plan)) {
    for (const p of plan) seqScans(p, out);
  } else if (plan && typeof plan === "object") {
    const node = plan as Record<string, unknown>;
    const relation = String(node["Relation Name"] ?? "");
    if (node["Node Type"] === "Seq Scan" && new RegExp(`^(${BIG})(_p\\d+|_default)?$`).test(relation)) {
      out.push(relation);
    }
    for (const v of Object.values(node)) if (v && typeof v === "object") seqScans(v, out);
  }
  return out;
}

/**
 * The scanned relations that hold rows. A month partition with no rows yet (the months created ahead,
 * the default partition) has no statistics, so the planner scans it sequentially — at no cost, whatever
 * is stored elsewhere; once rows arrive, analyze gives it statistics and the plan turns to its index.
 * The tables themselves (`events`, `alerts`, `cases`) always count.
 */
async function holdingRows(relations: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const rel of relations) {
    const partition = /_(p\d+|default)$/.test(rel);
    if (partition) {
      const [row] = await query<{ any: boolean }>(
        db,
        sql`select exists (select 1 from ${sql.identifier(rel)}) as any`,
      );
      if (!row.any) continue;
    }
    out.push(rel);
  }
  return out;
}

// deno-lint-ignore no-explicit-any
const client = (db as any).$client;
async function explain(query: string, params: unknown[]): Promise<unknown> {
  const text = `explain (format json) ${query}`;
  if (t.database.kind === "postgres") {
    const [row] = await client.unsafe(text, params);
    return row["QUERY PLAN"];
  }
  const result = await client.query(text, params);
  const cell = result.rows[0]["QUERY PLAN"];
  return typeof cell === "string" ? JSON.parse(cell) : cell;
}

/** Run `fn` recording its statements, then EXPLAIN those touching the big tables; the offending ones. */
async function offending(
  fn: () => Promise<unknown>,
): Promise<{ statements: number; all: number; bad: string[]; tables: Set<string>; eventReads: string[] }> {
  recording = [];
  await fn();
  const recorded = recording;
  recording = null;
  const relevant = recorded.filter((r) => new RegExp(`\\b(${BIG})\\b`).test(r.query));
  const tables = new Set(relevant.flatMap((r) => r.query.match(new RegExp(`\\b(${BIG})\\b`, "g")) ?? []));
  const bad: string[] = [];
  for (const r of relevant) {
    const scans = await holdingRows(seqScans(await explain(r.query, r.params)));
    if (scans.length) bad.push(`seq scan of ${scans.join(", ")}: ${r.query.slice(0, 300)}`);
  }
  const eventReads = relevant.filter((r) => /\bfrom "?events"?\b/.test(r.query)).map((r) =>
    r.query.slice(0, 200)
  );
  return { statements: relevant.length, all: recorded.length, bad, tables, eventReads };
}

Deno.test("the check sees a sequential scan of events when a query makes one", async () => {
  const { statements, bad } = await offending(() =>
    db.execute(sql`select count(*) from events where payload->>'type' = ${"step"}`)
  );
  assert.equal(statements, 1);
  assert.equal(bad.length, 1);
  assert.match(bad[0], /seq scan of events/);
});

Deno.test("ingestion (new and known cases: identities, claims, scope, re-evaluation) reads through indexes only", async () => {
  const first = await offending(() => post(batch(1000, 200, false)));
  const again = await offending(() => post(batch(1000, 200, true)));
  assert.ok(first.statements >= 5 && again.statements >= 5, "the ingestion statements were recorded");
  for (const table of ["event_keys", "case_claims", "cases", "events"]) {
    assert.ok(
      first.tables.has(table) && again.tables.has(table),
      `ingestion's statements on ${table} were checked`,
    );
  }
  assert.deepEqual([...first.bad, ...again.bad], []);
});

Deno.test("ingesting new and known cases reads no stored events (the timelines kept in the case rows)", async () => {
  const first = await offending(() => post(batch(5000, 50, false)));
  const again = await offending(() => post(batch(5000, 50, true)));
  assert.ok(first.statements >= 5 && again.statements >= 5, "the ingestion statements were recorded");
  assert.deepEqual([...first.eventReads, ...again.eventReads], []);
});

Deno.test("the scheduler's claim and load of due cases never scan the cases or events tables", async () => {
  const [{ next }] = await query<{ next: string }>(
    db,
    sql`select min(next_change_at)::text as next from cases where case_id like 'HP-%'`,
  );
  t.setNow(Date.parse(next) + 1000);
  // Batches of the file's 200 open cases (the ingestion tests may have added more that are due too): the
  // plans of a batch's statements, whichever tests ran before.
  const scheduler = startScheduler(t.deps, { background: false, concurrency: 1, batchSize: 200 });
  let applied = 0;
  const { statements, bad } = await offending(async () => (applied = await scheduler.runOnce()));
  await scheduler.stop();
  assert.ok(applied >= 200, `the due cases were applied (${applied})`);
  assert.ok(statements >= 3);
  assert.deepEqual(bad, []);
});

Deno.test("the province and hall snapshots, a department's case list and the case view are index-bound", async () => {
  const { statements, bad } = await offending(async () => {
    await loadCounts(db, await resolveStreamScope(db, {}), t.deps.clock());
    await loadCounts(db, await resolveStreamScope(db, { hall: "410100-HALL" }), t.deps.clock());
    for (
      const path of [
        "/api/v1/cases?department=BULK-D7&limit=50",
        // The desk's default view province-wide and of a region with its sub-regions: the total
        // comes from the live counters, the page from the sort's index ranges.
        "/api/v1/cases?status=open&limit=50",
        "/api/v1/cases?status=open&region=410000&limit=50",
        // Every scope with a status filter: the total from the `status` counters.
        "/api/v1/cases?department=BULK-D7&status=completed&limit=50",
        "/api/v1/cases?hall=410100-HALL&status=completed&limit=50",
        "/api/v1/cases?region=410100&status=completed&limit=50",
        "/api/v1/cases?status=completed&limit=50",
        // Every status (the API's default): the province's and a region's paused and closed cases by remaining.
        "/api/v1/cases?limit=50",
        "/api/v1/cases?region=410100&limit=50",
        // Filters the counters cannot answer: counted up to the cap, through an index.
        "/api/v1/cases?department=BULK-D7&receivedFrom=2024-07-01&limit=50",
        "/api/v1/cases?level=warning&limit=50",
        // Search (case number or applicant's prefix, item name) and the item filter, in a department
        // and province-wide: the union of the branches' index ranges, never the scope's whole range —
        // also when nothing matches.
        ...[
          "q=BULK-0001",
          "q=郑",
          "q=批量登记",
          "q=BULK-0001&status=open&sort=deadline",
          "q=不存在",
          "item=" + BULK_ITEM,
        ]
          .flatMap((f) => [`/api/v1/cases?department=BULK-D7&${f}&limit=50`, `/api/v1/cases?${f}&limit=50`]),
        // By deadline province-wide, in a region and a hall (cases_status_deadline_idx).
        "/api/v1/cases?sort=deadline&limit=50",
        "/api/v1/cases?status=open&region=410100&sort=deadline&limit=50",
        "/api/v1/cases?status=open&hall=410100-HALL&sort=deadline&limit=50",
        "/api/v1/cases/HP-123",
        "/api/v1/cases/HP-7/view",
      ]
    ) {
      const res = await t.send("GET", path);
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    }
  });
  assert.ok(statements >= 3);
  assert.deepEqual(bad, []);
});

/** The plan nodes that read `cases` (scans by index or sequentially) and every sort node. */
function casesReads(plan: unknown, out: { reads: Record<string, unknown>[]; sorts: number }) {
  if (Array.isArray(plan)) {
    for (const p of plan) casesReads(p, out);
  } else if (plan && typeof plan === "object") {
    const node = plan as Record<string, unknown>;
    if (node["Relation Name"] === "cases" || /^cases_/.test(String(node["Index Name"] ?? ""))) {
      out.reads.push(node);
    }
    if (/Sort$/.test(String(node["Node Type"]))) out.sorts++;
    for (const v of Object.values(node)) if (v && typeof v === "object") casesReads(v, out);
  }
  return out;
}

Deno.test("a department's and the province's list of a status by date reads one index range per status, in order", async () => {
  const paths: string[] = [];
  for (const sort of ["deadline", "received", "-received"]) {
    for (const status of ["accepted", "open", "completed", "all"]) {
      paths.push(`/api/v1/cases?department=BULK-D7&status=${status}&sort=${sort}&limit=50`);
    }
    // Province-wide: (status, received_on, case_id) and (status, deadline, case_id).
    for (const status of ["accepted", "open", "completed"]) {
      paths.push(`/api/v1/cases?status=${status}&sort=${sort}&limit=50`);
    }
  }
  for (const path of paths) {
    recording = [];
    const res = await t.send("GET", path);
    assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
    const pages = recording.filter((r) => /\bfrom "cases"/.test(r.query) && /\border by\b/.test(r.query));
    recording = null;
    assert.ok(pages.length >= 1, `${path}: the page was recorded`);
    for (const r of pages) {
      const { reads, sorts } = casesReads(await explain(r.query, r.params), { reads: [], sorts: 0 });
      const where = `${path}: ${r.query.slice(r.query.indexOf("where"), r.query.indexOf("where") + 300)}`;
      // The index bounds the status and the department in its condition, so no other status's or
      // department's entries are read, and gives the order (no sort of the scope's cases of the status).
      assert.equal(sorts, 0, `sorted: ${where}`);
      assert.equal(reads.length, 1, `one read of cases: ${where}`);
      const cond = String(reads[0]["Index Cond"] ?? "");
      assert.match(String(reads[0]["Node Type"]), /^Index (Only )?Scan$/, where);
      assert.match(cond, /status = /, `status in the index condition (${cond}): ${where}`);
      if (path.includes("department=")) {
        assert.match(cond, /department = /, `department in ${cond}: ${where}`);
      }
    }
  }
});

Deno.test("the month's rankings of all departments read the month, not the whole tables", async () => {
  const { all, bad } = await offending(async () => {
    const res = await t.send("GET", "/api/v1/reports/rankings?month=2024-10");
    assert.equal(res.status, 200, await res.clone().text());
  });
  assert.ok(all >= 1, "the rankings' statements were recorded");
  assert.deepEqual(bad, []);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
