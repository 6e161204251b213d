/**
 * Exporting reference data as the spreadsheet people keep: XLSX (server/export/xlsx.ts) or CSV with a
 * BOM (server/reports/csv.ts), with the columns the import reads back (columns.ts).
 *
 * @module
 */
import type { Tx } from "../../db/client.ts";
import { toXlsx, XLSX_TYPE } from "../export/xlsx.ts";
import { listReference, type ReferenceKind } from "../reference.ts";
import { attachment, toCsv } from "../reports/csv.ts";
import { COLUMNS, KIND_NAMES, rowOf } from "./columns.ts";

/** A file to download. */
export interface ExportedFile {
  body: Uint8Array | string;
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
    return { body: toCsv(header, rows), type: "text/csv; charset=utf-8", disposition: attachment(name) };
  }
  return {
    body: await toXlsx(KIND_NAMES[kind], header, rows),
    type: XLSX_TYPE,
    disposition: attachment(name),
  };
}
