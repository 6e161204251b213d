/**
 * XLSX for spreadsheet users, the twin of server/reports/csv.ts's `toCsv`, built with
 * `write-excel-file` (small, maintained, MIT; one dependency: fflate). Two ways in:
 *
 * - {@linkcode toXlsx}`(sheet, header, rows)` — one sheet of plain cells;
 * - {@linkcode toWorkbook}`(sheets)` — several sheets described as typed columns, with number formats
 *   by column kind (whole numbers, two decimals, percentages of 0–1 values).
 *
 * Every sheet gets a bold, frozen header row and column widths from its content; text is always
 * written as text (never as a formula, so a cell beginning with `=` stays inert).
 *
 * ```ts
 * const bytes = await toWorkbook([{ name: "部门", columns: [{ header: "名称", value: (r) => r.name }], rows }]);
 * return xlsxResponse(c, bytes, "部门效率排名-2026-11.xlsx");
 * ```
 *
 * @module
 */
import type { Context } from "hono";
import writeXlsxFile from "write-excel-file/universal";
import { attachment } from "../reports/csv.ts";

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
  /** Width in characters; default from the header's length. */
  width?: number;
}

/** One sheet: a name (at most 31 characters, no `[]:*?/\`), columns and rows. */
export interface XlsxSheet<T> {
  name: string;
  columns: readonly XlsxColumn<T>[];
  rows: readonly T[];
}

/** The media type of an XLSX file. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** Excel number formats of the kinds. */
export const XLSX_FORMATS: Record<Exclude<XlsxKind, "text" | "auto">, string> = {
  int: "0",
  decimal: "0.00",
  percent: "0.0%",
};

/** A sheet name Excel accepts, unique among `taken`. */
export function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, "_").slice(0, 31) || "Sheet";
  let out = base;
  for (let i = 2; taken.has(out); i++) out = `${base.slice(0, 31 - String(i).length - 1)}_${i}`;
  taken.add(out);
  return out;
}

// A CJK character is about two characters wide in Excel's units.
const textWidth = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

// deno-lint-ignore no-explicit-any
type AnySheet = XlsxSheet<any>;

/** A whole workbook with one sheet: header row, then the rows (numbers as numbers, text as text). */
export function toXlsx(
  sheet: string,
  header: readonly string[],
  rows: readonly (readonly XlsxCell[])[],
): Promise<Uint8Array> {
  const columns = header.map((h, i): XlsxColumn<readonly XlsxCell[]> => ({
    header: h,
    value: (r) => r[i],
    kind: "auto",
  }));
  return toWorkbook([{ name: sheet, columns, rows }]);
}

/** Write the sheets to an XLSX file. */
export async function toWorkbook(sheets: readonly AnySheet[]): Promise<Uint8Array> {
  const taken = new Set<string>();
  const described = sheets.map((s) => {
    const header = s.columns.map((c) => ({ value: c.header, fontWeight: "bold" as const, wrap: true }));
    const rows = s.rows.map((row) =>
      s.columns.map((c) => {
        const v = c.value(row);
        if (v === null || v === undefined || (typeof v === "number" && !Number.isFinite(v))) return null;
        const kind = c.kind ?? "text";
        if (typeof v === "number" && kind !== "text") {
          return kind === "auto"
            ? { value: v, type: Number }
            : { value: v, type: Number, format: XLSX_FORMATS[kind] };
        }
        return { value: String(v), type: String };
      })
    );
    const columns = s.columns.map((c, i) => ({
      width: c.width ??
        Math.min(
          60,
          Math.max(
            8,
            textWidth(c.header) + 2,
            ...rows.slice(0, 200).map((r) => textWidth(String(r[i]?.value ?? "")) + 2),
          ),
        ),
    }));
    return { data: [header, ...rows], sheet: sheetName(s.name, taken), columns, stickyRowsCount: 1 };
  });
  // deno-lint-ignore no-explicit-any
  const blob = await writeXlsxFile(described as any).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}

/** An XLSX download. */
export function xlsxResponse(c: Context, bytes: Uint8Array, filename: string): Response {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": XLSX_TYPE,
    "content-disposition": attachment(filename),
    "cache-control": "no-store",
  });
}
