/**
 * CSV as a stream (the format of server/reports/csv.ts: BOM, CRLF, RFC 4180 quoting, formula-like
 * text defused): the header first, then each page of rows as one chunk, read only when the client
 * has taken the previous one — so an export of any length holds one page in memory.
 *
 * @module
 */
import { BOM, type Cell, csvCell } from "../reports/csv.ts";
import type { Pages } from "./xlsx.ts";

const encoder = new TextEncoder();

const line = (cells: readonly Cell[]) => cells.map(csvCell).join(",") + "\r\n";

/** The CSV document as a stream of UTF-8 chunks: BOM and header, then a chunk per page. */
export function csvStream(
  header: readonly string[],
  pages: Pages<readonly Cell[]>,
): ReadableStream<Uint8Array> {
  return ReadableStream.from((async function* () {
    yield encoder.encode(BOM + line(header));
    for await (const page of pages) {
      if (page.length) yield encoder.encode(page.map(line).join(""));
    }
  })());
}

/** A stream's bytes, gathered (for tables small enough to hold, and for tests). */
export async function gather(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Map each page of an (async) iterable of pages. */
export async function* mapPages<T, U>(pages: Pages<T>, f: (row: T) => U): AsyncGenerator<U[]> {
  for await (const page of pages) yield page.map(f);
}
