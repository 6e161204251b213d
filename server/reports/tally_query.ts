/**
 * Monthly tallies read from the counter keys of `tally_keys.ts`: one grouped query over the rows of
 * the requested months (index `counters_metric_day_idx` on (metric, day)), never over cases or events.
 * Cost grows with the number of departments × months × distinct keys, not with the cases.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { monthPeriod } from "./params.ts";
import { emptyTally, type Tally } from "./rankings.ts";
import { ordersOverdueInPeriodByDepartment } from "../supervision/orders.ts";
import { addDays, startOfDay } from "../../rules/dates.ts";

interface Row {
  department: string;
  metric: string;
  month: string;
  n: number | string;
  timed: number | string;
  on_time: number | string;
  ratio_cases: number | string;
  ratio_sum: number | string;
}

/** Which departments: all of them, or a list (possibly empty). */
export type DepartmentFilter = "all" | readonly string[];

const filterOf = (deps: DepartmentFilter): SQL =>
  deps === "all"
    ? sql`true`
    : deps.length === 0
    ? sql`false`
    : sql`c.department in (select jsonb_array_elements_text(${JSON.stringify(deps)}::jsonb))`;

/** Tallies by month (`YYYY-MM`, ascending) and department for the given months. */
export async function loadMonthlyTallies(
  tx: Tx,
  deps: DepartmentFilter,
  months: readonly string[],
): Promise<Map<string, Map<string, Tally>>> {
  const out = new Map<string, Map<string, Tally>>(months.map((m) => [m, new Map()]));
  if (months.length === 0 || (deps !== "all" && deps.length === 0)) return out;
  const sorted = [...months].sort();
  const first = monthPeriod(sorted[0]).from;
  const last = monthPeriod(sorted.at(-1)!).to;
  const list = sql.join(sorted.map((m) => sql`${m}`), sql`, `);
  // `done` rules are `<remaining>:<N>`; the CASE keeps the casts to those rows.
  const rem = sql`(case when c.metric = 'done' then nullif(split_part(c.rule, ':', 1), '')::int end)`;
  const n = sql`(case when c.metric = 'done' then nullif(split_part(c.rule, ':', 2), '')::int end)`;
  const rows = await query<Row>(
    tx,
    sql`select c.department, c.metric, substr(c.day, 1, 7) as month, sum(c.value) as n,
          coalesce(sum(c.value) filter (where ${rem} is not null), 0) as timed,
          coalesce(sum(c.value) filter (where ${rem} >= 0), 0) as on_time,
          coalesce(sum(c.value) filter (where ${rem} is not null and ${n} > 0), 0) as ratio_cases,
          coalesce(sum(c.value * (${n} - ${rem})::float8 / nullif(${n}, 0))
            filter (where ${rem} is not null and ${n} > 0), 0)::float8 as ratio_sum
        from counters c
        where ${filterOf(deps)} and c.value <> 0 and (
          (c.metric in ('done', 'wrn', 'red') and c.day >= ${first} and c.day <= ${last})
          or (c.metric in ('act', 'evl', 'abc', 'uns') and c.day in (${list}))
          or (c.metric = 'opn' and c.day <= ${sorted.at(-1)!}))
        group by 1, 2, 3`,
  );
  const tally = (month: string, d: string) => {
    const byDep = out.get(month)!;
    let t = byDep.get(d);
    if (!t) byDep.set(d, t = emptyTally());
    return t;
  };
  // Open cases by month of receipt count in that month and every later one.
  const opened: Row[] = [];
  for (const r of rows) {
    if (r.metric === "opn") {
      opened.push(r);
      continue;
    }
    if (!out.has(r.month)) continue;
    const t = tally(r.month, r.department);
    const v = Number(r.n);
    switch (r.metric) {
      case "done":
        t.completed += v;
        t.timed += Number(r.timed);
        t.onTime += Number(r.on_time);
        t.ratioCases += Number(r.ratio_cases);
        t.ratioSum += Number(r.ratio_sum);
        break;
      case "act":
        t.active += v;
        break;
      case "wrn":
        t.warnings += v;
        break;
      case "red":
        t.reds += v;
        break;
      case "evl":
        t.evaluated += v;
        break;
      case "abc":
        t.abnormal += v;
        break;
      case "uns":
        t.unsatisfied += v;
        break;
    }
  }
  for (const r of opened) {
    for (const m of sorted) if (m >= r.month) tally(m, r.department).active += Number(r.n);
  }
  // Supervision orders that turned overdue in each month (order_steps, indexed by action and time).
  for (const m of sorted) {
    const { from, to } = monthPeriod(m);
    const overdue = await ordersOverdueInPeriodByDepartment(tx, startOfDay(from), startOfDay(addDays(to, 1)));
    for (const [d, n] of overdue) {
      if (d && (deps === "all" || deps.includes(d))) tally(m, d).ordersOverdue += n;
    }
  }
  return out;
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

/** The `count` months ending with `month`, oldest first. */
export function monthsEnding(month: string, count: number): string[] {
  const out = [month];
  while (out.length < count) out.unshift(previousMonth(out[0]));
  return out;
}
