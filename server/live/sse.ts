/**
 * Server-sent events framing and the stream's message ids.
 *
 * Ids live in the `live_feed` id space so that resumption works on any server process: an `alert`
 * carries its live_feed id (`"4711"`), a `counts` message the feed position it follows plus a
 * sequence number (`"4711.000003"`). Read as numbers they strictly increase on a connection, and
 * `Last-Event-ID` resumes after the feed position it names.
 *
 * @module
 */

const encoder = new TextEncoder();

/** One SSE message; `data` must be a single line (JSON.stringify output is). */
export function sseMessage(event: string, id: string, data: string): Uint8Array {
  return encoder.encode(`id: ${id}\nevent: ${event}\ndata: ${data}\n\n`);
}

/** Several messages as one chunk (one write per client instead of one per message). */
export function concatChunks(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** The reconnection delay the browser should use. */
export const RETRY = encoder.encode("retry: 3000\n\n");
/** A comment that keeps proxies and the browser from timing the stream out. */
export const PING = encoder.encode(": ping\n\n");

/** Digits of the sequence part of a counts id. */
const SEQ_DIGITS = 6;

/** The id of a counts message: feed position `pos`, the `seq`-th counts message at that position. */
export function countsId(pos: number, seq: number): string {
  return `${pos}.${String(Math.min(seq, 10 ** SEQ_DIGITS - 1)).padStart(SEQ_DIGITS, "0")}`;
}

/** The feed position a `Last-Event-ID` names, or null when it is absent or not one of ours. */
export function parseEventId(id: string | null | undefined): number | null {
  if (id == null) return null;
  const m = /^\s*(\d{1,15})(?:\.\d+)?\s*$/.exec(id);
  return m ? Number(m[1]) : null;
}
