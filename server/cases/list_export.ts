/**
 * Exports of the filtered case list (`/cases.csv`, `/cases.xlsx`): every case of the filter (up to
 * {@linkcode MAX_EXPORT_ROWS}), read page by page with the list's own keyset query, one row per case with
 * the same figures the list shows.
 *
 * @module
 */
import type { Tx } from "../../db/client.ts";
import { isActive } from "../../rules/active_alerts.ts";
import type { Calendar } from "../../rules/calendar.ts";
import { ruleName } from "../../rules/names.ts";
import type { IsoDate } from "../../rules/types.ts";
import type { Principal } from "../auth/principal.ts";
import { ValidationError } from "../errors.ts";
import { countdown, hasActiveWarning81, label, LEVEL_LABELS, STATUS_LABELS } from "../pages/case_labels.ts";
import { type Cell, toCsv } from "../reports/csv.ts";
import { toXlsx } from "../export/xlsx.ts";
import type { CaseListParams } from "./list_params.ts";
import { type CaseListRow, listCasePage } from "./list_query.ts";

/** Most rows one export holds; a larger filter is refused with a request to narrow it. */
export const MAX_EXPORT_ROWS = 50_000;

const HEADER = [
  "办件编号",
  "事项编码",
  "事项名称",
  "部门",
  "申请人",
  "收件日期",
  "受理日期",
  "办结日期",
  "状态",
  "办理期限",
  "所剩时限（工作日）",
  "时限状态",
  "当前预警/红牌",
];

/** Every case of the filter, in the list's order. */
export async function exportRows(
  tx: Tx,
  p: Principal,
  q: CaseListParams,
  calendar: Calendar,
  today: IsoDate,
): Promise<CaseListRow[]> {
  const rows: CaseListRow[] = [];
  let cursor: string | undefined = undefined;
  for (;;) {
    const page = await listCasePage(tx, p, { ...q, names: "masked", limit: 1000, cursor }, calendar, today);
    if (page.total > MAX_EXPORT_ROWS) {
      throw new ValidationError(
        `导出最多 ${MAX_EXPORT_ROWS} 件，当前条件下有 ${page.total} 件，请缩小筛选范围 (too many rows to export)`,
      );
    }
    rows.push(...page.cases);
    if (!page.next) return rows;
    cursor = page.next;
  }
}

function cells(r: CaseListRow): Cell[] {
  const cd = countdown(r.status, r.remaining, r.paused, hasActiveWarning81(r.alerts));
  const active = r.alerts.filter(isActive).map((a) =>
    `${LEVEL_LABELS[a.level]} ${a.rule} ${ruleName(a.rule)}`
  );
  return [
    r.case,
    r.itemCode,
    r.itemName,
    r.departmentName ?? r.department,
    r.applicant,
    r.receivedOn,
    r.acceptedOn,
    r.closedOn,
    label(STATUS_LABELS, r.status),
    r.deadline,
    r.remaining,
    cd.text,
    active.join("；"),
  ];
}

/** The rows as CSV (UTF-8 with BOM, as the other exports). */
export function caseListCsv(rows: readonly CaseListRow[]): string {
  return toCsv(HEADER, rows.map(cells));
}

/** The rows as an XLSX workbook (the shared writer, server/export/xlsx.ts). */
export function caseListXlsx(rows: readonly CaseListRow[]): Promise<Uint8Array> {
  return toXlsx("办件时限一览", HEADER, rows.map(cells));
}
