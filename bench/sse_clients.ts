/**
 * Many SSE clients over raw TCP for the memory benchmark: a plain HTTP/1.1 GET per connection, and
 * a scan of the text for `event: counts` and for the fan-out marks (`fanout-<n>"`) — no parsing, no
 * fetch machinery, so that thousands of streams cost the measuring process little and add nothing to
 * the server's side.
 *
 * @module
 */

const encoder = new TextEncoder();
const MARK = "event: counts";
/** The fan-out benchmark's messages carry `fanout-<round>"` (as an alert's case number). */
export const FANOUT_MARK = "fanout-";
const FANOUT = /fanout-(\d+)"/g;
// Enough of the previous read's end to find a mark split across two reads.
const TAIL = FANOUT_MARK.length + 16;

/** One open stream: how many counts messages it has seen, when the last arrived, the last fan-out round. */
export interface RawSse {
  counts: number;
  lastAt: number;
  round: number;
  closed: boolean;
  close(): void;
}

/** Callbacks of a stream: each counts message, each fan-out round seen (once per round). */
export interface RawSseHandlers {
  onCounts?: (client: RawSse, at: number) => void;
  onRound?: (client: RawSse, round: number, at: number) => void;
}

/** Open a stream; resolves once its first counts message arrived (`timeoutMs` at most). */
export async function openRawSse(
  url: string,
  headers: Record<string, string>,
  { onCounts, onRound }: RawSseHandlers = {},
  timeoutMs = 30_000,
): Promise<RawSse> {
  const u = new URL(url);
  const conn = await Deno.connect({ hostname: u.hostname, port: Number(u.port) });
  const head = [`GET ${u.pathname}${u.search} HTTP/1.1`, `Host: ${u.host}`, "Accept: text/event-stream"]
    .concat(Object.entries(headers).map(([k, v]) => `${k}: ${v}`));
  await conn.write(encoder.encode(head.join("\r\n") + "\r\n\r\n"));
  const { promise: firstCounts, resolve: first, reject: fail } = Promise.withResolvers<void>();
  firstCounts.catch(() => {}); // a stream that fails after its first counts is only closed
  const client: RawSse = {
    counts: 0,
    lastAt: 0,
    round: -1,
    closed: false,
    close() {
      if (client.closed) return;
      client.closed = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
  (async () => {
    const decoder = new TextDecoder();
    const buf = new Uint8Array(16 * 1024);
    let tail = "", status = false;
    for (;;) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      const now = performance.now();
      const text = tail + decoder.decode(buf.subarray(0, n), { stream: true });
      if (!status) {
        if (!text.startsWith("HTTP/1.1 200")) throw new Error(`stream: ${text.split("\r\n")[0]}`);
        status = true;
      }
      // The tail is scanned again: a counts mark is counted where it ends past the tail, a round once.
      for (let i = text.indexOf(MARK); i >= 0; i = text.indexOf(MARK, i + MARK.length)) {
        if (i + MARK.length <= tail.length) continue;
        client.counts++;
        client.lastAt = now;
        if (client.counts === 1) first();
        onCounts?.(client, now);
      }
      if (text.includes(FANOUT_MARK)) {
        for (const m of text.matchAll(FANOUT)) {
          const round = Number(m[1]);
          if (round <= client.round) continue;
          client.round = round;
          onRound?.(client, round, now);
        }
      }
      tail = text.slice(-TAIL);
    }
    fail(new Error("stream ended before its first counts message"));
  })().catch((err) => fail(err)).finally(() => client.close());
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

/** Open `n` streams, `concurrency` at a time. */
export async function openMany(
  n: number,
  open: () => Promise<RawSse>,
  concurrency = 64,
): Promise<RawSse[]> {
  const out: RawSse[] = [];
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
