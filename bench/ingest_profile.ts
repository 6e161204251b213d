/**
 * `deno task bench:ingest-profile [CASES]`: where the time of HTTP ingestion goes — the start phase of
 * `deno task bench:scale` (CASES demo cases, default 12,500, posted in time order in batches of 2,000)
 * on a fresh database of the local PostgreSQL, then the same rows by raw multi-row INSERTs. Prints the
 * throughput, the process's CPU seconds beside the wall time (what the database did not overlap), the
 * ratio, and — when `pg_stat_statements` is preloaded — the statements by total execution time.
 * `--cpu-prof` on the command line adds a V8 profile of the Deno side.
 *
 * @module
 */
import process from "node:process";
import postgres from "postgres";
import { startBenchServer } from "./server.ts";
import { postInBatches, timeOrderedEvents } from "./scale_load.ts";
import { rawInsert } from "./raw.ts";

const adminUrl = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
const cases = Number(Deno.args[0] ?? 12500);
if (!Number.isInteger(cases) || cases <= 0) throw new Error("CASES must be a whole number > 0");
const server = await startBenchServer({ adminUrl, scheduler: false });
const events = timeOrderedEvents(cases, 1, "", Date.now(), 7);
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
const stats = await admin`select 1 from pg_extension where extname = 'pg_stat_statements'`
  .then((r) => r.length > 0 && admin`select pg_stat_statements_reset()`.then(() => true))
  .catch(() => false);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const cpu0 = cpu();
const http = await postInBatches(server.url, server.senders, events, 2000);
const cpuSeconds = cpu() - cpu0;
const raw = await rawInsert(server.dbUrl, events, 2000);
const rawRate = events.length / raw.seconds;
console.log(
  `HTTP ${http.eventsPerSecond.toFixed(0)} events/s in ${http.seconds.toFixed(1)} s ` +
    `(this process's CPU ${cpuSeconds.toFixed(1)} s); raw ${rawRate.toFixed(0)} rows/s; ` +
    `raw ÷ HTTP ${(rawRate / http.eventsPerSecond).toFixed(2)}×`,
);
if (stats) {
  const db = new URL(server.dbUrl).pathname.slice(1);
  const rows = await admin<{ ms: number; calls: number; rows: number; q: string }[]>`
    select round(total_exec_time)::int as ms, calls::int, rows::int,
      left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 140) as q
    from pg_stat_statements where dbid = (select oid from pg_database where datname = ${db})
      and query not like '%bench_raw_events%'
    order by total_exec_time desc limit 20`;
  const total = rows.reduce((n, r) => n + r.ms, 0);
  console.log(`database execution, top statements: ${total} ms`);
  for (const r of rows) console.log(`${String(r.ms).padStart(7)} ms ${String(r.calls).padStart(5)}× ${r.q}`);
} else console.log("(pg_stat_statements is not preloaded: no per-statement figures)");
await admin.end();
await server.close();
