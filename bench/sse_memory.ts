/**
 * Memory of open live streams: the product's LiveHub behind Deno.serve against a naive baseline
 * (Hono `streamSSE`, one timer per connection), N connections each, every variant in a fresh child
 * process (bench/sse_child.ts) so that its RSS is its own. RSS per connection is the growth from a
 * warmed-up idle server to N open streams that all received their first counts, after a full GC,
 * divided by N. For the hub, also the fan-out: a counts change committed and announced as the
 * writers do (a `counters` row and `NOTIFY jct_changes` in one transaction), timed to its arrival
 * on each of the N streams.
 *
 * `deno task bench` runs it after the ingestion benchmark (bench/ingest.ts); `deno task bench:sse`
 * runs only this, with `--connections N` (default 2,000) and `--rounds R` (changes fanned out,
 * default 5). Only 127.0.0.1.
 *
 * @module
 */
import postgres from "postgres";
import { openMany, openRawSse, type RawSse } from "./sse_clients.ts";
import { summarize, type Summary } from "./stats.ts";

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
  /** Commit of a counts change → its arrival on each stream, ms (all rounds pooled). */
  fanout: { rounds: number; arrivalMs: Summary; spreadMs: Summary; lost: number };
  note?: string;
}

interface Child {
  info: { url: string; control: string; auth?: string; dbUrl?: string };
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
async function measureVariant(child: Child, n: number, onCounts?: (c: RawSse, at: number) => void) {
  const headers: Record<string, string> = child.info.auth ? { cookie: child.info.auth } : {};
  const url = `${child.info.url}/api/v1/stream`;
  const warm = await openMany(WARMUP, () => openRawSse(url, headers));
  for (const c of warm) c.close();
  await sleep(500);
  const idle = await memoryOf(child);
  const t0 = performance.now();
  const clients = await openMany(n, () => openRawSse(url, headers, onCounts));
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

/** Run both variants with `connections` streams each; `rounds` counts changes fanned out by the hub. */
export async function measureSseMemory(
  opts: { connections: number; rounds: number; adminUrl: string; log?: (s: string) => void },
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
  let hub: VariantFigures, payload: string;
  const arrivals: number[] = [], spreads: number[] = [];
  let lost = 0;
  try {
    payload = await hubCountsPayload(hubChild);
    let round: { t0: number; first: number; got: Set<RawSse> } | null = null;
    const { figures, clients } = await measureVariant(hubChild, n, (c, at) => {
      if (!round || round.got.has(c)) return;
      round.got.add(c);
      round.first = Math.min(round.first, at);
      arrivals.push(at - round.t0);
      spreads.push(at - round.first);
    });
    hub = figures;
    const sql = postgres(hubChild.info.dbUrl!, { max: 1, onnotice: () => {} });
    try {
      const [{ code }] = await sql<{ code: string }[]>`select code from departments order by code limit 1`;
      for (let r = 0; r < opts.rounds; r++) {
        await sleep(1500); // past the hub's tick: each change is its own message
        round = { t0: performance.now(), first: Infinity, got: new Set() };
        await sql.begin(async (tx) => {
          await tx`insert into counters (department, hall, metric, rule, day, value)
            values (${code}, '', 'open', '', '', 1)
            on conflict (department, hall, metric, rule, day) do update set value = counters.value + 1`;
          await tx`select pg_notify('jct_changes', ${JSON.stringify({ departments: [code], halls: [] })})`;
        });
        const deadline = performance.now() + 10_000;
        while (round.got.size < clients.length && performance.now() < deadline) await sleep(20);
        lost += clients.length - round.got.size;
      }
    } finally {
      await sql.end();
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
  let floor: VariantFigures;
  try {
    const { figures, clients } = await measureVariant(floorChild, n);
    floor = figures;
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
    fanout: { rounds: opts.rounds, arrivalMs: summarize(arrivals), spreadMs: summarize(spreads), lost },
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
      `counts change → arrival, ms (${r.fanout.rounds}×${r.connections})`,
      `${ms(r.fanout.arrivalMs)}  lost ${r.fanout.lost}`,
    ],
    ["… after the first client, ms", ms(r.fanout.spreadMs)],
  ];
}
