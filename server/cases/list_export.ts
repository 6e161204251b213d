/**
 * Exports of the filtered case list (`/cases.csv`, `/cases.xlsx`): every case of the filter (up to
 * {@linkcode MAX_EXPORT_ROWS}), read a page at a time with the list's own keyset query and streamed
 * (server/export/): a page is read only when the client has taken the previous one, so an export holds
 * one page in memory whatever its length. One row per case with the same figures the list shows;
 * applicants' names masked (the desk's exports are for shared screens and printouts).
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
import type { Cell } from "../reports/csv.ts";
import { csvStream, mapPages } from "../export/csv_stream.ts";
import { cellColumns, xlsxStream } from "../export/xlsx.ts";
import type { CaseListParams } from "./list_params.ts";
import { type CaseListRow, listCasePage } from "./list_query.ts";

/**
 * Most rows one export holds (below a sheet's 1,048,576 rows); a larger filter is refused with a
 * request to narrow it.
 */
export const MAX_EXPORT_ROWS = 1_000_000;

/** Rows read per query. */
export const EXPORT_PAGE = 1000;

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

/** An export about to be streamed: the filter's total, and its rows a page at a time in the list's order. */
export interface CaseListExport {
  total: number;
  pages: AsyncGenerator<CaseListRow[]>;
}

/**
 * Open the export: reads the first page now (so that a bad filter or too many rows is refused before
 * anything is sent), the others as `pages` is read.
 */
export async function openCaseListExport(
  tx: Tx,
  p: Principal,
  q: CaseListParams,
  calendar: Calendar,
  today: IsoDate,
  { maxRows = MAX_EXPORT_ROWS }: { maxRows?: number } = {},
): Promise<CaseListExport> {
  // Counted up to one past the most rows, so that "too many" is exact whatever the filter.
  const read = (cursor?: string) =>
    listCasePage(tx, p, { ...q, names: "masked", limit: EXPORT_PAGE, cursor }, calendar, today, {
      countCap: maxRows,
    });
  const first = await read();
  if (first.totalCapped || first.total > maxRows) {
    const found = first.totalCapped ? `超过 ${first.total}` : `有 ${first.total}`;
    throw new ValidationError(
      `导出最多 ${maxRows} 件，当前条件下${found} 件，请缩小筛选范围 (too many rows to export)`,
    );
  }
  async function* pages(): AsyncGenerator<CaseListRow[]> {
    let page = first;
    yield page.cases;
    while (page.next) {
      page = await read(page.next);
      yield page.cases;
    }
  }
  return { total: first.total, pages: pages() };
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

/** The rows as a CSV stream (UTF-8 with BOM, as the other exports). */
export function caseListCsv(pages: AsyncIterable<CaseListRow[]>): ReadableStream<Uint8Array> {
  return csvStream(HEADER, mapPages(pages, cells));
}

/** The rows as an XLSX stream (the shared writer, server/export/xlsx.ts). */
export function caseListXlsx(pages: AsyncIterable<CaseListRow[]>): ReadableStream<Uint8Array> {
  return xlsxStream([{ name: "办件时限一览", columns: cellColumns(HEADER), pages: mapPages(pages, cells) }]);
}
