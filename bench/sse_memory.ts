/**
 * Memory of open live streams: the product's LiveHub behind Deno.serve against a naive baseline
 * (Hono `streamSSE`, one timer per connection) and the floor (a bare Deno.serve stream), N
 * connections each, every variant in a fresh child process (bench/sse_child.ts) so that its RSS is
 * its own. RSS per connection is the growth from a warmed-up idle server to N open streams that all
 * received their first counts, after a full GC, divided by N.
 *
 * Then the fan-out (bench/sse_fanout.ts): while demo events are POSTed through the hub's HTTP API at
 * a steady `load` events/s (default 200), `rounds` alerts are committed and announced as the writers
 * do, each timed from before its transaction to its arrival on every one of the N streams; the same
 * rounds on the floor's streams (one message written to all of them at once) give the runtime's own
 * fan-out time in the same run.
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
  FanoutRounds,
  type LoadFigures,
  steadyLoad,
} from "./sse_fanout.ts";
import { openMany, openRawSse, type RawSseHandlers } from "./sse_clients.ts";
import type { Summary } from "./stats.ts";
import type { SenderAuth } from "./post_batch.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WARMUP = 50;

/** Figures of one variant. */
export interface VariantFigures {
  connections: number;
  /** RSS and V8 heap of the idle (warmed-up) server and with every stream open, bytes. */
  rssIdle: number;
  rssOpen: number;
  heapIdle: number;
  heapOpen: number;
  rssPerConnection: number;
  heapPerConnection: number;
  /** Time to open all N streams and get their first counts, s. */
  connectSeconds: number;
}

/** The result of {@linkcode measureSseMemory}. */
export interface SseMemoryResult {
  connections: number;
  hub: VariantFigures;
  naive: VariantFigures;
  /** Deno.serve with a bare ReadableStream per connection: the runtime's own cost. */
  floor: VariantFigures;
  /** naive / hub RSS per connection. */
  ratio: number;
  /** An alert's commit → its arrival on the streams under the steady load, and the floor's fan-out. */
  fanout: { load: LoadFigures; hub: FanoutFigures; floor: FanoutFigures };
  note?: string;
}

interface Child {
  info: { url: string; control: string; auth?: string; senders?: SenderAuth; dbUrl?: string };
  close(): Promise<void>;
}

/** Start a variant's process with the file-descriptor limit raised to the hard limit. */
async function startChild(
  variant: "hub" | "naive" | "floor",
  adminUrl: string,
  counts: string,
): Promise<Child> {
  const deno = Deno.execPath();
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
      deno,
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL("./sse_child.ts", import.meta.url).pathname,
      `--variant=${variant}`,
      `--admin-url=${adminUrl}`,
    ],
    env: { SSE_COUNTS: counts },
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "", info: Child["info"] | null = null;
  while (!info) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`the ${variant} process ended before it was ready`);
    buf += value;
    for (let nl = buf.indexOf("\n"); nl >= 0 && !info; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line.startsWith("{")) info = JSON.parse(line);
    }
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  (async () => {
    while (!(await lines.read().catch(() => ({ done: true }))).done);
  })();
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

async function memoryOf(child: Child): Promise<{ rss: number; heapUsed: number }> {
  return await (await fetch(`${child.info.control}/memory`)).json();
}

/** Warm up, measure idle, open N streams, measure again; returns the streams for more work. */
async function measureVariant(child: Child, n: number, handlers: RawSseHandlers = {}) {
  const headers: Record<string, string> = child.info.auth ? { cookie: child.info.auth } : {};
  const url = `${child.info.url}/api/v1/stream`;
  const warm = await openMany(WARMUP, () => openRawSse(url, headers));
  for (const c of warm) c.close();
  await sleep(500);
  const idle = await memoryOf(child);
  const t0 = performance.now();
  const clients = await openMany(n, () => openRawSse(url, headers, handlers));
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(1000);
  const open = await memoryOf(child);
  const figures: VariantFigures = {
    connections: n,
    rssIdle: idle.rss,
    rssOpen: open.rss,
    heapIdle: idle.heapUsed,
    heapOpen: open.heapUsed,
    rssPerConnection: (open.rss - idle.rss) / n,
    heapPerConnection: (open.heapUsed - idle.heapUsed) / n,
    connectSeconds,
  };
  return { figures, clients };
}

/** The soft limit of open files of this process, or Infinity when unknown. */
async function openFilesLimit(): Promise<number> {
  const limits = await Deno.readTextFile("/proc/self/limits").catch(() => "");
  const m = /^Max open files\s+(\d+)/m.exec(limits);
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

/**
 * Run the variants with `connections` streams each; `rounds` alerts fanned out by the hub under a
 * steady `load` events/s (default 200), and by the floor.
 */
export async function measureSseMemory(
  opts: { connections: number; rounds: number; adminUrl: string; load?: number; log?: (s: string) => void },
): Promise<SseMemoryResult> {
  const log = opts.log ?? console.log;
  let n = opts.connections, note: string | undefined;
  // The parent holds one socket per stream; keep room for everything else.
  const limit = await openFilesLimit();
  if (n + WARMUP + 200 > limit) {
    n = limit - WARMUP - 200;
    note = `connections lowered from ${opts.connections} to ${n}: this process may open ${limit} files ` +
      "(raise `ulimit -n` to measure more)";
    log(note);
  }

  log(`SSE memory: product hub, ${n} connections …`);
  const hubChild = await startChild("hub", opts.adminUrl, "");
  let hub: VariantFigures, payload: string, load: LoadFigures, hubFanout: FanoutFigures;
  try {
    payload = await hubCountsPayload(hubChild);
    const rounds = new FanoutRounds();
    const { figures, clients } = await measureVariant(hubChild, n, { onRound: rounds.onRound });
    hub = figures;
    const loadRate = opts.load ?? 200;
    log(`SSE fan-out: ${opts.rounds} alerts to ${n} streams under ${loadRate} events/s …`);
    const alerts = await alertTrigger(hubChild.info.dbUrl!);
    const loader = steadyLoad(hubChild.info.url, hubChild.info.senders!, loadRate);
    try {
      await sleep(3000); // the load runs steadily before the first round
      hubFanout = await rounds.run(clients, opts.rounds, alerts.trigger);
    } finally {
      load = await loader.stop();
      await alerts.close();
      for (const c of clients) c.close();
    }
  } finally {
    await hubChild.close();
  }

  log(`SSE memory: naive baseline, ${n} connections …`);
  const naiveChild = await startChild("naive", opts.adminUrl, payload);
  let naive: VariantFigures;
  try {
    const { figures, clients } = await measureVariant(naiveChild, n);
    naive = figures;
    for (const c of clients) c.close();
  } finally {
    await naiveChild.close();
  }
  log(`SSE memory: floor (bare Deno.serve stream), ${n} connections …`);
  const floorChild = await startChild("floor", opts.adminUrl, payload);
  let floor: VariantFigures, floorFanout: FanoutFigures;
  try {
    const rounds = new FanoutRounds();
    const { figures, clients } = await measureVariant(floorChild, n, { onRound: rounds.onRound });
    floor = figures;
    floorFanout = await rounds.run(clients, opts.rounds, async (round) => {
      await fetch(`${floorChild.info.control}/broadcast?round=${round}`, { method: "POST" });
    });
    for (const c of clients) c.close();
  } finally {
    await floorChild.close();
  }
  return {
    connections: n,
    hub,
    naive,
    floor,
    ratio: naive.rssPerConnection / hub.rssPerConnection,
    fanout: { load, hub: hubFanout, floor: floorFanout },
    ...(note ? { note } : {}),
  };
}

/** The benchmark table's rows of a result. */
export function sseRows(r: SseMemoryResult): [string, string][] {
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
  const variant = (v: VariantFigures) =>
    `${kb(v.rssPerConnection)}  (RSS ${mb(v.rssIdle)} → ${mb(v.rssOpen)}; JS heap ${
      kb(v.heapPerConnection)
    })`;
  const ms = (s: Summary) => `p50 ${s.p50.toFixed(0)}  p99 ${s.p99.toFixed(0)}  max ${s.max.toFixed(0)}`;
  return [
    [`SSE connections per variant`, `${r.connections}${r.note ? `  (${r.note})` : ""}`],
    ["RSS per connection, product hub", variant(r.hub)],
    ["RSS per connection, naive streamSSE", variant(r.naive)],
    ["RSS per connection, bare Deno.serve", variant(r.floor)],
    ["ratio naive / hub", `${r.ratio.toFixed(2)}×`],
    [
      `alert → all ${r.connections} streams, ms (${r.fanout.hub.rounds} rounds)`,
      `${ms(r.fanout.hub.allReachedMs)}  lost ${r.fanout.hub.lost}  (target ≤ 1,000)`,
    ],
    ["… each stream's arrival, ms", ms(r.fanout.hub.arrivalMs)],
    [
      "… under ingestion through the API",
      `${r.fanout.load.eventsPerSecond.toFixed(0)} events/s (target ${r.fanout.load.targetPerSecond}; ` +
      `batch of ${r.fanout.load.batchSize}: p50 ${r.fanout.load.batchMs.p50.toFixed(0)} ms; ` +
      `${r.fanout.load.failedBatches} failed)`,
    ],
    ["bare Deno.serve: message → all streams, ms", ms(r.fanout.floor.allReachedMs)],
    [
      "ratio hub / bare Deno.serve, fan-out p50",
      `${(r.fanout.hub.allReachedMs.p50 / r.fanout.floor.allReachedMs.p50).toFixed(2)}×`,
    ],
  ];
}
