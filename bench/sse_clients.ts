/**
 * Many SSE clients over raw TCP for the memory and fan-out benchmark: a plain HTTP/1.1 GET per
 * connection, then a byte scan of what arrives for `event: counts` and for the fan-out marks
 * (`fanout-<n>"`) — no decoding, no parsing, no fetch machinery, so that thousands of streams cost
 * the measuring processes little (bench/sse_client_child.ts runs them, several processes at once).
 *
 * @module
 */

const encoder = new TextEncoder();
const COUNTS = encoder.encode("event: counts");
/** The fan-out benchmark's messages carry `fanout-<round>"` (as an alert's case number). */
export const FANOUT_MARK = "fanout-";
const FANOUT = encoder.encode(FANOUT_MARK);
const QUOTE = 0x22, ZERO = 0x30, NINE = 0x39;
/** Bytes of one read; the province's counts message may take a few. */
const READ_BYTES = 4096;
/** Bytes of the previous read kept in front of the next one, so that a mark split by a read is found. */
const CARRY = FANOUT.length + 16;

/** Epoch milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** One open stream: how many counts messages it has seen, the last fan-out round and when it came. */
export interface RawSse {
  counts: number;
  round: number;
  /** When `round` arrived (epoch ms). */
  roundAt: number;
  closed: boolean;
  close(): void;
}

/** Where `needle` starts in `hay` at or after `from`, or -1. */
function find(hay: Uint8Array, needle: Uint8Array, from: number): number {
  const last = hay.length - needle.length;
  for (let i = hay.indexOf(needle[0], from); i >= 0 && i <= last; i = hay.indexOf(needle[0], i + 1)) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

/** Open a stream; resolves once its first counts message arrived (`timeoutMs` at most). */
export async function openRawSse(
  url: string,
  headers: Record<string, string>,
  onRound?: (client: RawSse) => void,
  timeoutMs = 30_000,
): Promise<RawSse> {
  const u = new URL(url);
  const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
  const head = [`GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, "Accept: text/event-stream"]
    .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`));
  const { promise: firstCounts, resolve: first, reject: fail } = Promise.withResolvers<void>();
  firstCounts.catch(() => {}); // a stream that fails after its first counts is only closed
  const client: RawSse = {
    counts: 0,
    round: -1,
    roundAt: 0,
    closed: false,
    close() {
      if (client.closed) return;
      client.closed = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
  const read = async () => {
    await conn.write(encoder.encode(head.join("\r\n") + "\r\n\r\n"));
    const buf = new Uint8Array(CARRY + READ_BYTES);
    let carried = 0, status = false;
    for (;;) {
      const n = await conn.read(buf.subarray(carried)).catch(() => null);
      if (n === null) break;
      const now = epochMs();
      const text = buf.subarray(0, carried + n);
      if (!status) {
        const line = new TextDecoder().decode(text.subarray(0, 12));
        if (line !== "HTTP/1.1 200") throw new Error(`stream: ${line}`);
        status = true;
      }
      // The carried bytes are scanned again: a counts mark counts where it ends past them, a round once.
      for (let i = find(text, COUNTS, 0); i >= 0; i = find(text, COUNTS, i + COUNTS.length)) {
        if (i + COUNTS.length <= carried) continue;
        if (++client.counts === 1) first();
      }
      for (let i = find(text, FANOUT, 0); i >= 0; i = find(text, FANOUT, i + FANOUT.length)) {
        let round = 0, j = i + FANOUT.length;
        while (j < text.length && text[j] >= ZERO && text[j] <= NINE) round = round * 10 + text[j++] - ZERO;
        if (j >= text.length || text[j] !== QUOTE || j === i + FANOUT.length || round <= client.round) {
          continue;
        }
        client.round = round;
        client.roundAt = now;
        onRound?.(client);
      }
      carried = Math.min(CARRY, text.length);
      buf.copyWithin(0, text.length - carried, text.length);
    }
    fail(new Error("stream ended before its first counts message"));
  };
  read().catch((err) => fail(err)).finally(() => client.close());
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      firstCounts,
      new Promise((_, reject) => timer = setTimeout(() => reject(new Error("no counts in time")), timeoutMs)),
    ]);
  } catch (err) {
    client.close();
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return client;
}

/** Run `open` `n` times, `concurrency` at a time. */
export async function openMany<T>(
  n: number,
  open: () => Promise<T>,
  concurrency = 64,
): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      out.push(await open());
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, worker));
  return out;
}
