/**
 * The database side of the rankings: the scope's units, their monthly tallies (tally_query.ts), the
 * weights in force, and the rankings of a month with the previous month's score and rank (环比).
 * Only departments in the caller's scope are counted or listed.
 *
 * @module
 */
import { asc, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { departments, regions } from "../../db/schema.ts";
import type { Scope } from "../auth/scope.ts";
import { type Level, LEVELS, type RankingsParams } from "./params.ts";
import {
  addTallies,
  type DepartmentRef,
  emptyTally,
  metricsOf,
  rankDepartments,
  type RankedUnit,
  rankRegions,
  type RegionRef,
  regionTallies,
  type Tally,
} from "./rankings.ts";
import { scoreOf, type Weights } from "./score.ts";
import { loadMonthlyTallies, monthsEnding, previousMonth } from "./tally_query.ts";
import { loadWeights, type WeightsInForce } from "./weights_store.ts";

/** The departments (and regions) of the scope, ordered by code. */
export async function scopeUnits(tx: Tx, scope: Scope) {
  const depWhere = scope.departments === "all"
    ? undefined
    : scope.departments.size
    ? inArray(departments.code, [...scope.departments])
    : sql`false`;
  const [deps, allRegions] = await Promise.all([
    tx.select().from(departments).where(depWhere).orderBy(asc(departments.code)),
    tx.select().from(regions).orderBy(asc(regions.code)),
  ]);
  const visible = scope.regions === "all"
    ? allRegions
    : allRegions.filter((r) => (scope.regions as Set<string>).has(r.code));
  return { departments: deps as DepartmentRef[], regions: visible as RegionRef[], allRegions };
}

/** The scope's units. */
export type ScopeUnits = Awaited<ReturnType<typeof scopeUnits>>;

/** A ranked unit with the previous month's figures (环比). */
export interface ReportRow extends RankedUnit {
  previous: { score: number | null; rank: number | null } | null;
  /** This month's score minus the previous month's; null when either is missing. */
  scoreChange: number | null;
  /** Places gained since the previous month (previous rank − rank); null when either is unranked. */
  rankChange: number | null;
}

const depFilter = (scope: Scope, units: ScopeUnits) =>
  scope.departments === "all" ? "all" as const : units.departments.map((d) => d.code);

/** Rank one level from a month's tallies. */
export function rankLevel(level: Level, units: ScopeUnits, tallies: ReadonlyMap<string, Tally>, w: Weights) {
  return level === "region"
    ? rankRegions(units.regions, units.allRegions, units.departments, tallies, w)
    : rankDepartments(units.departments, units.allRegions, tallies, w, level);
}

/** Attach the previous month's score and rank to each unit (matched by code within the level). */
export function withPrevious(current: RankedUnit[], previous: RankedUnit[]): ReportRow[] {
  const before = new Map(previous.map((u) => [u.code, u]));
  return current.map((u) => {
    const p = before.get(u.code);
    const scoreChange = u.score !== null && p?.score != null
      ? Math.round((u.score - p.score) * 100) / 100
      : null;
    const rankChange = u.rank !== null && p?.rank != null ? p.rank - u.rank : null;
    return { ...u, previous: p ? { score: p.score, rank: p.rank } : null, scoreChange, rankChange };
  });
}

/** The rankings of several levels for a month, with 环比, and the weights used. */
export async function loadReport(
  tx: Tx,
  scope: Scope,
  q: Pick<RankingsParams, "month">,
  levels: readonly Level[] = LEVELS,
): Promise<{ levels: Partial<Record<Level, ReportRow[]>>; weights: WeightsInForce; previousMonth: string }> {
  const units = await scopeUnits(tx, scope);
  const prev = previousMonth(q.month);
  const [tallies, weights] = await Promise.all([
    loadMonthlyTallies(tx, depFilter(scope, units), [prev, q.month]),
    loadWeights(tx),
  ]);
  const out: Partial<Record<Level, ReportRow[]>> = {};
  for (const level of levels) {
    const cur = rankLevel(level, units, tallies.get(q.month)!, weights.weights);
    const before = rankLevel(level, units, tallies.get(prev)!, weights.weights);
    out[level] = withPrevious(cur, before);
  }
  return { levels: out, weights, previousMonth: prev };
}

/** One month of a unit's trend. */
export interface TrendPoint {
  month: string;
  score: number | null;
  onTimeRate: number | null;
  completed: number;
}

/**
 * A unit's score and on-time rate for the `count` months ending with `month`; null when the unit
 * (a department or region code) is not in the scope.
 */
export async function loadUnitTrend(
  tx: Tx,
  scope: Scope,
  unit: string,
  month: string,
  count = 12,
): Promise<{ code: string; name: string; points: TrendPoint[] } | null> {
  const units = await scopeUnits(tx, scope);
  const dep = units.departments.find((d) => d.code === unit);
  const reg = dep ? undefined : units.regions.find((r) => r.code === unit);
  if (!dep && !reg) return null;
  const months = monthsEnding(month, count);
  const codes = dep ? [dep.code] : units.departments.map((d) => d.code);
  const [tallies, weights] = await Promise.all([loadMonthlyTallies(tx, codes, months), loadWeights(tx)]);
  const points = months.map((m) => {
    const byDep = tallies.get(m)!;
    const t = dep
      ? byDep.get(dep.code) ?? emptyTally()
      : regionTallies(units.allRegions, units.departments, byDep).get(reg!.code) ?? addTallies([]);
    return {
      month: m,
      score: scoreOf(t, weights.weights),
      onTimeRate: metricsOf(t).onTimeRate,
      completed: t.completed,
    };
  });
  return { code: unit, name: (dep ?? reg)!.name, points };
}
