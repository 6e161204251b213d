/**
 * The scope of a live stream: everything, one hall, one department, or one region with its
 * sub-regions. Resolved once per connection into the sets that membership tests need, so that
 * fanning out a change is a set lookup, not a query.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { NotFoundError, ValidationError } from "../errors.ts";

/** A resolved stream scope. */
export interface Scope {
  kind: "all" | "hall" | "department" | "region";
  /** The hall, department or region code; null for `all`. */
  code: string | null;
  /** Identity of the scope among the hub's listeners, e.g. `region:410100`. */
  key: string;
  /** For `region`: the region and all its sub-regions. */
  regions: ReadonlySet<string>;
  /** For `region`: the departments whose region is in `regions`; for `department`: that one. */
  departments: ReadonlySet<string>;
  /** For `region`: the halls whose region is in `regions`; for `hall`: that one. */
  halls: ReadonlySet<string>;
}

/** The query parameters that choose a scope. */
export interface StreamScopeParams {
  hall?: string;
  department?: string;
  region?: string;
}

/** The scope of the whole province. */
export const ALL_SCOPE: Scope = {
  kind: "all",
  code: null,
  key: "all",
  regions: new Set(),
  departments: new Set(),
  halls: new Set(),
};

/** Resolve `?hall=` / `?department=` / `?region=` (at most one) against the reference data. */
export async function resolveStreamScope(db: Tx, params: StreamScopeParams): Promise<Scope> {
  const given = (["hall", "department", "region"] as const).filter((k) => params[k] !== undefined);
  if (given.length > 1) {
    throw new ValidationError(
      `只能指定一个范围 (at most one of hall, department, region): ${given.join(", ")}`,
    );
  }
  if (given.length === 0) return ALL_SCOPE;
  const kind = given[0];
  const code = params[kind]!;
  const base = { kind, code, key: `${kind}:${code}`, regions: new Set<string>() };
  if (kind === "hall") {
    const rows = await query<{ code: string }>(db, sql`select code from halls where code = ${code}`);
    if (rows.length === 0) throw new NotFoundError(`没有此大厅 (unknown hall): ${code}`);
    return { ...base, departments: new Set(), halls: new Set([code]) };
  }
  if (kind === "department") {
    const rows = await query<{ code: string }>(db, sql`select code from departments where code = ${code}`);
    if (rows.length === 0) throw new NotFoundError(`没有此部门 (unknown department): ${code}`);
    return { ...base, departments: new Set([code]), halls: new Set() };
  }
  const regions = await query<{ code: string }>(
    db,
    sql`with recursive sub(code) as (
          select code from regions where code = ${code}
          union
          select r.code from regions r join sub on r.parent = sub.code
        ) select code from sub`,
  );
  if (regions.length === 0) throw new NotFoundError(`没有此地区 (unknown region): ${code}`);
  const codes = regions.map((r) => r.code);
  const list = sql.join(codes.map((c) => sql`${c}`), sql`, `);
  const departments = await query<{ code: string }>(
    db,
    sql`select code from departments where region in (${list})`,
  );
  const halls = await query<{ code: string }>(db, sql`select code from halls where region in (${list})`);
  return {
    ...base,
    regions: new Set(codes),
    departments: new Set(departments.map((d) => d.code)),
    halls: new Set(halls.map((h) => h.code)),
  };
}

/** A live_feed row's place, as far as scopes are concerned. */
export interface Placed {
  department: string | null;
  hall: string | null;
  region: string | null;
}

/** Whether a live_feed row belongs to the scope. */
export function inScope(scope: Scope, row: Placed): boolean {
  switch (scope.kind) {
    case "all":
      return true;
    case "hall":
      return row.hall !== null && scope.halls.has(row.hall);
    case "department":
      return row.department !== null && scope.departments.has(row.department);
    case "region":
      return (row.region !== null && scope.regions.has(row.region)) ||
        (row.department !== null && scope.departments.has(row.department));
  }
}

/** What a `jct_changes` notification says changed; null sets mean "anything may have changed". */
export interface Touched {
  departments: Set<string> | null;
  halls: Set<string> | null;
}

/** Whether a change may alter the scope's counts. */
export function touches(scope: Scope, t: Touched): boolean {
  if (scope.kind === "all" || t.departments === null || t.halls === null) return true;
  if (scope.kind === "hall") return t.halls.has(scope.code!);
  for (const d of t.departments) if (scope.departments.has(d)) return true;
  if (scope.kind === "region") { for (const h of t.halls) if (scope.halls.has(h)) return true; }
  return false;
}

/** SQL condition restricting `counters` (aliased `c`) to the scope. */
export function countersFilter(scope: Scope) {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "hall":
      return sql`c.hall = ${scope.code}`;
    case "department":
      return sql`c.department = ${scope.code}`;
    case "region": {
      if (scope.departments.size === 0) return sql`false`;
      return sql`c.department in (${sql.join([...scope.departments].map((d) => sql`${d}`), sql`, `)})`;
    }
  }
}

/** SQL condition restricting `live_feed` (aliased `f`) to the scope. */
export function feedFilter(scope: Scope) {
  switch (scope.kind) {
    case "all":
      return sql`true`;
    case "hall":
      return sql`f.hall = ${scope.code}`;
    case "department":
      return sql`f.department = ${scope.code}`;
    case "region": {
      const regions = sql.join([...scope.regions].map((r) => sql`${r}`), sql`, `);
      if (scope.departments.size === 0) return sql`f.region in (${regions})`;
      const departments = sql.join([...scope.departments].map((d) => sql`${d}`), sql`, `);
      return sql`(f.region in (${regions}) or f.department in (${departments}))`;
    }
  }
}
