/**
 * The spreadsheet columns of each kind of reference data, as people keep them (Chinese headers; the
 * English field names are accepted as headers too): how a record becomes a row and a row a record.
 *
 * @module
 */
import type { ReferenceKind } from "../reference.ts";

/** How a cell is read and written. */
export type ColumnKind = "text" | "int" | "number" | "bool" | "list";

/** One column: its header, the record field (dotted path) and how its cells read. */
export interface Column {
  header: string;
  field: string;
  kind: ColumnKind;
}

const c = (header: string, field: string, kind: ColumnKind = "text"): Column => ({ header, field, kind });

/** The columns by kind, in file order. */
export const COLUMNS: Record<ReferenceKind, readonly Column[]> = {
  items: [
    c("事项编码", "code"),
    c("事项名称", "name"),
    c("实施部门编码", "department"),
    c("法定时限（工作日）", "statutoryDays", "int"),
    c("承诺时限（工作日）", "promisedDays", "int"),
    c("办理环节", "steps", "list"),
    c("必要材料", "materials.required", "list"),
    c("可选材料", "materials.optional", "list"),
    c("特别程序", "specialProcedures", "list"),
    c("收费上限（元）", "fee.max", "number"),
    c("收费依据", "fee.basis"),
    c("承诺跑动次数", "promisedVisits", "int"),
    c("无中介服务", "intermediaryFree", "bool"),
    c("证照名称", "certificate.type"),
    c("证照字段", "certificate.fields", "list"),
    c("国家部委确定证照", "certificate.nationallyDetermined", "bool"),
  ],
  departments: [c("部门编码", "code"), c("部门名称", "name"), c("所属区划", "region")],
  halls: [c("大厅编码", "code"), c("大厅名称", "name"), c("所属区划", "region")],
  regions: [c("区划代码", "code"), c("区划名称", "name"), c("上级区划", "parent")],
};

/** Names of the kinds for pages and file names. */
export const KIND_NAMES: Record<ReferenceKind, string> = {
  items: "事项目录",
  departments: "部门",
  halls: "政务服务大厅",
  regions: "行政区划",
};

/** Lists in one cell are separated by 、 ; ； or line breaks. */
export const LIST_SEPARATOR = "、";

/** A record as the cells of its row. */
export function rowOf(kind: ReferenceKind, record: Record<string, unknown>): (string | number | null)[] {
  return COLUMNS[kind].map((col) => {
    const v = col.field.split(".").reduce<unknown>(
      (o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined),
      record,
    );
    if (v === undefined || v === null) return null;
    if (col.kind === "bool") return v ? "是" : "否";
    if (col.kind === "list") return (v as unknown[]).join(LIST_SEPARATOR);
    return typeof v === "number" ? v : String(v);
  });
}

/** The column a record field belongs to (`materials.required.2` → 必要材料, `fee` → 收费上限). */
export function columnOfField(kind: ReferenceKind, field: string): Column | undefined {
  const cols = COLUMNS[kind];
  return cols.find((col) => field === col.field || field.startsWith(col.field + ".")) ??
    cols.find((col) => col.field.startsWith(field + "."));
}
