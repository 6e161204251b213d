/**
 * A spot check as a table (CSV and XLSX downloads, the printable report): one row per sampled case in
 * sample order, then the summary by department.
 *
 * @module
 */
import { attachment, type Cell } from "../reports/csv.ts";
import { csvStream } from "../export/csv_stream.ts";
import { cellColumns, XLSX_TYPE, xlsxStream } from "../export/xlsx.ts";
import type { SpotCheckView } from "./spot_checks.ts";

/** Result names. */
export const RESULT_LABELS: Record<string, string> = { conforming: "合格", nonconforming: "不合格" };

const HEADER = ["序号", "办件编号", "部门", "抽查结果", "问题说明", "检查人", "检查时间", "排序哈希"];

/** `2024-10-15 09:30` in Shanghai time, from an ISO instant. */
export function shanghaiMinute(iso: string | null): string {
  if (!iso) return "";
  const ms = Date.parse(iso) + 8 * 3600_000;
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/** The rows of the table. */
export function spotCheckRows(v: SpotCheckView): Cell[][] {
  const rows: Cell[][] = v.sample.map((s) => [
    s.position,
    s.case,
    s.departmentName ?? s.department ?? "",
    s.result ? RESULT_LABELS[s.result] : "未检查",
    s.note ?? "",
    s.by ? `${s.byOffice ?? ""}（${s.by}）` : "",
    shanghaiMinute(s.at),
    s.hash,
  ]);
  rows.push([]);
  rows.push(["汇总", "部门", "抽取", "已检查", "不合格"]);
  for (const d of v.summary.byDepartment) {
    rows.push(["", d.name ?? d.department ?? "", d.sampled, d.checked, d.nonconforming]);
  }
  rows.push(["", "合计", v.summary.sampled, v.summary.checked, v.summary.nonconforming]);
  return rows;
}

/** The title line of the report. */
export function spotCheckTitle(v: SpotCheckView): string {
  return `随机抽查第${v.id}号 ${v.scope.name ?? v.scope.code} ${v.from}至${v.to} 种子${v.seed}`;
}

/** A download of the spot check: CSV or XLSX, written as it is read. */
export function spotCheckDownload(
  v: SpotCheckView,
  format: "csv" | "xlsx",
): { body: ReadableStream<Uint8Array>; type: string; disposition: string } {
  const name = `随机抽查-${v.id}-${v.from}-${v.to}.${format}`;
  const rows = spotCheckRows(v);
  if (format === "csv") {
    return {
      body: csvStream(HEADER, [rows]),
      type: "text/csv; charset=utf-8",
      disposition: attachment(name),
    };
  }
  return {
    body: xlsxStream([{ name: `抽查${v.id}`, columns: cellColumns(HEADER), pages: [rows] }]),
    type: XLSX_TYPE,
    disposition: attachment(name),
  };
}
