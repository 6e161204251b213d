/**
 * Memory of open live streams: the product's LiveHub behind Deno.serve against a naive baseline
 * (Hono `streamSSE`, one timer per connection) and the floor (a bare Deno.serve stream), N
 * connections each, every variant in a fresh child process (bench/sse_child.ts) so that its RSS is
 * its own. RSS per connection is the growth from a warmed-up idle server to N open streams that all
 * received their first counts, after a full GC, divided by N.
 *
 * The streams are opened by several client processes (bench/sse_client_procs.ts, default 4) over raw
 * TCP, so that reading them neither starves this process nor shares the server's cores more than
 * the reading itself must.
 *
 * Then the fan-out (bench/sse_fanout.ts): while demo events are POSTed through the hub's HTTP API at
 * a steady `load` events/s (default 200; the rate achieved is reported), `rounds` alerts are committed
 * and announced as the writers do, each timed from its commit to its arrival on every one of the N
 * streams; the same rounds on the floor's streams (one message written to all of them at once) give
 * the runtime's own fan-out time in the same run. The load average is sampled throughout.
 *
 * `deno task bench` runs it after the ingestion benchmark (bench/ingest.ts); `deno task bench:sse`
 * runs only this, with `--connections N` (default 2,000) and `--rounds R` (alerts fanned out,
 * default 5); `deno task bench:scale` at 10,000 connections. Only 127.0.0.1.
 *
 * @module
 */
import {
  alertTrigger,
  type FanoutFigures,
  fanoutRounds,
  type LoadFigures,
  steadyLoad,
} from "./sse_fanout.ts";
import { type ClientFleet, joinFleets, openFleet } from "./sse_client_procs.ts";
import { epochMs } from "./sse_clients.ts";
import { delimitedLines, spawnDeno } from "./sse_spawn.ts";
import { summarize, type Summary } from "./stats.ts";
import type { SenderAuth } from "./post_batch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARMUP = 50;

/** Figures of one variant. */
export interface VariantFigures {
  connections: number;
  /** RSS and V8 heap (used; committed) of the idle (warmed-up) server and with every stream open, bytes. */
  rssIdle: number;
  rssOpen: number;
  heapIdle: number;
  heapOpen: number;
  heapTotalIdle: number;
  heapTotalOpen: number;
  rssPerConnection: number;
  heapPerConnection: number;
  /** RSS growth per stream from N/2 to N streams (the marginal cost, without one-off growth), bytes. */
  rssMarginal: number;
  /** Time to open all N streams and get their first counts, s. */
  connectSeconds: number;
}

/** The result of {@linkcode measureSseMemory}. */
export interface SseMemoryResult {
  connections: number;
  /** Processes the clients ran in. */
  clientProcesses: number;
  hub: VariantFigures;
  naive: VariantFigures;
  /** Deno.serve with a bare ReadableStream per connection: the runtime's own cost. */
  floor: VariantFigures;
  /** naive / hub RSS per connection. */
  ratio: number;
  /** hub / floor RSS per connection (the target: at most 1.2). */
  hubToFloor: number;
  /** hub / floor marginal RSS per connection (from N/2 to N streams). */
  hubToFloorMarginal: number;
  /** An alert's commit → its arrival on the streams under the steady load, and the floor's fan-out. */
  fanout: { load: LoadFigures; hub: FanoutFigures; floor: FanoutFigures };
  /** The machine's 1-minute load average while the variants ran (sampled every 2 s). */
  loadAverage: Summary;
  note?: string;
}

interface Child {
  info: { url: string; control: string; auth?: string; senders?: SenderAuth; dbUrl?: string };
  close(): Promise<void>;
}

/** Start a variant's process (its open-files limit raised to the hard limit). */
async function startChild(
  variant: "hub" | "naive" | "floor",
  adminUrl: string,
  counts: string,
): Promise<Child> {
  const child = spawnDeno(
    new URL("./sse_child.ts", import.meta.url).pathname,
    [`--variant=${variant}`, `--admin-url=${adminUrl}`],
    { SSE_COUNTS: counts },
    ["--v8-flags=--expose-gc"],
  );
  const lines = delimitedLines(child.stdout);
  const info: Child["info"] = await lines.next();
  lines.drain();
  return {
    info,
    close: async () => {
      await child.stdin.close().catch(() => {});
      const exited = await Promise.race([child.status, sleep(15_000).then(() => null)]);
      if (exited === null) child.kill("SIGKILL");
      await child.status;
    },
  };
}

async function memoryOf(child: Child): Promise<{ rss: number; heapUsed: number; heapTotal: number }> {
  return await (await fetch(`${child.info.control}/memory`)).json();
}

/** Warm up, measure idle, open N streams from the client processes, measure again; returns the streams. */
async function measureVariant(child: Child, n: number, procs: number) {
  const headers: Record<string, string> = child.info.auth ? { cookie: child.info.auth } : {};
  const url = `${child.info.url}/api/v1/stream`;
  const warm = await openFleet(url, headers, WARMUP, { procs: 1 });
  await warm.close();
  await sleep(500);
  const idle = await memoryOf(child);
  // In two halves, measured after each: the second half's growth is the marginal cost of a stream,
  // free of one-off growth during the first connects (the V8 young generation sizing itself up).
  const half = Math.floor(n / 2);
  const t0 = performance.now();
  const fleets: ClientFleet[] = [];
  let mid = idle;
  for (const [count, last] of [[half, false], [n - half, true]] as const) {
    const fleet = await openFleet(url, headers, count, { procs: Math.max(1, Math.floor(procs / 2)) });
    fleets.push(fleet);
    if (fleet.failed > 0) {
      await Promise.all(fleets.map((f) => f.close()));
      throw new Error(`${fleet.failed} of ${count} streams failed to open: ${fleet.error}`);
    }
    if (!last) {
      await sleep(1000);
      mid = await memoryOf(child);
    }
  }
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  const open = await memoryOf(child);
  const figures: VariantFigures = {
    connections: n,
    rssIdle: idle.rss,
    rssOpen: open.rss,
    heapIdle: idle.heapUsed,
    heapOpen: open.heapUsed,
    heapTotalIdle: idle.heapTotal,
    heapTotalOpen: open.heapTotal,
    rssPerConnection: (open.rss - idle.rss) / n,
    heapPerConnection: (open.heapUsed - idle.heapUsed) / n,
    rssMarginal: (open.rss - mid.rss) / (n - half),
    connectSeconds,
  };
  return { figures, clients: joinFleets(fleets) };
}

/** The hard limit of open files of a process here (children raise theirs to it), or Infinity when unknown. */
async function openFilesLimit(): Promise<number> {
  const limits = await Deno.readTextFile("/proc/self/limits").catch(() => "");
  const m = /^Max open files\s+\S+\s+(\d+)/m.exec(limits);
  return m ? Number(m[1]) : Infinity;
}

/** Read one counts message's data from the hub, to give the baseline the same payload. */
async function hubCountsPayload(child: Child): Promise<string> {
  const abort = new AbortController();
  const res = await fetch(`${child.info.url}/api/v1/stream`, {
    headers: { cookie: child.info.auth!, accept: "text/event-stream" },
    signal: abort.signal,
  });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!/event: counts\ndata: .*\n/.test(text)) text += (await reader.read()).value ?? "";
  abort.abort();
  await reader.cancel().catch(() => {});
  return /event: counts\ndata: (.*)\n/.exec(text)![1];
}

/** Options of {@linkcode measureSseMemory}. */
export interface SseMemoryOptions {
  connections: number;
  /** Alerts fanned out (each way). */
  rounds: number;
  adminUrl: string;
  /** The steady ingestion load during the hub's rounds, events/s. Default 200. */
  load?: number;
  /** Processes the clients are spread over. Default 4. */
  clientProcesses?: number;
  log?: (s: string) => void;
}

/**
 * Run the variants with `connections` streams each; `rounds` alerts fanned out by the hub under a
 * steady `load` events/s (default 200), and by the floor.
 */
export async function measureSseMemory(opts: SseMemoryOptions): Promise<SseMemoryResult> {
  const log = opts.log ?? console.log;
  const procs = opts.clientProcesses ?? 4;
  let n = opts.connections, note: string | undefined;
  // The server holds one socket per stream; keep room for everything else.
  const limit = await openFilesLimit();
  if (n + WARMUP + 200 > limit) {
    n = limit - WARMUP - 200;
    note = `connections lowered from ${opts.connections} to ${n}: a process may open ${limit} files ` +
      "(raise the hard `ulimit -n` to measure more)";
    log(note);
  }
  const loads: number[] = [];
  const sampleLoad = async () => {
    const text = await Deno.readTextFile("/proc/loadavg").catch(() => "");
    if (text) loads.push(Number(text.split(" ")[0]));
  };
  await sampleLoad();
  const sampler = setInterval(sampleLoad, 2000);
  try {
    log(`SSE memory: product hub, ${n} connections from ${procs} client processes …`);
    const hubChild = await startChild("hub", opts.adminUrl, "");
    let hub: VariantFigures, payload: string, load: LoadFigures, hubFanout: FanoutFigures;
    try {
      payload = await hubCountsPayload(hubChild);
      const { figures, clients } = await measureVariant(hubChild, n, procs);
      hub = figures;
      const loadRate = opts.load ?? 200;
      log(`SSE fan-out: ${opts.rounds} alerts to ${n} streams under ${loadRate} events/s …`);
      const alerts = await alertTrigger(hubChild.info.dbUrl!);
      const loader = steadyLoad(hubChild.info.url, hubChild.info.senders!, loadRate);
      try {
        await sleep(3000); // the load runs steadily before the first round
        hubFanout = await fanoutRounds(clients, opts.rounds, alerts.trigger);
      } finally {
        load = await loader.stop();
        await alerts.close();
        await clients.close();
      }
    } finally {
      await hubChild.close();
    }

    log(`SSE memory: naive baseline, ${n} connections …`);
    const naiveChild = await startChild("naive", opts.adminUrl, payload);
    let naive: VariantFigures;
    try {
      const { figures, clients } = await measureVariant(naiveChild, n, procs);
      naive = figures;
      await clients.close();
    } finally {
      await naiveChild.close();
    }
    log(`SSE memory: floor (bare Deno.serve stream), ${n} connections …`);
    const floorChild = await startChild("floor", opts.adminUrl, payload);
    let floor: VariantFigures, floorFanout: FanoutFigures;
    try {
      let clients: ClientFleet;
      ({ figures: floor, clients } = await measureVariant(floorChild, n, procs));
      floorFanout = await fanoutRounds(clients, opts.rounds, async (round) => {
        const startedAt = epochMs();
        await fetch(`${floorChild.info.control}/broadcast?round=${round}`, { method: "POST" });
        return { startedAt, committedAt: startedAt };
      });
      await clients.close();
    } finally {
      await floorChild.close();
    }
    return {
      connections: n,
      clientProcesses: procs,
      hub,
      naive,
      floor,
      ratio: naive.rssPerConnection / hub.rssPerConnection,
      hubToFloor: hub.rssPerConnection / floor.rssPerConnection,
      hubToFloorMarginal: hub.rssMarginal / floor.rssMarginal,
      fanout: { load, hub: hubFanout, floor: floorFanout },
      loadAverage: summarize(loads),
      ...(note ? { note } : {}),
    };
  } finally {
    clearInterval(sampler);
  }
}

/** The benchmark table's rows of a result. */
export function sseRows(r: SseMemoryResult): [string, string][] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  const variant = (v: VariantFigures) =>
    `${kb(v.rssPerConnection)}  (RSS ${mb(v.rssIdle)} → ${mb(v.rssOpen)}; JS heap ${
      kb(v.heapPerConnection)
    }; opened in ${v.connectSeconds.toFixed(1)} s)`;
  const ms = (s: Summary) =>
    s.n === 0
      ? "no round reached every stream"
      : `p50 ${s.p50.toFixed(0)}  p99 ${s.p99.toFixed(0)}  max ${s.max.toFixed(0)}`;
  const load = r.fanout.load, hub = r.fanout.hub;
  return [
    [
      `SSE connections per variant`,
      `${r.connections} from ${r.clientProcesses} client processes${r.note ? `  (${r.note})` : ""}`,
    ],
    ["RSS per connection, product hub", variant(r.hub)],
    ["RSS per connection, naive streamSSE", variant(r.naive)],
    ["RSS per connection, bare Deno.serve", variant(r.floor)],
    ["ratio hub / bare Deno.serve, RSS", `${r.hubToFloor.toFixed(2)}×  (target ≤ 1.2×)`],
    [
      "… marginal, from N/2 to N streams",
      `${r.hubToFloorMarginal.toFixed(2)}×  (${kb(r.hub.rssMarginal)} vs ${kb(r.floor.rssMarginal)})`,
    ],
    ["ratio naive / hub, RSS", `${r.ratio.toFixed(2)}×`],
    [
      `alert commit → all ${hub.streams} streams, ms (${hub.rounds} rounds)`,
      `${ms(hub.allReachedMs)}  lost ${hub.lost}  (target ≤ 1,000)`,
    ],
    ["… each stream's arrival, ms", `first ${hub.arrivalMs.min.toFixed(0)}  ${ms(hub.arrivalMs)}`],
    [
      "… under ingestion through the API",
      `${load.eventsPerSecond.toFixed(0)} events/s achieved (target ${load.targetPerSecond}; ` +
      `batch of ${load.batchSize}: p50 ${load.batchMs.p50.toFixed(0)} ms; ${load.lateBatches} late, ` +
      `${load.failedBatches} failed)`,
    ],
    ["bare Deno.serve: message → all streams, ms", ms(r.fanout.floor.allReachedMs)],
    [
      "ratio hub / bare Deno.serve, fan-out p50",
      `${(hub.allReachedMs.p50 / r.fanout.floor.allReachedMs.p50).toFixed(2)}×`,
    ],
    [
      "load average (1 min) during the SSE runs",
      `${r.loadAverage.min.toFixed(1)}–${r.loadAverage.max.toFixed(1)} (median ${
        r.loadAverage.p50.toFixed(1)
      }) on ${navigator.hardwareConcurrency} cores`,
    ],
  ];
}
