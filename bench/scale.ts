/**
 * `deno task bench:scale`: the product at province volume on the local PostgreSQL (issue 8), in a
 * fresh database the run creates and drops. Separate from the quick `deno task bench`.
 *
 * 1. Start: `--template` demo cases (default 20,000, about 180,000 events; received over the last
 *    `--workdays` working days, default 7, so that about a fifth are open) POSTed through the HTTP
 *    API in time order, in batches of `--batch` (default 2,000): the throughput on a nearly empty
 *    database. The same rows written by raw multi-row INSERTs into a plain table of the events
 *    table's shape, in the same run: the HTTP/raw ratio.
 * 2. Bulk: `--copies` copies (default 54) of every stored case made inside PostgreSQL (events, case
 *    rows with their kept timelines, alerts, findings, manual queue; counters scaled), for about
 *    ten million events and a million cases.
 * 3. End: `--end-cases` fresh demo cases (default 11,000, about 100,000 events) POSTed the same way
 *    on top of that: the throughput at volume, and its ratio to the start.
 * 4. Reads (`--reads` times each, after a warm-up): province and hall SSE snapshots, a department's
 *    case list page, the month's rankings of all departments, the rankings CSV export.
 * 5. Midnight: the scheduler applies the next working day's 00:00 (cases due, seconds, cases/s).
 * 6. Live fan-out (bench/sse_memory.ts): RSS per SSE connection of the hub vs a bare Deno.serve
 *    stream, and a counts change's arrival on all of them, at `--connections` (default 10,000).
 *
 * Prints one table; writes bench/results/scale-<timestamp>.json and bench/results/scale-latest.json.
 * `--keep` leaves the database for inspection (its URL is printed). Only 127.0.0.1.
 *
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { rawInsert } from "./raw.ts";
import { startBenchServer } from "./server.ts";
import { cloneCases, postInBatches, timeOrderedEvents } from "./scale_load.ts";
import { measureMidnight, measureReads } from "./scale_reads.ts";
import { measureSseMemory, sseRows } from "./sse_memory.ts";
import { summarize, table } from "./stats.ts";

const { values: args } = parseArgs({
  options: {
    template: { type: "string", default: "20000" },
    copies: { type: "string", default: "54" },
    "end-cases": { type: "string", default: "11000" },
    batch: { type: "string", default: "2000" },
    workdays: { type: "string", default: "7" },
    reads: { type: "string", default: "20" },
    connections: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
    "skip-sse": { type: "boolean", default: false },
  },
});
const TEMPLATE = Number(args.template), COPIES = Number(args.copies), END = Number(args["end-cases"]);
const BATCH = Number(args.batch), READS = Number(args.reads), CONNECTIONS = Number(args.connections);
const ROUNDS = Number(args.rounds), WORKDAYS = Number(args.workdays);
for (const [k, v] of Object.entries({ TEMPLATE, END, BATCH, READS, CONNECTIONS, ROUNDS, WORKDAYS })) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${k.toLowerCase()} must be a positive number`);
}
if (!Number.isInteger(COPIES) || COPIES < 0) throw new Error("--copies must be a whole number ≥ 0");
const adminUrl = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname)) {
  throw new Error(`the benchmark runs on a local PostgreSQL only, not ${new URL(adminUrl).hostname}`);
}

const f = (x: number, d = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d })
    : "-";
const log = (s: string) => console.log(s);
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 60_000).toFixed(1)} min`;

const now = Date.now();
log(`generating ${TEMPLATE} + ${END} demo cases …`);
const startEvents = timeOrderedEvents(TEMPLATE, 20241008, "", now, WORKDAYS);
const endEvents = timeOrderedEvents(END, 20261201, "E", now, WORKDAYS);
const server = await startBenchServer({ adminUrl, scheduler: false });
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
  const bulkSeconds = COPIES > 0 ? await cloneCases(server.dbUrl, COPIES, log) : 0;
  const storedBeforeEnd = await countEvents();

  log(`[${elapsed()}] end: ${endEvents.length} events on top of ${f(storedBeforeEnd)} …`);
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

  const ratio = end.eventsPerSecond / start.eventsPerSecond;
  const b0 = summarize(start.batchMs), b1 = summarize(end.batchMs);
  const rows: [string, string][] = [
    [
      "data set",
      `${f(totals.cases)} cases (${f(totals.open)} open), ${f(storedAtEnd)} events, ${
        f(totals.alerts)
      } alerts`,
    ],
    ["database size", `${f(Number(totals.size) / 1073741824, 2)} GB`],
    [
      `ingestion at start (0 → ${f(storedAtStart)} stored)`,
      `${f(start.eventsPerSecond)} events/s  (batch of ${BATCH}: p50 ${f(b0.p50)} ms, p95 ${f(b0.p95)} ms)`,
    ],
    [
      `ingestion at end (${f(storedBeforeEnd)} → ${f(storedAtEnd)})`,
      `${f(end.eventsPerSecond)} events/s  (batch p50 ${f(b1.p50)} ms, p95 ${f(b1.p95)} ms)`,
    ],
    ["ratio end / start", `${f(ratio, 2)}×  (target ≥ 0.8)`],
    ["raw INSERT of the start rows", `${f(rawRate)} rows/s`],
    ["ratio raw / HTTP (start)", `${f(rawRate / start.eventsPerSecond, 2)}×  (target ≤ 3)`],
    ["bulk copies (in PostgreSQL)", `${f(bulkSeconds)} s`],
    ...reads.map((r): [string, string] => [
      r.label + ", ms",
      r.error ? `error: ${r.error}` : `p50 ${f(r.ms.p50, 1)}  p95 ${f(r.ms.p95, 1)}  max ${f(r.ms.max, 1)}` +
        (r.bytes !== undefined ? `  (${f(r.bytes / 1024, 1)} KB)` : ""),
    ]),
    [
      `midnight ${midnight.day} 00:00`,
      `${f(midnight.due)} due of ${f(midnight.openCases)} open, applied ${f(midnight.applied)} in ${
        f(midnight.seconds, 1)
      } s = ${f(midnight.casesPerSecond)} cases/s  (target ≥ 3,000)`,
    ],
    ...(sse ? sseRows(sse) : []),
    ...(sse
      ? [[
        "ratio hub / bare Deno.serve, RSS per connection",
        `${f(sse.hub.rssPerConnection / sse.floor.rssPerConnection, 2)}×  (target ≤ 1.2)`,
      ] as [string, string]]
      : []),
  ];
  console.log();
  console.log(table("监察台 bench:scale (PostgreSQL, 127.0.0.1)", rows));
  const result = {
    at: new Date().toISOString(),
    machine: { cpus: navigator.hardwareConcurrency, deno: Deno.version.deno, postgres: raw.serverVersion },
    params: {
      template: TEMPLATE,
      copies: COPIES,
      endCases: END,
      batch: BATCH,
      reads: READS,
      connections: CONNECTIONS,
    },
    minutes: (performance.now() - began) / 60_000,
    dataSet: { ...totals, size: Number(totals.size), events: storedAtEnd },
    ingest: {
      start: { ...start, batchMs: b0, storedBefore: 0, storedAfter: storedAtStart },
      end: { ...end, batchMs: b1, storedBefore: storedBeforeEnd, storedAfter: storedAtEnd },
      ratioEndToStart: ratio,
      raw: { rows: startEvents.length, seconds: raw.seconds, rowsPerSecond: rawRate },
      ratioRawToHttp: rawRate / start.eventsPerSecond,
      bulkSeconds,
    },
    reads,
    midnight,
    sse,
  };
  const dir = new URL("./results/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  const stamp = result.at.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  const json = JSON.stringify(result, null, 2) + "\n";
  await Deno.writeTextFile(new URL(`scale-${stamp}.json`, dir), json);
  await Deno.writeTextFile(new URL("scale-latest.json", dir), json);
  console.log(`\nwritten: bench/results/scale-${stamp}.json, bench/results/scale-latest.json (${elapsed()})`);
} catch (err) {
  await sql.end().catch(() => {});
  await server.close();
  throw err;
}
