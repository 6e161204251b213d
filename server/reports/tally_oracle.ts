/**
 * The rankings' tallies computed straight from the case, alert, finding and event tables by the
 * definitions of `rankings.ts` — the oracle the tests hold the incrementally kept tallies of
 * `tally_query.ts` against. It reads whole tables: never call it on a request path.
 *
 * @module
 */
import { and, between, count, eq, gte, inArray, isNull, lte, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.ts";
import { alerts, cases, events, findings, items } from "../../db/schema.ts";
import { addDays, startOfDay } from "../../rules/dates.ts";
import { inList } from "../write/bulk.ts";
import { ABNORMAL_STATES } from "../write/counts.ts";
import { emptyTally, type Tally } from "./rankings.ts";

const int = (expr: SQL) => sql<number>`(${expr})::int`;

/** Per-department tallies of a month for the given departments. */
export async function oracleTallies(
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
