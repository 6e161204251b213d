/**
 * The database side of the rankings: per-department tallies of a month (see `rankings.ts` for the
 * definitions), summed in PostgreSQL so that a province-wide month is a handful of grouped queries
 * rather than every case's row. Only departments in the caller's scope are counted or listed.
 *
 * @module
 */
import { and, asc, between, count, eq, gte, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.ts";
import { alerts, cases, departments, events, findings, items, regions } from "../../db/schema.ts";
import { addDays, startOfDay } from "../../rules/dates.ts";
import type { Scope } from "../auth/scope.ts";
import { inList } from "../bulk.ts";
import { ABNORMAL_STATES } from "../counts.ts";
import type { Level, RankingsParams } from "./params.ts";
import {
  type DepartmentRef,
  emptyTally,
  rankDepartments,
  type RankedUnit,
  rankRegions,
  type RegionRef,
  type Tally,
} from "./rankings.ts";

const int = (expr: SQL) => sql<number>`(${expr})::int`;

/** The departments (and regions) of the scope, ordered by code. */
export async function scopeUnits(tx: Tx, scope: Scope) {
  const depWhere = scope.departments === "all"
    ? undefined
    : scope.departments.size
    ? inArray(departments.code, [...scope.departments])
    : sql`false`;
  const regWhere = scope.regions === "all"
    ? undefined
    : scope.regions.size
    ? inArray(regions.code, [...scope.regions])
    : sql`false`;
  const [deps, allRegions] = await Promise.all([
    tx.select().from(departments).where(depWhere).orderBy(asc(departments.code)),
    tx.select().from(regions).orderBy(asc(regions.code)),
  ]);
  const visible = regWhere === undefined
    ? allRegions
    : allRegions.filter((r) => (scope.regions as Set<string>).has(r.code));
  return { departments: deps as DepartmentRef[], regions: visible as RegionRef[], allRegions };
}

/** Per-department tallies of a month for the given departments. */
export async function monthTallies(
  tx: Tx,
  departmentCodes: readonly string[],
  from: string,
  to: string,
): Promise<Map<string, Tally>> {
  const out = new Map<string, Tally>();
  if (departmentCodes.length === 0) return out;
  const of = (col: AnyPgColumn) => inList(col, departmentCodes);
  const tally = (d: string | null) => {
    let t = out.get(d!);
    if (!t) out.set(d!, t = emptyTally());
    return t;
  };
  const n = sql`(${items.data}->>'promisedDays')::int`;
  const ratioOk = sql`${cases.remaining} is not null and ${n} > 0`;
  const fromTs = new Date(startOfDay(from)).toISOString();
  const untilTs = new Date(startOfDay(addDays(to, 1))).toISOString();
  const abnormal = [...ABNORMAL_STATES];

  const [done, active, raised, evaluated, judged] = await Promise.all([
    tx.select({
      department: cases.department,
      completed: int(sql`count(*)`),
      timed: int(sql`count(${cases.remaining})`),
      onTime: int(sql`count(*) filter (where ${cases.remaining} >= 0)`),
      ratioCases: int(sql`count(*) filter (where ${ratioOk})`),
      ratioSum: sql<
        number
      >`coalesce(sum((${n} - ${cases.remaining})::float8 / ${n}) filter (where ${ratioOk}), 0)::float8`,
    }).from(cases).leftJoin(items, eq(items.code, cases.itemCode))
      .where(and(of(cases.department), eq(cases.status, "completed"), between(cases.closedOn, from, to)))
      .groupBy(cases.department),
    tx.select({ department: cases.department, active: count() }).from(cases)
      .where(
        and(
          of(cases.department),
          lte(cases.receivedOn, to),
          or(isNull(cases.closedOn), gte(cases.closedOn, from)),
        ),
      )
      .groupBy(cases.department),
    tx.select({
      department: alerts.department,
      warnings: int(sql`count(*) filter (where ${alerts.level} = 'warning')`),
      reds: int(sql`count(*) filter (where ${alerts.level} = 'red')`),
    }).from(alerts)
      .where(
        and(
          of(alerts.department),
          between(alerts.on, from, to),
          isNull(alerts.voidedOn),
          isNull(alerts.withdrawnAt),
        ),
      )
      .groupBy(alerts.department),
    evaluatedCases(tx, of(cases.department), fromTs, untilTs),
    tx.select({
      department: findings.department,
      abnormal: int(sql`count(distinct ${findings.caseId})`),
      unsatisfied: int(sql`count(distinct ${findings.caseId}) filter (where ${findings.rule} = '9.1')`),
    }).from(findings)
      .where(and(of(findings.department), between(findings.on, from, to), inArray(findings.state, abnormal)))
      .groupBy(findings.department),
  ]);
  for (const r of done) {
    Object.assign(tally(r.department), {
      completed: r.completed,
      timed: r.timed,
      onTime: r.onTime,
      ratioCases: r.ratioCases,
      ratioSum: Number(r.ratioSum),
    });
  }
  for (const r of active) tally(r.department).active = r.active;
  for (const r of raised) Object.assign(tally(r.department), { warnings: r.warnings, reds: r.reds });
  for (const r of evaluated) tally(r.department).evaluated = r.evaluated;
  for (const r of judged) {
    Object.assign(tally(r.department), { abnormal: r.abnormal, unsatisfied: r.unsatisfied });
  }
  return out;
}

/** Cases by department whose first `evaluation` event lies in [fromTs, untilTs). */
function evaluatedCases(tx: Tx, where: SQL, fromTs: string, untilTs: string) {
  const firsts = tx.select({ caseId: events.caseId, first: sql`min(${events.at})`.as("first") })
    .from(events).where(and(eq(events.type, "evaluation"), isNull(events.quarantined))).groupBy(events.caseId)
    .having(sql`min(${events.at}) >= ${fromTs}::timestamptz and min(${events.at}) < ${untilTs}::timestamptz`)
    .as("firsts");
  return tx.select({ department: cases.department, evaluated: count() }).from(firsts)
    .innerJoin(cases, eq(cases.caseId, firsts.caseId)).where(where).groupBy(cases.department);
}

/** The ranked departments or regions of the caller's scope for a month. */
export async function loadRankings(tx: Tx, scope: Scope, q: RankingsParams): Promise<RankedUnit[]> {
  return (await loadRankingsBoth(tx, scope, q, [q.level]))[q.level]!;
}

/** Rankings at several levels from one set of queries. */
export async function loadRankingsBoth(
  tx: Tx,
  scope: Scope,
  q: Pick<RankingsParams, "from" | "to">,
  levels: readonly Level[] = ["department", "region"],
): Promise<Partial<Record<Level, RankedUnit[]>>> {
  const units = await scopeUnits(tx, scope);
  const tallies = await monthTallies(tx, units.departments.map((d) => d.code), q.from, q.to);
  const out: Partial<Record<Level, RankedUnit[]>> = {};
  if (levels.includes("department")) out.department = rankDepartments(units.departments, tallies);
  if (levels.includes("region")) {
    out.region = rankRegions(units.regions, units.allRegions, units.departments, tallies);
  }
  return out;
}
