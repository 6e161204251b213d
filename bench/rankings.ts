/**
 * `deno task bench:rankings`: the monthly rankings of every department at province volume, on the
 * local PostgreSQL. The counters a year of cases leaves behind (server/reports/tally_keys.ts: each
 * case's completion day with its remaining and promise, its handled months, warnings and red cards by
 * day, evaluation months, abnormal months — plus the hourly keys of the wall screens) are written
 * straight into `counters` for `--cases` cases (default 1,000,000) over 12 months, 3,000 departments in
 * 18 cities and 150 counties; then the province's report (three levels, this month and the previous
 * one for 环比) is timed, and the tally query EXPLAINed (ANALYZE, BUFFERS).
 *
 * Prints a table and writes bench/results/rankings-<timestamp>.json. The database is created and
 * dropped by the run.
 *
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, query } from "../db/client.ts";
import { loadReport } from "../server/reports/rankings_query.ts";

const { values: args } = parseArgs({
  options: { cases: { type: "string", default: "1000000" }, url: { type: "string" } },
});
const CASES = Number(args.cases);
const ADMIN_URL = args.url ?? "postgres://postgres@127.0.0.1:5432/postgres";
const NAME = `reports_bench_${Date.now()}`;
const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${NAME}`);
const url = ADMIN_URL.replace(/\/[^/]*$/, `/${NAME}`);
const database = await openDatabase({ url });
const { db } = database;
const MONTH = "2026-11";
const PREV = "2026-10";

try {
  const t0 = performance.now();
  // Reference data: 18 cities × (1 + 8 counties), 3,000 departments spread over them.
  await db.execute(sql`insert into regions (code, name, parent) values ('410000', '河南省', null)`);
  await db.execute(sql`insert into regions (code, name, parent)
    select (410000 + c * 100)::text, '市' || c, '410000' from generate_series(1, 18) c`);
  await db.execute(sql`insert into regions (code, name, parent)
    select (410000 + c * 100 + k)::text, '县' || c || '-' || k, (410000 + c * 100)::text
    from generate_series(1, 18) c, generate_series(1, 8) k`);
  await db.execute(sql`insert into departments (code, name, region)
    select r.code || '-K' || (d % 20), r.name || '局' || (d % 20), r.code
    from (select code, name, row_number() over (order by code) as n from regions where parent is not null) r,
         generate_series(1, 20) d
    limit 3000`);
  const [{ n: deps }] = await query<{ n: number }>(db, sql`select count(*)::int as n from departments`);

  // One year of cases: each completed on a day of the year, handled in its month (and the one before
  // for a third of them), a warning for 1 in 5, a red card for 1 in 25, an evaluation for half, an
  // abnormal one for 1 in 50 — written as the counter rows those keys add up to.
  await db.execute(sql`
    with c as (
      select i, (select array_agg(code order by code) from departments) as codes,
        date '2025-12-01' + (i % 365) as day, (i % 13) - 3 as rem, 5 + (i % 4) * 5 as n
      from generate_series(1, ${CASES}) i
    ), k as (
      select codes[1 + ((i::bigint * 7919) % array_length(codes, 1))::int] as department, i, day, rem, n from c
    ), keys as (
      select department, 'done' as metric, rem || ':' || n as rule, to_char(day, 'YYYY-MM-DD') as d from k
      union all select department, 'doneh', '', to_char(day, 'YYYY-MM-DD') || 'T' || lpad((8 + i % 9)::text, 2, '0') from k
      union all select department, 'act', '', to_char(day, 'YYYY-MM') from k
      union all select department, 'act', '', to_char(day - 20, 'YYYY-MM') from k where i % 3 = 0
      union all select department, 'wrn', '8.1', to_char(day - 2, 'YYYY-MM-DD') from k where i % 5 = 0
      union all select department, 'wrnh', '', to_char(day - 2, 'YYYY-MM-DD') || 'T00' from k where i % 5 = 0
      union all select department, 'red', '8.1', to_char(day, 'YYYY-MM-DD') from k where i % 25 = 0
      union all select department, 'redh', '', to_char(day, 'YYYY-MM-DD') || 'T00' from k where i % 25 = 0
      union all select department, 'evl', '', to_char(day, 'YYYY-MM') from k where i % 2 = 0
      union all select department, 'abc', '', to_char(day, 'YYYY-MM') from k where i % 50 = 0
      union all select department, 'opn', '', to_char(day, 'YYYY-MM') from k where i % 40 = 0
    )
    insert into counters (department, hall, metric, rule, day, value)
    select department, '', metric, rule, d, count(*) from keys group by 1, 2, 3, 4, 5`);
  await db.execute(sql`analyze counters`);
  const [{ n: rows }] = await query<{ n: number }>(db, sql`select count(*)::int as n from counters`);
  const seedS = (performance.now() - t0) / 1000;

  const scope = { departments: "all", regions: "all", halls: "all" } as const;
  const times: number[] = [];
  let units = 0;
  for (let run = 0; run < 5; run++) {
    const s = performance.now();
    const r = await loadReport(db, scope, { month: MONTH });
    times.push(performance.now() - s);
    units = (r.levels.department?.length ?? 0) + (r.levels.region?.length ?? 0) +
      (r.levels.kind?.length ?? 0);
  }
  const first = "2026-10-01", last = "2026-11-30";
  const plan = await query<{ "QUERY PLAN": string }>(
    db,
    sql`explain (analyze, buffers) select c.department, c.metric, substr(c.day, 1, 7) as month, sum(c.value)
        from counters c where c.value <> 0 and (
          (c.metric in ('done', 'wrn', 'red') and c.day >= ${first} and c.day <= ${last})
          or (c.metric in ('act', 'evl', 'abc', 'uns') and c.day in (${PREV}, ${MONTH}))
          or (c.metric = 'opn' and c.day <= ${MONTH}))
        group by 1, 2, 3`,
  );
  const planText = plan.map((p) => p["QUERY PLAN"]).join("\n");
  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    cases: CASES,
    departments: deps,
    counterRows: rows,
    seedSeconds: Math.round(seedS),
    reportMs: { min: Math.round(sorted[0]), median: Math.round(sorted[2]), max: Math.round(sorted[4]) },
    unitsRanked: units,
    seqScanOfCounters: /Seq Scan on counters/.test(planText),
    plan: planText,
  };
  console.log(`| cases | departments | counter rows | report (3 levels, 2 months) min / median / max |`);
  console.log(`|---|---|---|---|`);
  console.log(
    `| ${CASES.toLocaleString()} | ${deps} | ${rows.toLocaleString()} | ${result.reportMs.min} / ${result.reportMs.median} / ${result.reportMs.max} ms |`,
  );
  console.log(planText);
  await Deno.mkdir(new URL("./results/", import.meta.url), { recursive: true });
  await Deno.writeTextFile(
    new URL(`./results/rankings-${new Date().toISOString().replace(/[:.]/g, "-")}.json`, import.meta.url),
    JSON.stringify(result, null, 2) + "\n",
  );
} finally {
  await database.close();
  await admin.unsafe(`drop database ${NAME} with (force)`);
  await admin.end();
}
