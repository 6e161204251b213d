/**
 * The composite score of RULES.md §5 and ranking with ties — pure functions.
 *
 * `score = wOnTime·onTime + wSatisfaction·satisfaction + wRed·max(0, 1 − redsPer100 ÷ capRed)
 *        + wWarnings·max(0, 1 − warningsPer100 ÷ capWarnings) + wAbnormal·max(0, 1 − abnormalPer100 ÷ capAbnormal)`
 *
 * with the default weights 40/20/20/10/10 and caps 20/50/20. A missing measure (a rate whose denominator
 * is 0, e.g. no evaluations) counts as 1. The weights add up to 100, so the score lies in 0–100; it is
 * computed from the exact counts and rounded to two decimals, and units are ranked by that rounded
 * score: equal scores share a rank and the next rank skips (1, 2, 2, 4). A unit with fewer than
 * {@linkcode MIN_COMPLETED} cases completed in the month is 样本不足: listed, never ranked.
 *
 * @module
 */
import { z } from "zod";
import type { Tally } from "./rankings.ts";

/** A unit needs this many completed cases in the month to be ranked. */
export const MIN_COMPLETED = 10;

/** Weights (adding up to 100) and caps (per-100 figures at which a term reaches 0). */
export const Weights = z.object({
  onTime: z.number({ error: "必须是数字" }).min(0, "不能为负数").max(100, "不能超过 100"),
  satisfaction: z.number({ error: "必须是数字" }).min(0, "不能为负数").max(100, "不能超过 100"),
  red: z.number({ error: "必须是数字" }).min(0, "不能为负数").max(100, "不能超过 100"),
  warnings: z.number({ error: "必须是数字" }).min(0, "不能为负数").max(100, "不能超过 100"),
  abnormal: z.number({ error: "必须是数字" }).min(0, "不能为负数").max(100, "不能超过 100"),
  redCap: z.number({ error: "必须是数字" }).positive("必须大于 0").max(10000, "不能超过 10000"),
  warningsCap: z.number({ error: "必须是数字" }).positive("必须大于 0").max(10000, "不能超过 10000"),
  abnormalCap: z.number({ error: "必须是数字" }).positive("必须大于 0").max(10000, "不能超过 10000"),
}).strict().superRefine((w, ctx) => {
  const sum = w.onTime + w.satisfaction + w.red + w.warnings + w.abnormal;
  if (Math.abs(sum - 100) > 1e-9) {
    ctx.addIssue({ code: "custom", path: ["onTime"], message: `五项权重之和必须为 100（现为 ${sum}）` });
  }
});
/** Weights and caps of the score. */
export type Weights = z.infer<typeof Weights>;

/** RULES.md §5's defaults. */
export const DEFAULT_WEIGHTS: Weights = Object.freeze({
  onTime: 40,
  satisfaction: 20,
  red: 20,
  warnings: 10,
  abnormal: 10,
  redCap: 20,
  warningsCap: 50,
  abnormalCap: 20,
});

/** Labels of the weights for pages and exports. */
export const WEIGHT_LABELS: Record<keyof Weights, string> = {
  onTime: "按时办结率权重",
  satisfaction: "满意率权重",
  red: "红牌项权重",
  warnings: "预警项权重",
  abnormal: "异常评价项权重",
  redCap: "每百件红牌上限",
  warningsCap: "每百件预警上限",
  abnormalCap: "每百件异常评价上限",
};

/** The formula in words, with the weights in force. */
export function formulaText(w: Weights): string {
  return `综合得分 = ${w.onTime}×按时办结率 + ${w.satisfaction}×满意率 + ${w.red}×(1 − 每百件红牌÷${w.redCap}，不低于 0)` +
    ` + ${w.warnings}×(1 − 每百件预警÷${w.warningsCap}，不低于 0) + ${w.abnormal}×(1 − 每百件异常评价÷${w.abnormalCap}，不低于 0)；` +
    `缺少的指标（如无评价）按 1 计；得分保留两位小数，同分同名次（如 1、2、2、4）；` +
    `当月办结不足 ${MIN_COMPLETED} 件的单位列为“样本不足”，不参与排名。`;
}

const frac = (num: number, den: number): number | null => (den > 0 ? num / den : null);
const term = (per100: number | null, cap: number) => (per100 === null ? 1 : Math.max(0, 1 - per100 / cap));

/** The score of a tally, rounded to two decimals; null without a completed case (nothing to judge). */
export function scoreOf(t: Tally, w: Weights = DEFAULT_WEIGHTS): number | null {
  if (t.completed === 0) return null;
  const onTime = frac(t.onTime, t.timed) ?? 1;
  const satisfaction = frac(t.evaluated - t.unsatisfied, t.evaluated) ?? 1;
  const reds = frac(t.reds * 100, t.active);
  const warnings = frac(t.warnings * 100, t.active);
  const abnormal = frac(t.abnormal * 100, t.evaluated);
  const raw = w.onTime * onTime + w.satisfaction * satisfaction + w.red * term(reds, w.redCap) +
    w.warnings * term(warnings, w.warningsCap) + w.abnormal * term(abnormal, w.abnormalCap);
  // Round half up on the decimal value (0.125 → 0.13), not on the float's binary expansion.
  return Math.round(Number((raw * 100).toPrecision(12))) / 100;
}

/** What ranking needs of a unit. */
export interface Rankable {
  score: number | null;
  completed: number;
}

/**
 * Competition ranks (1, 2, 2, 4) by score, highest first, for units with at least
 * {@linkcode MIN_COMPLETED} completed cases; null for the others. Returns ranks parallel to `units`.
 */
export function competitionRanks(units: readonly Rankable[]): (number | null)[] {
  const eligible = units.map((u, i) => ({ u, i })).filter(({ u }) =>
    u.completed >= MIN_COMPLETED && u.score !== null
  );
  eligible.sort((a, b) => b.u.score! - a.u.score!);
  const out: (number | null)[] = units.map(() => null);
  eligible.forEach(({ u, i }, pos) => {
    const prev = pos > 0 ? eligible[pos - 1] : null;
    out[i] = prev && prev.u.score === u.score ? out[prev.i] : pos + 1;
  });
  return out;
}
