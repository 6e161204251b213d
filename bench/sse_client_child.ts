/**
 * One process of SSE clients for the benchmark (bench/sse_client_procs.ts starts several; not meant
 * to be run by hand): opens `--count` raw streams to `--url` (headers from the `SSE_HEADERS`
 * environment variable, JSON), then answers commands, one JSON line each way:
 *
 * - first it prints `{ "ready": opened, "failed": n, "error"? }` once every stream got its first counts;
 * - `{ "wait": round, "until": epochMs }` is answered once every open stream has seen the round's
 *   alert, or at `until`: `{ "round", "open", "arrivals": [epoch ms of each stream that got it] }`.
 *
 * Closing stdin closes the streams and ends the process.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { epochMs, openMany, openRawSse, type RawSse } from "./sse_clients.ts";

const { values: args } = parseArgs({
  options: { url: { type: "string" }, count: { type: "string" }, concurrency: { type: "string" } },
});
const headers: Record<string, string> = JSON.parse(Deno.env.get("SSE_HEADERS") ?? "{}");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const encoder = new TextEncoder();
const say = (line: unknown) => Deno.stdout.writeSync(encoder.encode(JSON.stringify(line) + "\n"));

let failed = 0, error: string | undefined;
const open = async (): Promise<RawSse | null> => {
  try {
    return await openRawSse(args.url!, headers);
  } catch (err) {
    failed++;
    error ??= String(err);
    return null;
  }
};
const clients = (await openMany(Number(args.count), open, Number(args.concurrency ?? 16)))
  .filter((c): c is RawSse => c !== null);
say({ ready: clients.length, failed, ...(error ? { error } : {}) });

const lines = Deno.stdin.readable.pipeThrough(new TextDecoderStream());
let buf = "";
for await (const chunk of lines) {
  buf += chunk;
  for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
    const command = JSON.parse(buf.slice(0, nl));
    buf = buf.slice(nl + 1);
    if (typeof command.wait === "number") {
      const round: number = command.wait;
      const live = () => clients.filter((c) => !c.closed);
      while (epochMs() < command.until && live().some((c) => c.round < round)) await sleep(10);
      const reached = clients.filter((c) => c.round >= round);
      say({ round, open: live().length, arrivals: reached.map((c) => c.roundAt) });
    }
  }
}
for (const c of clients) c.close();
Deno.exit(0);
