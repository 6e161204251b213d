/**
 * The benchmark's SSE clients spread over several processes (bench/sse_client_child.ts), so that
 * reading thousands of streams neither starves the process that measures nor shares one event loop:
 * each process opens its share of the streams over raw TCP and reports, per fan-out round, when the
 * round's alert reached each of its streams (epoch ms, comparable across processes).
 *
 * @module
 */
import { delimitedLines, spawnDeno } from "./sse_spawn.ts";

/** The streams of all client processes. */
export interface ClientFleet {
  /** Streams that opened and got their first counts. */
  opened: number;
  /** Streams that failed to open (the first error). */
  failed: number;
  error?: string;
  /** Wait until every open stream has seen `round`, or `until` (epoch ms): each arrival, and the open streams. */
  arrivals(round: number, until: number): Promise<{ open: number; arrivals: number[] }>;
  close(): Promise<void>;
}

/**
 * Open `n` streams to `url` from `procs` processes, `concurrency` connects at a time in all.
 * Resolves once every stream is open with its first counts message.
 */
export async function openFleet(
  url: string,
  headers: Record<string, string>,
  n: number,
  opts: { procs?: number; concurrency?: number } = {},
): Promise<ClientFleet> {
  const procs = Math.max(1, Math.min(opts.procs ?? 4, n));
  const perProcConcurrency = Math.max(1, Math.ceil((opts.concurrency ?? 64) / procs));
  const children = Array.from({ length: procs }, (_, i) => {
    const count = Math.floor(n / procs) + (i < n % procs ? 1 : 0);
    const child = spawnDeno(new URL("./sse_client_child.ts", import.meta.url).pathname, [
      `--url=${url}`,
      `--count=${count}`,
      `--concurrency=${perProcConcurrency}`,
    ], { SSE_HEADERS: JSON.stringify(headers) });
    return { child, lines: delimitedLines(child.stdout) };
  });
  // One request at a time per process: each answer is the next line.
  const ask = async (i: number, command: unknown) => {
    const { child, lines } = children[i];
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify(command) + "\n"));
    w.releaseLock();
    return await lines.next();
  };
  const ready = await Promise.all(children.map((c) => c.lines.next()));
  const fleet: ClientFleet = {
    opened: ready.reduce((s, r) => s + r.ready, 0),
    failed: ready.reduce((s, r) => s + r.failed, 0),
    ...(ready.find((r) => r.error) ? { error: ready.find((r) => r.error).error } : {}),
    arrivals: async (round, until) => {
      const answers = await Promise.all(children.map((_, i) => ask(i, { wait: round, until })));
      return {
        open: answers.reduce((s, a) => s + a.open, 0),
        arrivals: answers.flatMap((a) => a.arrivals as number[]),
      };
    },
    close: async () => {
      await Promise.all(children.map(async ({ child }) => {
        await child.stdin.close().catch(() => {});
        await child.status;
      }));
    },
  };
  return fleet;
}

/** Several fleets as one (their streams together). */
export function joinFleets(fleets: readonly ClientFleet[]): ClientFleet {
  const error = fleets.find((f) => f.error)?.error;
  return {
    opened: fleets.reduce((s, f) => s + f.opened, 0),
    failed: fleets.reduce((s, f) => s + f.failed, 0),
    ...(error ? { error } : {}),
    arrivals: async (round, until) => {
      const all = await Promise.all(fleets.map((f) => f.arrivals(round, until)));
      return { open: all.reduce((s, a) => s + a.open, 0), arrivals: all.flatMap((a) => a.arrivals) };
    },
    close: async () => {
      await Promise.all(fleets.map((f) => f.close()));
    },
  };
}
