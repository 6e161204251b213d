/**
 * `deno task bench`: ingestion throughput and event-to-screen latency on the local PostgreSQL.
 *
 * 1. Throughput: N generated demo events (default 20,000) POSTed to /api/v1/events in batches of
 *    1,000, one after another, against the same rows written by raw multi-row INSERTs (postgres.js)
 *    into a plain table of the events table's shape in the same database. Reports both rates and
 *    their ratio.
 * 2. Latency: an SSE client on /api/v1/stream while single `accepted` events of cases whose promise is
 *    one working day (each raises an 8.1 warning at once) are POSTed at a steady rate; the time from
 *    the POST's start to the `alert` message's arrival, p50 and p99.
 *
 * 3. Memory of live streams (bench/sse_memory.ts): RSS per open SSE connection of the product's hub
 *    against a naive baseline and a bare stream, N connections each, and the hub's fan-out time.
 *
 * Everything runs on 127.0.0.1 in a database the run creates and drops. Prints one table and writes
 * bench/results/ingest-<timestamp>.json and bench/results/latest.json (with `--sse-only`, as
 * `deno task bench:sse` runs it: bench/results/sse-<timestamp>.json only).
 *
 * Options: --events N, --batch N, --rate per-second, --seconds S, --tick-ms MS (the live hub's tick);
 * --connections N (default 2,000), --rounds R (counts changes fanned out, default 5), --sse-only.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { demoCases } from "../server/demo/cases.ts";
import type { CaseEvent } from "../rules/types.ts";
import { rawInsert } from "./raw.ts";
import { measureLatency } from "./latency.ts";
import { startBenchServer } from "./server.ts";
import { measureSseMemory, sseRows } from "./sse_memory.ts";
import { summarize, table } from "./stats.ts";
import { postBatch } from "./post_batch.ts";

const { values: args } = parseArgs({
  options: {
    events: { type: "string", default: "20000" },
    batch: { type: "string", default: "1000" },
    rate: { type: "string", default: "5" },
    seconds: { type: "string", default: "20" },
    "tick-ms": { type: "string" },
    connections: { type: "string", default: "2000" },
    rounds: { type: "string", default: "5" },
    "sse-only": { type: "boolean", default: false },
  },
});
const N = Number(args.events), BATCH = Number(args.batch), RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const tickMs = args["tick-ms"] ? Number(args["tick-ms"]) : undefined;
const CONNECTIONS = Number(args.connections), ROUNDS = Number(args.rounds);
const limits = {
  events: N,
  batch: BATCH,
  rate: RATE,
  seconds: SECONDS,
  connections: CONNECTIONS,
  rounds: ROUNDS,
};
for (const [k, v] of Object.entries(limits)) {
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${k} must be a positive number`);
}
const adminUrl = Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres";
if (!["127.0.0.1", "localhost", "[::1]"].includes(new URL(adminUrl).hostname)) {
  throw new Error(`the benchmark runs on a local PostgreSQL only, not ${new URL(adminUrl).hostname}`);
}

/** At least `n` demo events (whole cases), cut to exactly `n`, all dated before now. */
function generate(n: number): CaseEvent[] {
  const now = Date.now();
  for (let cases = Math.ceil(n / 8);; cases = Math.ceil(cases * 1.3)) {
    const events = demoCases({ now, cases, seed: 20241008 }).flat();
    if (events.length >= n) return events.slice(0, n);
  }
}

const f = (x: number, d = 0) =>
  x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });

/** Parts 1 and 2: the table's rows and the results' fields. */
async function runIngest(): Promise<{ rows: [string, string][]; fields: Record<string, unknown> }> {
  console.log(`generating ${N} events …`);
  const events = generate(N);
  console.log("starting the server on a fresh database …");
  const server = await startBenchServer({ adminUrl, tickMs });
  try {
    // 1a. Through the HTTP API.
    console.log(`POST /api/v1/events: ${N} events in batches of ${BATCH} …`);
    const batchMs: number[] = [];
    let stored = 0, duplicates = 0, refused = 0;
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      const started = performance.now();
      const report = await postBatch(server.url, server.senders, events.slice(i, i + BATCH));
      batchMs.push(performance.now() - started);
      stored += report.stored;
      duplicates += report.duplicates;
      refused += report.refused;
    }
    const httpSeconds = (performance.now() - t0) / 1000;

    // 1b. Raw multi-row INSERTs of the same rows.
    console.log("raw INSERTs of the same rows …");
    const raw = await rawInsert(server.dbUrl, events, BATCH);

    // 2. Event-to-SSE latency.
    console.log(`latency: ${RATE}/s for ${SECONDS} s with an SSE client …`);
    const latency = await measureLatency(server, { rate: RATE, seconds: SECONDS });

    const httpRate = N / httpSeconds;
    const rawRate = N / raw.seconds;
    const lat = summarize(latency.ms);
    const post = summarize(latency.postMs);
    const batch = summarize(batchMs);
    const rows: [string, string][] = [
      ["events", f(N)],
      [
        "HTTP API, events/s",
        `${f(httpRate)}  (${f(httpSeconds, 2)} s; stored ${stored}, dup ${duplicates}, refused ${refused})`,
      ],
      ["HTTP batch of " + BATCH + ", ms", `p50 ${f(batch.p50)}  p99 ${f(batch.p99)}`],
      ["raw INSERT, rows/s", `${f(rawRate)}  (${f(raw.seconds, 2)} s)`],
      ["ratio raw / HTTP", `${f(rawRate / httpRate, 1)}×`],
      [
        `event → SSE alert, ms (${latency.sent} sent)`,
        `p50 ${f(lat.p50)}  p99 ${f(lat.p99)}  max ${f(lat.max)}  lost ${latency.lost}`,
      ],
      ["POST of one event, ms", `p50 ${f(post.p50)}  p99 ${f(post.p99)}`],
    ];

    const fields = {
      postgres: raw.serverVersion,
      params: { events: N, batch: BATCH, rate: RATE, seconds: SECONDS, hubTickMs: tickMs ?? "default" },
      ingest: {
        http: {
          events: N,
          stored,
          duplicates,
          refused,
          seconds: httpSeconds,
          eventsPerSecond: httpRate,
          batchMs: batch,
        },
        raw: { rows: N, seconds: raw.seconds, rowsPerSecond: rawRate },
        ratio: rawRate / httpRate,
      },
      latency: { sent: latency.sent, received: latency.ms.length, lost: latency.lost, ms: lat, postMs: post },
    };
    return { rows, fields };
  } finally {
    await server.close();
  }
}

const ingest = args["sse-only"] ? null : await runIngest();
const sse = await measureSseMemory({ connections: CONNECTIONS, rounds: ROUNDS, adminUrl });
console.log();
console.log(table("监察台 benchmark (PostgreSQL, 127.0.0.1)", [...(ingest?.rows ?? []), ...sseRows(sse)]));

const { postgres, ...ingestFields } = ingest?.fields ?? {};
const result = {
  at: new Date().toISOString(),
  machine: {
    cpus: navigator.hardwareConcurrency,
    deno: Deno.version.deno,
    ...(postgres ? { postgres } : {}),
  },
  ...ingestFields,
  sse: { params: { connections: CONNECTIONS, rounds: ROUNDS }, ...sse },
};
const dir = new URL("./results/", import.meta.url);
await Deno.mkdir(dir, { recursive: true });
const stamp = result.at.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
const json = JSON.stringify(result, null, 2) + "\n";
const name = ingest ? `ingest-${stamp}.json` : `sse-${stamp}.json`;
await Deno.writeTextFile(new URL(name, dir), json);
if (ingest) await Deno.writeTextFile(new URL("latest.json", dir), json);
console.log(`\nwritten: bench/results/${name}${ingest ? ", bench/results/latest.json" : ""}`);
