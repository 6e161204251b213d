/**
 * The exports: rankings as CSV and XLSX (one column list for both), red cards as CSV; Chinese
 * headers, in the order the pages show; written as streams (server/export/).
 *
 * @module
 */
import type { Cell } from "./csv.ts";
import { csvStream } from "../export/csv_stream.ts";
import { type DepartmentCards, DISPOSITION_LABELS, type RedCard } from "./notice.ts";
import { type Level, LEVELS } from "./params.ts";
import type { RankedUnit } from "./rankings.ts";
import type { ReportRow } from "./rankings_query.ts";
import { formulaText, WEIGHT_LABELS, type Weights } from "./score.ts";
import type { WeightsInForce } from "./weights_store.ts";
import { type XlsxColumn, type XlsxSheetSource, xlsxStream } from "../export/xlsx.ts";

/** Level names for headings and file names. */
export const LEVEL_NAMES: Record<Level, string> = { department: "部门", region: "地区", kind: "同类部门" };

/** A rate (0–1) as a percentage with one decimal, or empty. */
export const percent = (x: number | null): string => (x === null ? "" : `${(x * 100).toFixed(1)}%`);

/** The rank as shown: the number, 样本不足, or 汇总 for the scope's own total. */
export function rankLabel(u: RankedUnit): string | number {
  if (u.rank !== null) return u.rank;
  if (u.peerGroup === null) return "汇总";
  return u.insufficient ? "样本不足" : "—";
}

/** The columns of a rankings table, shared by the CSV and the XLSX export. */
export function rankingColumns(level: Level): XlsxColumn<ReportRow>[] {
  const unit = level === "region" ? "地区" : "部门";
  return [
    { header: "比较组", value: (u) => u.peerGroupName ?? "本级汇总" },
    { header: "排名", value: rankLabel, kind: "int" },
    { header: `${unit}代码`, value: (u) => u.code },
    { header: `${unit}名称`, value: (u) => u.name },
    { header: "综合得分", value: (u) => u.score, kind: "decimal" },
    { header: "上月得分", value: (u) => u.previous?.score, kind: "decimal" },
    { header: "得分环比", value: (u) => u.scoreChange, kind: "decimal" },
    { header: "上月排名", value: (u) => u.previous?.rank, kind: "int" },
    { header: "名次变化", value: (u) => u.rankChange, kind: "int" },
    { header: "办结件数", value: (u) => u.metrics.completed, kind: "int" },
    { header: "按时办结率", value: (u) => u.metrics.onTimeRate, kind: "percent" },
    { header: "平均用时比", value: (u) => u.metrics.avgUsedRatio, kind: "decimal" },
    { header: "在办件数", value: (u) => u.metrics.active, kind: "int" },
    { header: "预警数", value: (u) => u.metrics.warnings, kind: "int" },
    { header: "每百件预警", value: (u) => u.metrics.warningsPer100, kind: "decimal" },
    { header: "红牌数", value: (u) => u.metrics.reds, kind: "int" },
    { header: "每百件红牌", value: (u) => u.metrics.redsPer100, kind: "decimal" },
    { header: "评价件数", value: (u) => u.metrics.evaluated, kind: "int" },
    { header: "异常评价件数", value: (u) => u.metrics.abnormal, kind: "int" },
    { header: "每百件异常评价", value: (u) => u.metrics.abnormalPer100, kind: "decimal" },
    { header: "满意率", value: (u) => u.metrics.satisfactionRate, kind: "percent" },
  ];
}

/** The rankings as CSV (percentages as text, other numbers as they are). */
export function rankingsCsv(units: readonly ReportRow[], level: Level): ReadableStream<Uint8Array> {
  const columns = rankingColumns(level);
  const rows = units.map((u): Cell[] =>
    columns.map((c) => {
      const v = c.value(u);
      return c.kind === "percent" && typeof v === "number" ? percent(v) : v;
    })
  );
  return csvStream(columns.map((c) => c.header), [rows]);
}

/** The rankings workbook: one sheet per level, then the weights in force. */
export function rankingsXlsx(
  month: string,
  levels: Partial<Record<Level, ReportRow[]>>,
  weights: WeightsInForce,
): ReadableStream<Uint8Array> {
  const sheets: XlsxSheetSource<unknown>[] = [];
  for (const level of LEVELS) {
    const rows = levels[level];
    if (rows) {
      sheets.push(
        {
          name: `${LEVEL_NAMES[level]}排名 ${month}`,
          columns: rankingColumns(level),
          pages: [rows],
        } as XlsxSheetSource<
          unknown
        >,
      );
    }
  }
  const w = weights.weights;
  const weightRows = (Object.keys(WEIGHT_LABELS) as (keyof Weights)[]).map((k) => ({
    name: WEIGHT_LABELS[k],
    key: k,
    value: w[k],
  }));
  sheets.push({
    name: "权重",
    columns: [
      { header: "项目", value: (r: { name: string }) => r.name },
      { header: "键", value: (r: { key: string }) => r.key },
      { header: "取值", value: (r: { value: number }) => r.value, kind: "decimal" },
    ],
    pages: [[
      ...weightRows,
      { name: "计算公式", key: "formula", value: formulaText(w) },
      { name: "设置人", key: "setBy", value: weights.setBy ?? "默认（RULES.md §5）" },
      { name: "设置时间", key: "setAt", value: weights.setAt ?? "" },
    ]],
  } as XlsxSheetSource<unknown>);
  return xlsxStream(sheets);
}

/** A page of one department's red cards. */
export type RedCardPage = { group: Pick<DepartmentCards, "code" | "name">; cards: readonly RedCard[] };

/**
 * The red cards of a period as CSV, one row per card, grouped by department, from pages of one
 * department's cards (server/reports/red_cards_query.ts `redCardPages`), written as they are read.
 */
export function redCardsCsv(
  pages: AsyncIterable<RedCardPage> | Iterable<RedCardPage>,
): ReadableStream<Uint8Array> {
  const header = [
    "部门代码",
    "部门名称",
    "办件编号",
    "事项编码",
    "事项名称",
    "规则",
    "规则名称",
    "对象",
    "红牌日期",
    "处理",
  ];
  async function* rows() {
    for await (const { group: g, cards } of pages) {
      yield cards.map((c): Cell[] => [
        g.code,
        g.name,
        c.caseId,
        c.itemCode,
        c.itemName,
        c.rule,
        c.ruleName,
        c.subject,
        c.on,
        c.disposition ? DISPOSITION_LABELS[c.disposition] ?? c.disposition : "",
      ]);
    }
  }
  return csvStream(header, rows());
}
