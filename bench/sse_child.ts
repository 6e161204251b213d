/**
 * One variant of the SSE memory benchmark, in its own process so that its RSS is its own
 * (bench/sse_memory.ts starts it; not meant to be run by hand).
 *
 * - `--variant hub`: the product — bench/server.ts (a fresh database on the local PostgreSQL, the
 *   app with its LiveHub and scheduler behind Deno.serve); clients use `GET /api/v1/stream`.
 * - `--variant naive`: the baseline — Hono `streamSSE`, one `setInterval` per connection that sends
 *   the counts when they changed and a ping every ten ticks; no database. The counts payload is the
 *   `SSE_COUNTS` environment variable (the hub's own message), so both send the same bytes.
 *
 * - `--variant floor`: Deno.serve answering a bare ReadableStream that sends one counts message —
 *   what any stream costs in the runtime's HTTP server, below which no hub can go.
 *   `POST <control>/broadcast?round=N` writes one alert-sized message marked `fanout-N` to every
 *   stream: the runtime's own fan-out time, beside the hub's.
 *
 * Prints one JSON line when ready: `{ url, control, auth?, senders?, dbUrl? }`. `GET <control>/memory`
 * answers the process's memory after a full GC (run with `--v8-flags=--expose-gc`). Closing stdin
 * ends it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { startBenchServer } from "./server.ts";
import { fanoutAlert } from "./sse_fanout.ts";

const { values: args } = parseArgs({
  options: { variant: { type: "string" }, "admin-url": { type: "string" } },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const encoder = new TextEncoder();

/** Memory after collecting garbage, settled. */
async function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(100);
  }
  const m = Deno.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    gc: gc !== undefined,
  };
}

interface Variant {
  url: string;
  extra: Record<string, unknown>;
  /** Write a message marked `fanout-<round>` to every stream (the floor only). */
  broadcast?(round: number): void;
  close(): Promise<void>;
}

async function hubVariant(adminUrl: string): Promise<Variant> {
  const server = await startBenchServer({ adminUrl });
  return {
    url: server.url,
    extra: { auth: server.readCookie, senders: server.senders, dbUrl: server.dbUrl },
    close: () => server.close(),
  };
}

function naiveVariant(): Variant {
  const data = Deno.env.get("SSE_COUNTS") ?? "{}";
  const version = 1;
  const aborts = new Set<() => void>();
  const app = new Hono();
  app.get("/api/v1/stream", (c) =>
    streamSSE(c, async (stream) => {
      let sent = 0, ticks = 0;
      const send = async () => {
        if (sent !== version) {
          sent = version;
          await stream.writeSSE({ event: "counts", id: String(version), data });
        } else if (++ticks % 10 === 0) await stream.write(": ping\n\n");
      };
      await send();
      const timer = setInterval(() => send().catch(() => {}), 1000);
      await new Promise<void>((resolve) => {
        const end = () => {
          aborts.delete(end);
          resolve();
        };
        aborts.add(end);
        stream.onAbort(end);
      });
      clearInterval(timer);
    }));
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    extra: {},
    close: async () => {
      for (const end of [...aborts]) end();
      await Promise.race([server.shutdown(), sleep(2000)]);
    },
  };
}

/** The floor: Deno.serve answering a ReadableStream that sends one message and stays open. */
function floorVariant(): Variant {
  const message = encoder.encode(`id: 1\nevent: counts\ndata: ${Deno.env.get("SSE_COUNTS")}\n\n`);
  const ends = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    let ctrl: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        ctrl = c;
        ends.add(c);
        c.enqueue(message);
      },
      cancel: () => void ends.delete(ctrl),
    });
    return new Response(body, { headers: { "content-type": "text/event-stream" } });
  });
  const alert = (round: number) =>
    encoder.encode(`id: ${round + 2}\nevent: alert\ndata: ${JSON.stringify(fanoutAlert(round, "D"))}\n\n`);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    extra: {},
    broadcast: (round) => {
      const chunk = alert(round);
      for (const c of ends) c.enqueue(chunk);
    },
    close: async () => {
      for (const c of ends) c.close();
      await Promise.race([server.shutdown(), sleep(2000)]);
    },
  };
}

const variants = { hub: () => hubVariant(args["admin-url"]!), naive: naiveVariant, floor: floorVariant };
if (!(args.variant! in variants)) throw new Error("--variant hub|naive|floor");
const variant = await variants[args.variant as keyof typeof variants]();
const control = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/broadcast" && variant.broadcast) {
      variant.broadcast(Number(url.searchParams.get("round")));
      return new Response(null, { status: 204 });
    }
    return Response.json(await memory());
  },
);
console.log(JSON.stringify({
  url: variant.url,
  control: `http://127.0.0.1:${control.addr.port}`,
  ...variant.extra,
}));

// The parent closes stdin when it is done (or dies): clean up, the hub's database included.
for await (const _ of Deno.stdin.readable) { /* nothing is sent */ }
await variant.close();
await control.shutdown();
Deno.exit(0);
