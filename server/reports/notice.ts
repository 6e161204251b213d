/**
 * The anomaly notice (通报, RULES.md §5) — the pure part: red cards of a period grouped by
 * department, and the notice's text. Red cards voided by a supervisor or withdrawn (a late event
 * showed they never applied) are not in it; the query leaves them out.
 *
 * @module
 */
import { PROCEDURE_SUBJECT_RULES, ruleName } from "../../rules/names.ts";
import type { IsoDate } from "../../rules/types.ts";
import { type Period, wholeMonth } from "./params.ts";

/** Disposition labels (article 11). */
export const DISPOSITION_LABELS: Record<string, string> = {
  circulated_criticism: "通报批评",
  accountability: "追责",
};

/** One red card as listed in a notice. */
export interface RedCard {
  caseId: string;
  rule: string;
  /** The rule's short name (rules/names.ts). */
  ruleName: string;
  subject: string | null;
  on: IsoDate;
  department: string | null;
  departmentName: string | null;
  itemCode: string | null;
  itemName: string | null;
  /** `circulated_criticism` or `accountability`, when a supervisor gave one. */
  disposition: string | null;
}

/** The red cards of one department. */
export interface DepartmentCards {
  code: string | null;
  name: string;
  count: number;
  cards: RedCard[];
}

/** A generated notice: title, opening, a section per department, closing. */
export interface NoticeText {
  title: string;
  opening: string;
  sections: { heading: string; lines: string[] }[];
  closing: string;
}

const collator = new Intl.Collator("zh-CN");

/** Group cards by department: most cards first, then by name; cards by date, case and rule. */
export function groupByDepartment(cards: readonly RedCard[]): DepartmentCards[] {
  const groups = new Map<string, DepartmentCards>();
  for (const c of cards) {
    const key = c.department ?? "";
    let g = groups.get(key);
    if (!g) {
      groups.set(
        key,
        g = { code: c.department, name: groupName(c.department, c.departmentName), count: 0, cards: [] },
      );
    }
    g.cards.push(c);
    g.count++;
  }
  const byCard = (a: RedCard, b: RedCard) =>
    a.on.localeCompare(b.on) || a.caseId.localeCompare(b.caseId) || a.rule.localeCompare(b.rule) ||
    (a.subject ?? "").localeCompare(b.subject ?? "");
  return [...groups.values()].map((g) => ({ ...g, cards: g.cards.sort(byCard) })).sort(compareGroups);
}

/** The order of a notice's departments: most cards first, then by name. */
export function compareGroups(
  a: { count: number; name: string },
  b: { count: number; name: string },
): number {
  return b.count - a.count || collator.compare(a.name, b.name);
}

/** A department's name in a notice. */
export function groupName(code: string | null, name: string | null): string {
  return name ?? code ?? "未知部门";
}

const DIGITS = "零一二三四五六七八九";

/** A Chinese numeral for 1–999 (一, 十二, 二十, 一百零五), for section headings. */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 999) return String(n);
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let s = h ? `${DIGITS[h]}百` : "";
  if (t) s += `${t === 1 && !h ? "" : DIGITS[t]}十`;
  else if (h && u) s += "零";
  if (u) s += DIGITS[u];
  return s;
}

/** `2026年11月5日` */
export function chineseDate(date: IsoDate): string {
  const [y, m, d] = date.split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

/** The period as the notice names it: `2026年11月`, or `2026年11月3日至2026年11月20日`. */
export function periodName(p: Period): string {
  const month = wholeMonth(p);
  if (month) return `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`;
  return p.from === p.to ? chineseDate(p.from) : `${chineseDate(p.from)}至${chineseDate(p.to)}`;
}

/** One card as a line of the notice. */
export function cardLine(c: RedCard): string {
  const item = c.itemName ?? c.itemCode ?? "";
  // Procedure names say something; a fee event's id (8.4) does not.
  const subject = c.subject && PROCEDURE_SUBJECT_RULES.has(c.rule) ? `（${c.subject}）` : "";
  const disposition = c.disposition ? `；已处理：${DISPOSITION_LABELS[c.disposition] ?? c.disposition}` : "";
  return `${chineseDate(c.on)}，办件${c.caseId}${item ? `（${item}）` : ""}，` +
    `${c.rule} ${c.ruleName}${subject}红牌${disposition}。`;
}

/** The notice of a period, for the caller's area (`全省`, a region's name, or `本辖区`). */
export function noticeText(period: Period, area: string, groups: readonly DepartmentCards[]): NoticeText {
  const name = periodName(period);
  const total = groups.reduce((n, g) => n + g.count, 0);
  const range = `${chineseDate(period.from)}至${chineseDate(period.to)}`;
  const title = `关于${name}政务服务电子监察红牌情况的通报`;
  if (total === 0) {
    return {
      title,
      opening: `${range}，${area}政务服务电子监察系统未发出红牌。`,
      sections: [],
      closing: "请各部门继续严格落实政务服务各项时限和规范要求。",
    };
  }
  const ruleCounts = new Map<string, number>();
  for (const g of groups) for (const c of g.cards) ruleCounts.set(c.rule, (ruleCounts.get(c.rule) ?? 0) + 1);
  const byRule = [...ruleCounts].sort((a, b) =>
    b[1] - a[1] || a[0].localeCompare(b[0], "en", { numeric: true })
  )
    .map(([rule, n]) => `${ruleName(rule)}${n}张`).join("、");
  return {
    title,
    opening: `${range}，${area}政务服务电子监察系统共发出红牌${total}张，涉及${groups.length}个部门，` +
      `其中${byRule}。现将有关情况通报如下：`,
    sections: groups.map((g, i) => ({
      heading: `${chineseNumeral(i + 1)}、${g.name}（${g.count}张）`,
      lines: g.cards.map(cardLine),
    })),
    closing: "请被通报部门认真对照问题，查明原因，限期整改，并将整改情况报电子监察机构。",
  };
}

/** A ruleName-filled card from a stored row. */
export function redCard(row: Omit<RedCard, "ruleName">): RedCard {
  return { ...row, ruleName: ruleName(row.rule) };
}
