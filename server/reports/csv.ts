/**
 * CSV for spreadsheet users: UTF-8 with a byte-order mark (so that Excel reads Chinese correctly),
 * CRLF line ends, RFC 4180 quoting, and text cells that a spreadsheet would run as a formula prefixed
 * with `'`: those starting with tab or CR, or whose first character after any whitespace (spaces, line
 * feeds, full-width spaces) is `=`, `+`, `-`, `@` or its full-width form `＝＋－＠` (spreadsheets trim
 * and normalise both before deciding that a cell is a formula).
 *
 * @module
 */

/** A cell: text, a number, or empty. */
export type Cell = string | number | null | undefined;

/** The UTF-8 byte-order mark Excel looks for. */
export const BOM = "\uFEFF";

/** One cell as CSV text. */
export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  let s = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  // Numbers are data; only text can carry a formula into a spreadsheet.
  if (typeof value === "string" && isFormulaLike(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Whether a spreadsheet might read the text as a formula. */
export function isFormulaLike(s: string): boolean {
  return /^[\t\r]/.test(s) || /^[\s\u3000\ufeff]*[=+\-@\uff1d\uff0b\uff0d\uff20]/.test(s);
}

/** A whole CSV document: BOM, header row, rows, CRLF after each line. */
export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(","));
  return BOM + lines.map((l) => l + "\r\n").join("");
}

/** `Content-Disposition` for a download with a Chinese file name (RFC 6266 / 5987). */
export function attachment(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replaceAll('"', "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
