/**
 * The CSV exports: rankings and red cards, Chinese headers, in the order the pages show.
 *
 * @module
 */
import { type Cell, toCsv } from "./csv.ts";
import { type DepartmentCards, DISPOSITION_LABELS } from "./notice.ts";
import type { Level } from "./params.ts";
import type { RankedUnit } from "./rankings.ts";

/** Level names for headings and file names. */
export const LEVEL_NAMES: Record<Level, string> = { department: "部门", region: "地区" };

/** A rate (0–1) as a percentage with one decimal, or empty. */
export const percent = (x: number | null): string => (x === null ? "" : `${(x * 100).toFixed(1)}%`);

/** The rankings as CSV. */
export function rankingsCsv(units: readonly RankedUnit[], level: Level): string {
  const header = [
    "排名",
    `${LEVEL_NAMES[level]}代码`,
    `${LEVEL_NAMES[level]}名称`,
    "办结件数",
    "按时办结率",
    "平均用时比",
    "在办件数",
    "预警数",
    "每百件预警",
    "红牌数",
    "每百件红牌",
    "评价件数",
    "异常评价件数",
    "每百件异常评价",
    "满意率",
  ];
  const rows = units.map((u): Cell[] => {
    const m = u.metrics;
    return [
      u.rank,
      u.code,
      u.name,
      m.completed,
      percent(m.onTimeRate),
      m.avgUsedRatio,
      m.active,
      m.warnings,
      m.warningsPer100,
      m.reds,
      m.redsPer100,
      m.evaluated,
      m.abnormal,
      m.abnormalPer100,
      percent(m.satisfactionRate),
    ];
  });
  return toCsv(header, rows);
}

/** The red cards of a period as CSV, one row per card, grouped by department. */
export function redCardsCsv(groups: readonly DepartmentCards[]): string {
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
  const rows = groups.flatMap((g) =>
    g.cards.map((c): Cell[] => [
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
    ])
  );
  return toCsv(header, rows);
}
