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
 * A rate with a zero denominator is null (shown as "—"). **Ranking**: by the composite score of
 * score.ts within the unit's peer group (peers.ts), ties sharing a rank; 样本不足 units unranked.
 *
 * @module
 */
import { departmentPeers, kindPeers, type PeerGroup, regionDepth, regionPeers } from "./peers.ts";
import { competitionRanks, DEFAULT_WEIGHTS, MIN_COMPLETED, scoreOf, type Weights } from "./score.ts";

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
  /** Supervision orders that turned overdue in the month (逾期未反馈, RULES.md §5). */
  ordersOverdue: number;
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
  /** Supervision orders that turned overdue in the month. */
  ordersOverdue: number;
}

/** A ranked department or region. */
export interface RankedUnit {
  code: string;
  name: string;
  /** A department's region; a region's parent. */
  parent: string | null;
  metrics: Metrics;
  /** The composite score (0–100, two decimals); null without a completed case. */
  score: number | null;
  /** 1-based within the peer group, ties shared; null when 样本不足 or without peers. */
  rank: number | null;
  /** The group the unit is ranked in (see peers.ts); null for the scope's own total. */
  peerGroup: string | null;
  peerGroupName: string | null;
  /** Fewer than MIN_COMPLETED completed cases in the month: listed, not ranked. */
  insufficient: boolean;
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
    ordersOverdue: 0,
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
    ordersOverdue: t.ordersOverdue,
  };
}

const collator = new Intl.Collator("zh-CN");
const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/** A unit before ranking. */
export interface UnitInput {
  code: string;
  name: string;
  parent: string | null;
  tally: Tally;
  peer: PeerGroup | null;
}

/**
 * Score the units and rank each within its peer group. Order: groups in the order of their first
 * unit in `units` (the scope's total first), then rank, unranked after ranked, then name and code.
 */
export function rankUnits(units: readonly UnitInput[], w: Weights = DEFAULT_WEIGHTS): RankedUnit[] {
  const scored = units.map((u) => ({
    code: u.code,
    name: u.name,
    parent: u.parent,
    metrics: metricsOf(u.tally),
    score: scoreOf(u.tally, w),
    rank: null as number | null,
    peerGroup: u.peer?.code ?? null,
    peerGroupName: u.peer?.name ?? null,
    insufficient: u.tally.completed < MIN_COMPLETED,
  }));
  const groups = new Map<string | null, RankedUnit[]>();
  for (const u of scored) {
    const g = groups.get(u.peerGroup);
    if (g) g.push(u);
    else groups.set(u.peerGroup, [u]);
  }
  const out: RankedUnit[] = [];
  // The scope's total (no peer group) leads.
  const keys = [...groups.keys()].sort((a, b) => (a === null ? -1 : b === null ? 1 : 0));
  for (const key of keys) {
    const members = groups.get(key)!;
    if (key !== null) {
      const ranks = competitionRanks(
        members.map((m) => ({ score: m.score, completed: m.metrics.completed })),
      );
      members.forEach((m, i) => m.rank = ranks[i]);
    }
    members.sort((a, b) =>
      (a.rank ?? Infinity) - (b.rank ?? Infinity) || (b.score ?? -1) - (a.score ?? -1) ||
      collator.compare(a.name, b.name) || byCode(a, b)
    );
    out.push(...members);
  }
  return out;
}

/** Ranked departments from their tallies (a department without a tally has zeros). */
export function rankDepartments(
  departments: readonly DepartmentRef[],
  allRegions: readonly RegionRef[],
  tallies: ReadonlyMap<string, Tally>,
  w: Weights = DEFAULT_WEIGHTS,
  level: "department" | "kind" = "department",
): RankedUnit[] {
  const peers = level === "kind"
    ? kindPeers(departments, allRegions)
    : departmentPeers(departments, allRegions);
  // Groups in order of their code (regions by code; kinds by key and tier).
  const sorted = [...departments].sort((a, b) =>
    peers.get(a.code)!.code < peers.get(b.code)!.code
      ? -1
      : peers.get(a.code)!.code > peers.get(b.code)!.code
      ? 1
      : byCode(a, b)
  );
  return rankUnits(
    sorted.map((d) => ({
      code: d.code,
      name: d.name,
      parent: d.region,
      tally: tallies.get(d.code) ?? emptyTally(),
      peer: peers.get(d.code)!,
    })),
    w,
  );
}

/** Each region's tally: the sum over the departments whose region is that region or lies below it. */
export function regionTallies(
  allRegions: readonly RegionRef[],
  departments: readonly DepartmentRef[],
  tallies: ReadonlyMap<string, Tally>,
): Map<string, Tally> {
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
  return new Map([...byRegion].map(([code, list]) => [code, addTallies(list)]));
}

/**
 * Ranked regions, each among the other children of its parent (peers.ts); a region's figures include
 * its sub-regions, so 郑州市 includes 金水区's departments.
 */
export function rankRegions(
  regions: readonly RegionRef[],
  allRegions: readonly RegionRef[],
  departments: readonly DepartmentRef[],
  tallies: ReadonlyMap<string, Tally>,
  w: Weights = DEFAULT_WEIGHTS,
): RankedUnit[] {
  const sums = regionTallies(allRegions, departments, tallies);
  const peers = regionPeers(regions, allRegions);
  const depth = new Map(allRegions.map((r) => [r.code, 0]));
  const byCodeMap = new Map(allRegions.map((r) => [r.code, r]));
  for (const r of regions) depth.set(r.code, regionDepth(r.code, byCodeMap));
  // Shallow groups first (the cities before any city's districts), then by the parent's code.
  const sorted = [...regions].sort((a, b) =>
    depth.get(a.code)! - depth.get(b.code)! ||
    ((a.parent ?? "") < (b.parent ?? "") ? -1 : (a.parent ?? "") > (b.parent ?? "") ? 1 : 0) || byCode(a, b)
  );
  return rankUnits(
    sorted.map((r) => ({
      code: r.code,
      name: r.name,
      parent: r.parent,
      tally: sums.get(r.code) ?? emptyTally(),
      peer: peers.get(r.code) ?? null,
    })),
    w,
  );
}

/** How units are ordered, in words (API and pages). */
export const RANKING_ORDER =
  "在同级同组单位中按综合得分（两位小数）从高到低排名，同分同名次（1、2、2、4）；当月办结不足 10 件的单位列为“样本不足”，不排名，列于组末。地区只与同一上级的地区比较，部门与同一地区的部门、或同类同级部门比较。";

/** The metrics' definitions in Chinese, for the API and the page (same as this module's doc). */
export const DEFINITIONS: Record<keyof Metrics, string> = {
  completed: "办结件数：当月办结（办结日期在当月）的办件数。",
  onTimeRate:
    "按时办结率：当月办结件中，办结时剩余时限≥0（用时不超过承诺时限，未发办理时限红牌）的比例；分母为有剩余时限的办结件（未受理即办结者除外）。",
  avgUsedRatio:
    "平均用时比：当月办结且承诺时限N>0的办件，实际用时（N−剩余时限）与N之比的平均值；大于1表示超时。",
  active: "在办件数：当月最后一日及以前收件、且未在当月第一日以前办结或不予受理的办件数。",
  warnings: "预警数：当月发出、未撤销、未撤回的预警数。",
  reds: "红牌数：当月发出、未撤销、未撤回的红牌数。",
  warningsPer100: "每百件预警：预警数×100÷在办件数。",
  redsPer100: "每百件红牌：红牌数×100÷在办件数。",
  evaluated: "评价件数：首次评价（计入考核的评价）在当月的办件数。",
  abnormal: "异常评价件数：有当月评价结果处于异常、申诉中、维持或待核实状态的办件数（按办件计）。",
  abnormalPer100: "每百件异常评价：异常评价件数×100÷评价件数。",
  satisfactionRate: "满意率：评价件中没有上述状态的满意度（9.1）异常结果的比例；二次评价改判者计为满意。",
  ordersOverdue: "逾期督办数：当月转为逾期未反馈的督办次数（退回后再次逾期另计）；不计入综合得分。",
};
