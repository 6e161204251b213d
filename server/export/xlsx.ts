/**
 * XLSX for spreadsheet users, the twin of server/reports/csv.ts's `toCsv`: one sheet, a bold header
 * row, text and numbers as typed cells. Built with `write-excel-file` (small, maintained, MIT).
 *
 * @module
 */
import writeXlsxFile from "write-excel-file/universal";

/** A cell: text, a number, or empty. */
export type XlsxCell = string | number | null | undefined;

/** The MIME type of an XLSX file. */
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** A whole workbook with one sheet: header row, then the rows. */
export async function toXlsx(
  sheet: string,
  header: readonly string[],
  rows: readonly (readonly XlsxCell[])[],
): Promise<Uint8Array> {
  const cell = (v: XlsxCell) =>
    v === null || v === undefined
      ? null
      : typeof v === "number"
      ? (Number.isFinite(v) ? { value: v, type: Number } : null)
      : { value: v, type: String };
  const data = [
    header.map((h) => ({ value: h, type: String, fontWeight: "bold" as const })),
    ...rows.map((r) => r.map(cell)),
  ];
  // Sheet names: at most 31 characters, none of []:*?/\ (Excel's limits).
  const name = sheet.replace(/[[\]:*?/\\]/g, " ").slice(0, 31) || "Sheet1";
  // deno-lint-ignore no-explicit-any
  const blob = await writeXlsxFile(data as any, { sheet: name }).toBlob();
  return new Uint8Array(await blob.arrayBuffer());
}
