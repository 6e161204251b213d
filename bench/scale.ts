/**
 * `deno task bench:scale`: the product at province volume on the local PostgreSQL (issue 8), in a
 * fresh database the run creates and drops. Separate from the quick `deno task bench`.
 *
 * 1. Start: `--template` demo cases (default 12,500, about 102,000 events; received over the last
 *    `--workdays` working days, default 7, so that about a fifth are open) POSTed through the HTTP
 *    API in time order, in batches of `--batch` (default 2,000), lifecycle events with the
 *    department system's key and evaluations with the evaluation platform's: the throughput from 0
 *    to about 0.1 M stored. The same rows written by raw multi-row INSERTs into a table of the
 *    events table's shape, in the same run: the HTTP/raw ratio.
 * 2. Bulk (bench/scale_clone.ts): `--copies` copies (default 99) of every stored case made inside
 *    PostgreSQL on `--streams` connections (default 3) — events, event identities, case claims,
 *    case rows with their kept timelines, alerts, findings, manual queue; counters scaled; indexes
 *    built after, then VACUUM (ANALYZE) — for about 1.26 M cases, 250,000 open, 10.2 M events.
 * 3. End: `--end-cases` fresh demo cases (default 11,000, about 90,000 events) POSTed the same way
 *    on top of that: the throughput at volume (10 M stored), and its ratio to the start.
 * 4. Reads (`--reads` times each, after a warm-up): province and hall SSE snapshots, the first page of
 *    the case list with a status filter (the largest department: accepted, in progress, completed; its
 *    region: accepted; the province: completed), the month's rankings of all departments, the rankings
 *    CSV export.
 * 5. Midnight: the scheduler applies the next working day's 00:00 (cases due, seconds, cases/s).
 * 6. Live fan-out (bench/sse_memory.ts): RSS per SSE connection of the hub vs a bare Deno.serve
 *    stream, and a counts change's arrival on all of them, at `--connections` (default 10,000).
 *
 * Prints one table (measure, result, target, met?) and its Markdown; writes
 * bench/results/scale-<timestamp>.json and bench/results/scale-latest.json. `--keep` leaves the
 * database for inspection (its URL is printed); `--name` names it (default `jct_bench_` and a random
 * suffix). Only 127.0.0.1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { rawInsert } from "./raw.ts";
import { startBenchServer } from "./server.ts";
import { cloneCases } from "./scale_clone.ts";
import { postInBatches, timeOrderedEvents } from "./scale_load.ts";
import { measureMidnight, measureReads } from "./scale_reads.ts";
import { markdown, render, type ScaleResult } from "./scale_report.ts";
import { measureSseMemory } from "./sse_memory.ts";
import { summarize } from "./stats.ts";

const { values: args } = parseArgs({
  options: {
    template: { type: "string", default: "12500" },
    copies: { type: "string", default: "99" },
    streams: { type: "string", default: "3" },
    "end-cases": { type: "string", default: "11000" },
    batch: { type: "string", default: "2000" },
    workdays: { type: "string", default: "7" },
    reads: { type: "string", default: "20" },
    connections: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
    "skip-sse": { type: "boolean", default: false },
    keep: { type: "boolean", default: false },
    name: { type: "string" },
  },
});
const TEMPLATE = Number(args.template), COPIES = Number(args.copies), END = Number(args["end-cases"]);
const BATCH = Number(args.batch), READS = Number(args.reads), CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds), WORKDAYS = Number(args.workdays), STREAMS = Number(args.streams);
for (
  const [k, v] of Object.entries({ TEMPLATE, END, BATCH, READS, CONNECTIONS, ROUNDS, WORKDAYS, STREAMS })
) {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${k.toLowerCase()} must be a whole number > 0`);
}
if (!Number.isInteger(COPIES) || COPIES < 0) throw new Error("--copies must be a whole number ≥ 0");
const adminUrl = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname)) {
  throw new Error(`the benchmark runs on a local PostgreSQL only, not ${new URL(adminUrl).hostname}`);
}

const log = (s: string) => console.log(s);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 60_000).toFixed(1)} min`;
// The machine is shared: the 1-minute load average, every 15 s, goes with the figures.
const loads: number[] = [];
const sampleLoad = async () => {
  const text = await Deno.readTextFile("/proc/loadavg").catch(() => "");
  if (text) loads.push(Number(text.split(" ")[0]));
};
await sampleLoad();
const sampler = setInterval(sampleLoad, 15_000);

const now = Date.now();
log(`generating ${TEMPLATE} + ${END} demo cases …`);
const startEvents = timeOrderedEvents(TEMPLATE, 20241008, "", now, WORKDAYS);
const endEvents = timeOrderedEvents(END, 20261201, "E", now, WORKDAYS);
const server = await startBenchServer({ adminUrl, scheduler: false, keep: args.keep, name: args.name });
if (args.keep) log(`the database is kept: ${server.dbUrl}`);
const sql = postgres(server.dbUrl, { max: 1, onnotice: () => {} });
try {
  const countEvents = async () => Number((await sql`select count(*)::int as n from events`)[0].n);

  log(`[${elapsed()}] start: ${startEvents.length} events through POST /api/v1/events …`);
  const start = await postInBatches(server.url, server.senders, startEvents, BATCH, log);
  const storedAtStart = await countEvents();
  log(`[${elapsed()}] raw INSERTs of the same rows …`);
  const raw = await rawInsert(server.dbUrl, startEvents, BATCH);
  const rawRate = startEvents.length / raw.seconds;

  log(`[${elapsed()}] bulk: ${COPIES} copies of the ${TEMPLATE} cases …`);
  const bulk = await cloneCases(server.dbUrl, { copies: COPIES, streams: STREAMS, log });
  const storedBeforeEnd = await countEvents();

  log(`[${elapsed()}] end: ${endEvents.length} events on top of ${storedBeforeEnd} …`);
  const end = await postInBatches(server.url, server.senders, endEvents, BATCH, log);
  const [totals] = await sql<{ cases: number; open: number; alerts: number; size: string }[]>`
    select (select count(*) from cases)::int as cases,
      (select count(*) from cases where status in ('received', 'accepted'))::int as open,
      (select count(*) from alerts)::int as alerts, pg_database_size(current_database())::text as size`;
  const storedAtEnd = await countEvents();

  log(`[${elapsed()}] reads …`);
  const reads = await measureReads(server.url, server.readCookie, server.database, READS, now);
  log(`[${elapsed()}] midnight …`);
  const midnight = await measureMidnight(server.dbUrl, server.deps, now);
  await sql.end();
  await server.close();

  log(`[${elapsed()}] SSE at ${CONNECTIONS} connections …`);
  const sse = args["skip-sse"]
    ? null
    : await measureSseMemory({ connections: CONNECTIONS, rounds: ROUNDS, adminUrl });
  clearInterval(sampler);

  const result: ScaleResult & Record<string, unknown> = {
    at: new Date().toISOString(),
    machine: { cpus: navigator.hardwareConcurrency, deno: Deno.version.deno, postgres: raw.serverVersion },
    params: {
      template: TEMPLATE,
      copies: COPIES,
      streams: STREAMS,
      endCases: END,
      batch: BATCH,
      workdays: WORKDAYS,
      reads: READS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
    },
    minutes: (performance.now() - began) / 60_000,
    loadAverage: summarize(loads),
    dataSet: { ...totals, size: Number(totals.size), events: storedAtEnd },
    ingest: {
      start: { ...start, batch: summarize(start.batchMs), storedBefore: 0, storedAfter: storedAtStart },
      end: { ...end, batch: summarize(end.batchMs), storedBefore: storedBeforeEnd, storedAfter: storedAtEnd },
      ratioEndToStart: end.eventsPerSecond / start.eventsPerSecond,
      raw: { rows: startEvents.length, seconds: raw.seconds, rowsPerSecond: rawRate },
      ratioRawToHttp: rawRate / start.eventsPerSecond,
      bulk,
    },
    reads,
    midnight,
    sse,
  };
  console.log();
  console.log(render(result));
  console.log();
  console.log(markdown(result));
  const dir = new URL("./results/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  const stamp = result.at.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  const json = JSON.stringify(result, null, 2) + "\n";
  await Deno.writeTextFile(new URL(`scale-${stamp}.json`, dir), json);
  await Deno.writeTextFile(new URL("scale-latest.json", dir), json);
  console.log(`\nwritten: bench/results/scale-${stamp}.json, bench/results/scale-latest.json (${elapsed()})`);
} catch (err) {
  clearInterval(sampler);
  await sql.end().catch(() => {});
  await server.close();
  throw err;
}
