/**
 * Exporting reference data as the spreadsheet people keep: XLSX (server/export/xlsx.ts) or CSV with a
 * BOM (server/reports/csv.ts), with the columns the import reads back (columns.ts).
 *
 * @module
 */
import type { Tx } from "../../db/client.ts";
import { csvStream } from "../export/csv_stream.ts";
import { cellColumns, XLSX_TYPE, xlsxStream } from "../export/xlsx.ts";
import { listReference, type ReferenceKind } from "../reference.ts";
import { attachment } from "../reports/csv.ts";
import { COLUMNS, KIND_NAMES, rowOf } from "./columns.ts";

/** A file to download. */
export interface ExportedFile {
  /** The file, written as it is read. */
  body: ReadableStream<Uint8Array>;
  type: string;
  disposition: string;
}

/** The whole list of `kind` as an XLSX or CSV file. */
export async function exportFile(db: Tx, kind: ReferenceKind, format: "xlsx" | "csv"): Promise<ExportedFile> {
  const records = await listReference(db, kind) as Record<string, unknown>[];
  const header = COLUMNS[kind].map((c) => c.header);
  const rows = records.map((r) => rowOf(kind, r));
  const name = `${KIND_NAMES[kind]}.${format}`;
  if (format === "csv") {
    return {
      body: csvStream(header, [rows]),
      type: "text/csv; charset=utf-8",
      disposition: attachment(name),
    };
  }
  return {
    body: xlsxStream([{ name: KIND_NAMES[kind], columns: cellColumns(header), pages: [rows] }]),
    type: XLSX_TYPE,
    disposition: attachment(name),
  };
}
