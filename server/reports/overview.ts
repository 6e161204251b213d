/**
 * The supervisors' overview (start page of province and region agencies): one row per child region
 * of the caller's scope — the province's cities, or a city's districts — with in progress, due today,
 * active warnings, red cards today and this month, the month's on-time rate and overdue supervision
 * orders. Read from `counters` (live keys and the rankings' monthly keys) and the supervision
 * orders' overdue count: no scan of cases.
 *
 * The live part (in progress, due today, warnings, red cards today) is what `event: counts` carries
 * per department; `departmentUnit` maps each department to its row, so the island recomputes the rows
 * from each counts message (islands/overview_state.ts).
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { dateIn } from "../../rules/dates.ts";
import type { Scope } from "../auth/scope.ts";
import { addTallies, metricsOf, type RegionRef, type Tally } from "./rankings.ts";
import { scopeUnits } from "./rankings_query.ts";
import { loadMonthlyTallies } from "./tally_query.ts";
import { overdueOrdersByDepartment } from "../supervision/orders.ts";

/** One row of the overview. */
export interface OverviewUnit {
  code: string;
  name: string;
  inProgress: number;
  dueToday: number;
  warnings: number;
  redToday: number;
  redMonth: number;
  completedMonth: number;
  onTimeRate: number | null;
  /** Supervision orders past their reply deadline without a reply. */
  overdueOrders: number;
  /** The unit's halls (its own and its sub-regions'). */
  halls: { code: string; name: string }[];
}

/** A unit's row before anything is counted: all zero, no on-time rate, no halls. */
export function emptyUnit(code: string, name: string): OverviewUnit {
  return {
    code,
    name,
    inProgress: 0,
    dueToday: 0,
    warnings: 0,
    redToday: 0,
    redMonth: 0,
    completedMonth: 0,
    onTimeRate: null,
    overdueOrders: 0,
    halls: [],
  };
}

/** The overview of a scope. */
export interface Overview {
  /** The scope's top region (河南省, or the agency's city), or null without one. */
  top: { code: string; name: string } | null;
  /** `city` tiles on the province map, else `district`. */
  kind: "city" | "district";
  at: string;
  month: string;
  units: OverviewUnit[];
  /** Department → the row it counts in. */
  departmentUnit: Record<string, string>;
  /** Whether any supervision order exists in the scope (the column shows only then). */
  hasOrders: boolean;
}

interface CounterRow {
  department: string;
  metric: string;
  today: boolean;
  value: number | string;
}

/** The rows of the overview: the children of the scope's top region (or the top itself if childless). */
export function overviewUnits(regions: readonly RegionRef[]): { top: RegionRef | null; units: RegionRef[] } {
  const visible = new Set(regions.map((r) => r.code));
  const tops = regions.filter((r) => !r.parent || !visible.has(r.parent));
  const top = tops.length === 1 ? tops[0] : null;
  if (!top) return { top: null, units: tops };
  const children = regions.filter((r) => r.parent === top.code);
  return { top, units: children.length ? children : [top] };
}

/** Each region's row: the unit it is or lies below. */
function unitOfRegion(all: readonly RegionRef[], units: readonly RegionRef[]): Map<string, string> {
  const parent = new Map(all.map((r) => [r.code, r.parent]));
  const unitCodes = new Set(units.map((u) => u.code));
  const out = new Map<string, string>();
  for (const r of all) {
    const seen = new Set<string>();
    for (let c: string | null | undefined = r.code; c && !seen.has(c); c = parent.get(c)) {
      seen.add(c);
      if (unitCodes.has(c)) {
        out.set(r.code, c);
        break;
      }
    }
  }
  return out;
}

/** Load the overview of a scope as of `now`. */
export async function loadOverview(tx: Tx, scope: Scope, now: number): Promise<Overview> {
  const today = dateIn(now);
  const month = today.slice(0, 7);
  const scoped = await scopeUnits(tx, scope);
  const { top, units } = overviewUnits(scoped.regions);
  const regionUnit = unitOfRegion(scoped.allRegions, units);
  const departmentUnit: Record<string, string> = {};
  for (const d of scoped.departments) {
    const u = regionUnit.get(d.region);
    if (u) departmentUnit[d.code] = u;
  }
  const codes = Object.keys(departmentUnit);
  const list = JSON.stringify(codes);
  const all = scope.departments === "all";
  const depFilter = all ? sql`true` : sql`c.department in (select jsonb_array_elements_text(${list}::jsonb))`;
  const [counters, tallies, halls, orders] = await Promise.all([
    codes.length === 0 ? [] : query<CounterRow>(
      tx,
      sql`select c.department, c.metric, (c.day = ${today}) as today, sum(c.value) as value
          from counters c
          where ${depFilter} and c.value <> 0 and (c.metric in ('open', 'warn')
            or (c.metric = 'due' and c.day = ${today})
            or (c.metric = 'red' and c.day >= ${`${month}-01`} and c.day <= ${today}))
          group by 1, 2, 3`,
    ),
    loadMonthlyTallies(tx, all ? "all" : codes, [month]),
    query<{ code: string; name: string; region: string }>(
      tx,
      sql`select code, name, region from halls order by code`,
    ),
    overdueOrders(tx, all ? "all" : codes),
  ]);
  const rows = new Map(units.map((u) => [u.code, emptyUnit(u.code, u.name)]));
  for (const c of counters) {
    const row = rows.get(departmentUnit[c.department]);
    if (!row) continue;
    const v = Number(c.value);
    if (c.metric === "open") row.inProgress += v;
    else if (c.metric === "due") row.dueToday += v;
    else if (c.metric === "warn") row.warnings += v;
    else if (c.metric === "red") {
      row.redMonth += v;
      if (c.today) row.redToday += v;
    }
  }
  const byUnit = new Map<string, Tally[]>();
  for (const [d, t] of tallies.get(month)!) {
    const u = departmentUnit[d];
    if (u) byUnit.set(u, [...(byUnit.get(u) ?? []), t]);
  }
  for (const [u, list] of byUnit) {
    const row = rows.get(u)!;
    const m = metricsOf(addTallies(list));
    row.completedMonth = m.completed;
    row.onTimeRate = m.onTimeRate;
  }
  for (const h of halls) {
    const row = rows.get(regionUnit.get(h.region) ?? "");
    if (row && (scope.halls === "all" || scope.halls.has(h.code))) {
      row.halls.push({ code: h.code, name: h.name });
    }
  }
  for (const o of orders.byDepartment) {
    const row = rows.get(departmentUnit[o.department]);
    if (row) row.overdueOrders += o.overdue;
  }
  return {
    top: top ? { code: top.code, name: top.name } : null,
    kind: top && !top.parent ? "city" : "district",
    at: new Date(now).toISOString(),
    month,
    units: [...rows.values()],
    departmentUnit,
    hasOrders: orders.any,
  };
}

/**
 * Supervision orders past their reply deadline (逾期未反馈, kept by the supervision helper's scheduler
 * pass: server/supervision/orders.ts), by department, and whether the scope has any order at all.
 */
async function overdueOrders(tx: Tx, deps: "all" | readonly string[]) {
  if (deps !== "all" && deps.length === 0) return { any: false, byDepartment: [] };
  const filter = deps === "all"
    ? sql`true`
    : sql`department in (select jsonb_array_elements_text(${JSON.stringify(deps)}::jsonb))`;
  const [counts, [exists]] = await Promise.all([
    overdueOrdersByDepartment(tx, deps === "all" ? {} : { departments: deps }),
    query<{ any: boolean }>(tx, sql`select exists (select 1 from supervision_orders where ${filter}) as any`),
  ]);
  return {
    any: Boolean(exists?.any),
    byDepartment: [...counts].map(([department, overdue]) => ({ department, overdue })),
  };
}
