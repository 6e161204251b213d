/**
 * Monthly efficiency rankings (汇总分析及评价, RULES.md §5) — the pure part: per-department tallies
 * (additive counts the database sums up, see `rankings_query.ts`) become metrics, regions add up the
 * tallies of their departments and sub-regions, and units are ranked.
 *
 * Definitions, for a month M (Asia/Shanghai dates, first to last day inclusive):
 * - **办结件数 completed**: cases with status completed whose completion date is in M.
 * - **按时办结率 on-time rate** = on time / completed with a known remaining, where on time means
 *   remaining ≥ 0 at completion (used ≤ N: no 8.1 red card). Cases completed without acceptance
 *   (no remaining) are not in it.
 * - **平均用时比 average used/promised ratio** = mean of used / N over completed cases with N > 0 and a
 *   known remaining (used = N − remaining, N = the item's promised days). Above 1 means late.
 * - **在办件数 active**: cases received on or before the last day of M and not completed or rejected
 *   before its first day.
 * - **预警/红牌每百件 warnings and red cards per 100 cases** = alerts raised in M (by their date), neither
 *   voided nor withdrawn, × 100 / active.
 * - **评价件数 evaluated**: cases whose first evaluation (the one that counts, RULES.md §4) is dated in M.
 * - **异常评价每百件 abnormal per 100 evaluated** = cases with at least one finding dated in M in state
 *   abnormal, appealed, upheld or investigating (异常办件, not findings), × 100 / evaluated.
 * - **满意率 satisfaction rate** = (evaluated − cases with such a 9.1 finding dated in M) / evaluated: a
 *   dissatisfaction overturned by the second evaluation, or one without a reason, is not counted.
 *
 * A rate with a zero denominator is null (shown as "—"). **Ranking**: by on-time rate, highest first;
 * ties, and then units without a completed case (no rank, listed last), in order of name (zh-CN
 * collation), then code.
 *
 * @module
 */

/** Additive counts of one department for one month. */
export interface Tally {
  completed: number;
  /** Completed with a known remaining. */
  timed: number;
  onTime: number;
  /** Completed with N > 0 and a known remaining; `ratioSum` sums used / N over them. */
  ratioCases: number;
  ratioSum: number;
  active: number;
  warnings: number;
  reds: number;
  evaluated: number;
  /** Evaluated cases with an abnormal finding. */
  abnormal: number;
  /** Evaluated cases with an abnormal 9.1 (satisfaction) finding. */
  unsatisfied: number;
}

/** The metrics of a unit; rates are fractions (0–1), null when their denominator is 0. */
export interface Metrics {
  completed: number;
  onTimeRate: number | null;
  avgUsedRatio: number | null;
  active: number;
  warnings: number;
  reds: number;
  warningsPer100: number | null;
  redsPer100: number | null;
  evaluated: number;
  abnormal: number;
  abnormalPer100: number | null;
  satisfactionRate: number | null;
}

/** A ranked department or region. */
export interface RankedUnit {
  code: string;
  name: string;
  /** A department's region; a region's parent. */
  parent: string | null;
  metrics: Metrics;
  /** 1-based; null without a completed case. */
  rank: number | null;
}

/** A department as the rankings need it. */
export interface DepartmentRef {
  code: string;
  name: string;
  region: string;
}

/** A region as the rankings need it. */
export interface RegionRef {
  code: string;
  name: string;
  parent: string | null;
}

/** A tally of zeros. */
export function emptyTally(): Tally {
  return {
    completed: 0,
    timed: 0,
    onTime: 0,
    ratioCases: 0,
    ratioSum: 0,
    active: 0,
    warnings: 0,
    reds: 0,
    evaluated: 0,
    abnormal: 0,
    unsatisfied: 0,
  };
}

/** The sum of tallies. */
export function addTallies(tallies: Iterable<Tally>): Tally {
  const out = emptyTally();
  for (const t of tallies) {
    for (const k of Object.keys(out) as (keyof Tally)[]) out[k] += t[k];
  }
  return out;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const ratio = (num: number, den: number, scale = 1, digits = 4) =>
  den > 0 ? round((num * scale) / den, digits) : null;

/** The metrics of a tally (rates to 4 decimals, per-100 figures to 2). */
export function metricsOf(t: Tally): Metrics {
  return {
    completed: t.completed,
    onTimeRate: ratio(t.onTime, t.timed),
    avgUsedRatio: ratio(t.ratioSum, t.ratioCases),
    active: t.active,
    warnings: t.warnings,
    reds: t.reds,
    warningsPer100: ratio(t.warnings, t.active, 100, 2),
    redsPer100: ratio(t.reds, t.active, 100, 2),
    evaluated: t.evaluated,
    abnormal: t.abnormal,
    abnormalPer100: ratio(t.abnormal, t.evaluated, 100, 2),
    satisfactionRate: ratio(t.evaluated - t.unsatisfied, t.evaluated),
  };
}

const collator = new Intl.Collator("zh-CN");

/** Rank units by on-time rate (highest first); ties and unranked units by name, then code. */
export function rank(units: readonly Omit<RankedUnit, "rank">[]): RankedUnit[] {
  const sorted = [...units].sort((a, b) => {
    const ra = a.metrics.onTimeRate ?? -1;
    const rb = b.metrics.onTimeRate ?? -1;
    return rb - ra || collator.compare(a.name, b.name) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  });
  let n = 0;
  return sorted.map((u) => ({ ...u, rank: u.metrics.onTimeRate === null ? null : ++n }));
}

/** Ranked departments from their tallies (a department without a tally has zeros). */
export function rankDepartments(
  departments: readonly DepartmentRef[],
  tallies: ReadonlyMap<string, Tally>,
): RankedUnit[] {
  return rank(departments.map((d) => ({
    code: d.code,
    name: d.name,
    parent: d.region,
    metrics: metricsOf(tallies.get(d.code) ?? emptyTally()),
  })));
}

/**
 * Ranked regions: each region's tally is the sum over the given departments whose region is that
 * region or lies below it (regions.parent), so 郑州市 includes 金水区's departments.
 */
export function rankRegions(
  regions: readonly RegionRef[],
  allRegions: readonly RegionRef[],
  departments: readonly DepartmentRef[],
  tallies: ReadonlyMap<string, Tally>,
): RankedUnit[] {
  const parent = new Map(allRegions.map((r) => [r.code, r.parent]));
  const byRegion = new Map<string, Tally[]>();
  for (const d of departments) {
    const t = tallies.get(d.code);
    if (!t) continue;
    // Walk up the tree; `seen` guards against a cycle in the reference data.
    const seen = new Set<string>();
    for (let r: string | null | undefined = d.region; r && !seen.has(r); r = parent.get(r)) {
      seen.add(r);
      const list = byRegion.get(r);
      if (list) list.push(t);
      else byRegion.set(r, [t]);
    }
  }
  return rank(regions.map((r) => ({
    code: r.code,
    name: r.name,
    parent: r.parent,
    metrics: metricsOf(addTallies(byRegion.get(r.code) ?? [])),
  })));
}
