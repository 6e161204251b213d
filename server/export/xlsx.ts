/**
 * XLSX for spreadsheet users, the twin of server/export/csv_stream.ts, written as a stream: the rows
 * arrive a page at a time and each page's sheet XML goes straight into fflate's streaming zip
 * (`Zip` + `ZipDeflate`), so a workbook of any size never sits whole in memory. Strings are written
 * inline (`t="inlineStr"`), never through a shared-strings table that would need every string first.
 *
 * - {@linkcode xlsxStream}`(sheets)` — the bytes of a workbook of several sheets as a stream, each
 *   sheet's rows from an (async) iterable of pages, columns typed with number formats by kind (whole
 *   numbers, two decimals, percentages of 0–1 values);
 * - {@linkcode toWorkbook}`(sheets)` / {@linkcode toXlsx}`(sheet, header, rows)` — the same, gathered
 *   into bytes, for small tables held in memory anyway.
 *
 * Every sheet gets a bold, frozen header row and column widths from its first page; text is always
 * written as text (never as a formula, so a cell beginning with `=` stays inert).
 *
 * @module
 */
import type { Context } from "hono";
import { attachment } from "../reports/csv.ts";
import { gather } from "./csv_stream.ts";
import { sheetXml, STYLES_XML, workbookFiles } from "./xlsx_parts.ts";

export { XLSX_FORMATS } from "./xlsx_parts.ts";
import { Zip, ZipDeflate } from "fflate";

/** A cell: text, a number, or empty. */
export type XlsxCell = string | number | null | undefined;

/**
 * How a column's values are written: whole numbers, two decimals, a percentage (value 0–1), text
 * (numbers too, as text), or `auto` (numbers as plain numbers, the rest as text).
 */
export type XlsxKind = "text" | "int" | "decimal" | "percent" | "auto";

/** One column of a sheet. */
export interface XlsxColumn<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  kind?: XlsxKind;
  /** Width in characters; default from the header's and the first page's lengths. */
  width?: number;
}

/** Pages of rows: an array of pages, or pages read one after another from the database. */
export type Pages<T> = Iterable<readonly T[]> | AsyncIterable<readonly T[]>;

/** One sheet: a name (at most 31 characters, no `[]:*?/\`), columns and rows a page at a time. */
export interface XlsxSheetSource<T> {
  name: string;
  columns: readonly XlsxColumn<T>[];
  pages: Pages<T>;
}

/** One sheet whose rows are all at hand. */
export interface XlsxSheet<T> {
  name: string;
  columns: readonly XlsxColumn<T>[];
  rows: readonly T[];
}

/** The media type of an XLSX file. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A sheet name Excel accepts, unique among `taken`. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31) || "Sheet";
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(out);
  return out;
}

// deno-lint-ignore no-explicit-any
type AnySource = XlsxSheetSource<any>;

const encoder = new TextEncoder();

/** The workbook's bytes as a stream: each page of rows is compressed and handed on as it is read. */
export function xlsxStream(sheets: readonly AnySource[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(xlsxChunks(sheets));
}

async function* xlsxChunks(sheets: readonly AnySource[]): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  function* drain() {
    if (failure) throw failure;
    while (out.length) yield out.shift()!;
  }
  const file = (path: string, text: string) => {
    const f = new ZipDeflate(path, { level: 6 });
    zip.add(f);
    f.push(encoder.encode(text), true);
  };
  const taken = new Set<string>();
  const names: string[] = [];
  for (const [i, s] of sheets.entries()) {
    names.push(sheetName(s.name, taken));
    const f = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 });
    zip.add(f);
    for await (const part of sheetXml(s.columns, s.pages)) {
      f.push(encoder.encode(part));
      yield* drain();
    }
    f.push(new Uint8Array(0), true);
    yield* drain();
  }
  for (const [path, text] of Object.entries(workbookFiles(names))) file(path, text);
  file("xl/styles.xml", STYLES_XML);
  zip.end();
  yield* drain();
}

/** Several sheets whose rows are at hand, as the bytes of one workbook. */
// deno-lint-ignore no-explicit-any
export function toWorkbook(sheets: readonly XlsxSheet<any>[]): Promise<Uint8Array> {
  return gather(xlsxStream(sheets.map((s) => ({ name: s.name, columns: s.columns, pages: [s.rows] }))));
}

/** One sheet of plain cells (header row, then the rows; numbers as numbers, text as text). */
export function toXlsx(
  sheet: string,
  header: readonly string[],
  rows: readonly (readonly XlsxCell[])[],
): Promise<Uint8Array> {
  return toWorkbook([{ name: sheet, columns: cellColumns(header), rows }]);
}

/** Columns that read the cells of rows given as arrays. */
export function cellColumns(header: readonly string[]): XlsxColumn<readonly XlsxCell[]>[] {
  return header.map((h, i) => ({ header: h, value: (r) => r[i], kind: "auto" }));
}

/** The headers of an XLSX download. */
export function xlsxHeaders(filename: string): Record<string, string> {
  return {
    "content-type": XLSX_TYPE,
    "content-disposition": attachment(filename),
    "cache-control": "no-store",
  };
}

/** An XLSX download, from bytes or a stream. */
export function xlsxResponse(
  c: Context,
  body: Uint8Array | ReadableStream<Uint8Array>,
  filename: string,
): Response {
  return c.body(body as Uint8Array<ArrayBuffer>, 200, xlsxHeaders(filename));
}
