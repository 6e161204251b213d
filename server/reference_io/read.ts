/**
 * Reading an uploaded XLSX or CSV file of reference data: the first sheet (or the CSV) as rows, the
 * header row matched to the kind's columns, each row turned into a record and validated with the same
 * schemas as the JSON API (rules/event_schema.ts via server/reference.ts). Every problem is listed by
 * spreadsheet row (the header is row 1) and column; a file with any problem imports nothing.
 *
 * @module
 */
import readXlsxFile from "read-excel-file/universal";
import {
  departmentSchema,
  hallSchema,
  parseItem,
  parseWith,
  regionSchema,
} from "../../rules/event_schema.ts";
import type { ReferenceKind } from "../reference.ts";
import { type Column, columnOfField, COLUMNS } from "./columns.ts";
import { bilingual } from "../write/ingest_messages.ts";

/** One problem of a file. */
export interface RowError {
  /** Spreadsheet row number (1 = the header row); 0 for the file as a whole. */
  row: number;
  /** The column's header, or "" for the whole row or file. */
  column: string;
  error: string;
}

/** The outcome of reading a file: its records when there is no error, else the errors. */
export type ReadResult =
  | { ok: true; records: Record<string, unknown>[] }
  | { ok: false; errors: RowError[] };

/** The most data rows a file may hold. */
export const MAX_ROWS = 20_000;

type Cell = string | number | boolean | Date | null | undefined;

/** Read a file's rows: XLSX when it is a zip archive (`PK`), else CSV text (UTF-8, BOM optional). */
export async function fileRows(bytes: Uint8Array): Promise<Cell[][]> {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
    const sheets = await readXlsxFile(new Blob([bytes as BlobPart]));
    return (sheets[0]?.data ?? []) as Cell[][];
  }
  return parseCsv(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), a leading BOM dropped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  const s = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') (cell += '"', i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") (row.push(cell), cell = "");
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && s[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell !== "" || row.length) (row.push(cell), rows.push(row));
  return rows;
}

/** Read and validate a file of `kind`; `known` answers whether a referenced code exists. */
export async function readReferenceFile(
  kind: ReferenceKind,
  bytes: Uint8Array,
  known: { departments: Set<string>; regions: Set<string> },
): Promise<ReadResult> {
  let rows: Cell[][];
  try {
    rows = await fileRows(bytes);
  } catch (err) {
    return {
      ok: false,
      errors: [{
        row: 0,
        column: "",
        error: `无法读取文件，请上传 XLSX 或 UTF-8 编码的 CSV（${(err as Error).message}）`,
      }],
    };
  }
  rows = rows.filter((r) => r.some((v) => text(v) !== ""));
  if (rows.length === 0) return { ok: false, errors: [{ row: 0, column: "", error: "文件是空的" }] };
  const header = rows[0].map((h) => text(h));
  const columns = COLUMNS[kind];
  const index = new Map<Column, number>();
  const errors: RowError[] = [];
  for (const col of columns) {
    const i = header.findIndex((h) => h === col.header || h === col.field);
    if (i >= 0) index.set(col, i);
  }
  const required = kind === "items" ? columns.filter((c) => !/^(fee|certificate)\./.test(c.field)) : columns;
  for (const col of required) {
    if (!index.has(col) && !(kind === "regions" && col.field === "parent")) {
      errors.push({ row: 1, column: col.header, error: "缺少此列（表头须与导出的模板一致）" });
    }
  }
  if (errors.length) return { ok: false, errors };
  if (rows.length - 1 > MAX_ROWS) {
    return { ok: false, errors: [{ row: 0, column: "", error: `数据行过多（至多 ${MAX_ROWS} 行）` }] };
  }
  const records: Record<string, unknown>[] = [];
  const seen = new Map<string, number>();
  rows.slice(1).forEach((cells, i) => {
    const row = i + 2;
    const raw: Record<string, unknown> = {};
    let cellError = false;
    for (const [col, at] of index) {
      const r = readCell(col, cells[at]);
      if (!r.ok) {
        errors.push({ row, column: col.header, error: r.error });
        cellError = true;
      } else if (r.value !== undefined) set(raw, col.field, r.value);
    }
    if (cellError) return;
    const record = kind === "items" ? shapeItem(raw) : raw;
    const parsed = validate(kind, record);
    if (!parsed.ok) {
      errors.push({ row, column: columnOfField(kind, parsed.field)?.header ?? "", error: parsed.error });
      return;
    }
    const value = parsed.value as Record<string, unknown>;
    const code = String(value.code);
    const first = seen.get(code);
    if (first !== undefined) {
      errors.push({ row, column: columns[0].header, error: `编码 ${code} 与第 ${first} 行重复` });
      return;
    }
    seen.set(code, row);
    const ref = referenceProblem(kind, value, known);
    if (ref) return errors.push({ row, column: ref.column, error: ref.error });
    records.push(value);
  });
  return errors.length ? { ok: false, errors } : { ok: true, records };
}

function text(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v).trim();
}

function readCell(col: Column, v: Cell): { ok: true; value: unknown } | { ok: false; error: string } {
  const s = text(v);
  if (s === "") return { ok: true, value: col.kind === "list" ? [] : undefined };
  switch (col.kind) {
    case "int":
    case "number": {
      const n = typeof v === "number" ? v : Number(s);
      if (!Number.isFinite(n)) return { ok: false, error: `“${s}”不是数字` };
      if (col.kind === "int" && !Number.isInteger(n)) return { ok: false, error: `“${s}”不是整数` };
      return { ok: true, value: n };
    }
    case "bool":
      if (v === true || /^(是|y|yes|true|1)$/i.test(s)) return { ok: true, value: true };
      if (v === false || /^(否|n|no|false|0)$/i.test(s)) return { ok: true, value: false };
      return { ok: false, error: `“${s}”应为 是 或 否` };
    case "list":
      return { ok: true, value: s.split(/[、;；\n]/).map((x) => x.trim()).filter(Boolean) };
    default:
      return { ok: true, value: s };
  }
}

function set(o: Record<string, unknown>, path: string, value: unknown) {
  const keys = path.split(".");
  let at = o;
  for (const k of keys.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
  at[keys.at(-1)!] = value;
}

/** Empty fee or certificate columns mean "none" (`null`); lists default to empty. */
function shapeItem(raw: Record<string, unknown>): Record<string, unknown> {
  const out = { ...raw };
  const fee = raw.fee as { max?: unknown; basis?: unknown } | undefined;
  out.fee = fee && (fee.max !== undefined || fee.basis !== undefined) ? { basis: "", ...fee } : null;
  const cert = raw.certificate as
    | { type?: unknown; fields?: unknown[]; nationallyDetermined?: unknown }
    | undefined;
  out.certificate = cert && (cert.type !== undefined || (cert.fields?.length ?? 0) > 0)
    ? { fields: [], nationallyDetermined: false, ...cert }
    : null;
  const materials = (raw.materials ?? {}) as Record<string, unknown>;
  out.materials = { required: [], optional: [], ...materials };
  out.steps ??= [];
  out.specialProcedures ??= [];
  return out;
}

function validate(kind: ReferenceKind, record: unknown) {
  const r = validateRecord(kind, record);
  // The validators in rules/ speak English; the page shows Chinese first, as ingestion's refusals do.
  return r.ok ? r : { ...r, error: bilingual(r.field, r.error) };
}

function validateRecord(kind: ReferenceKind, record: unknown) {
  if (kind === "items") {
    const r = parseItem(record);
    return r.ok ? { ok: true as const, value: r.item as unknown } : r;
  }
  const schema = { departments: departmentSchema, regions: regionSchema, halls: hallSchema }[kind];
  return parseWith(schema as never, record) as { ok: true; value: unknown } | {
    ok: false;
    field: string;
    error: string;
  };
}

function referenceProblem(
  kind: ReferenceKind,
  v: Record<string, unknown>,
  known: { departments: Set<string>; regions: Set<string> },
): { column: string; error: string } | null {
  if (kind === "items" && !known.departments.has(String(v.department))) {
    return { column: "实施部门编码", error: `部门 ${v.department} 未登记，请先导入部门` };
  }
  if ((kind === "departments" || kind === "halls") && !known.regions.has(String(v.region))) {
    return { column: "所属区划", error: `区划 ${v.region} 未登记，请先导入行政区划` };
  }
  return null;
}
