/**
 * Where a principal may look or write: sets of departments, regions and halls resolved from the
 * reference tables, and the checks routes use. A region agency's scope is its region and every region
 * below it (regions.parent), with their departments and halls.
 *
 * Out-of-scope case ids answer 404, like ids that do not exist, so that ids of other departments'
 * cases cannot be probed.
 *
 * @module
 */
import { inArray, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { query, type Tx } from "../../db/client.ts";
import { departments, halls } from "../../db/schema.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { type PrincipalRole, roleCan } from "./roles.ts";

/** A set of codes, or every code. */
export type CodeSet = Set<string> | "all";

/** What a principal may see: cases of these departments, regions or halls. */
export interface Scope {
  departments: CodeSet;
  regions: CodeSet;
  halls: CodeSet;
}

/** What a scope is resolved from: a user row, or a display token (`{ role: "display", hall }`). */
export interface ScopeSubject {
  role: PrincipalRole;
  departments?: readonly string[];
  region?: string | null;
  hall?: string | null;
  /** Ingest accounts: the kind of sender; the evaluation platform is province-wide. */
  senderKind?: string | null;
}

/** The part of a principal that the checks need (server/auth/principal.ts has the full type). */
export interface Scoped {
  role: PrincipalRole;
  scope: Scope;
}

/** Where a case (or alert, finding, counter) belongs. */
export interface Placed {
  department?: string | null;
  region?: string | null;
  hall?: string | null;
}

const ALL: Scope = { departments: "all", regions: "all", halls: "all" };
const none = (): Scope => ({ departments: new Set(), regions: new Set(), halls: new Set() });

/** A region and every region below it (regions.parent), by code. */
export async function regionTree(tx: Tx, root: string): Promise<Set<string>> {
  const rows = await query<{ code: string }>(
    tx,
    sql`with recursive tree(code) as (
          select ${root}::text
          union
          select r.code from regions r join tree t on r.parent = t.code
        ) select code from tree`,
  );
  return new Set(rows.map((r) => r.code));
}

async function codesIn(tx: Tx, table: "departments" | "halls", regions: Set<string>): Promise<Set<string>> {
  if (regions.size === 0) return new Set();
  const t = table === "departments" ? departments : halls;
  const rows = await tx.select({ code: t.code }).from(t).where(inArray(t.region, [...regions]));
  return new Set(rows.map((r) => r.code));
}

/** Resolve a principal's scope from the reference tables. */
export async function resolveScope(tx: Tx, subject: ScopeSubject): Promise<Scope> {
  const scope = none();
  const own = new Set(subject.departments ?? []);
  switch (subject.role) {
    case "province":
      return ALL;
    case "admin":
      return scope;
    case "hall_manager":
    case "display":
      if (subject.hall) (scope.halls as Set<string>).add(subject.hall);
      return scope;
    case "department":
      return { ...scope, departments: own };
    case "ingest":
      // The evaluation platform (sender kind `evaluation`) sends evaluations for every case.
      if (subject.senderKind === "evaluation") return { ...scope, departments: "all" };
      // falls through
    case "region":
    case "director": {
      if (!subject.region) return { ...scope, departments: own };
      const regions = await regionTree(tx, subject.region);
      const departments = await codesIn(tx, "departments", regions);
      for (const d of own) departments.add(d);
      const halls = subject.role === "ingest" ? new Set<string>() : await codesIn(tx, "halls", regions);
      return { departments, regions, halls };
    }
  }
}

const has = (set: CodeSet, code: string | null | undefined) =>
  set === "all" || (code != null && set.has(code));

/** Whether a case (alert, counter…) placed at `row` lies in the scope. */
export function inScope(scope: Scope, row: Placed): boolean {
  return scope.departments === "all" || has(scope.departments, row.department) ||
    has(scope.regions, row.region) || has(scope.halls, row.hall);
}

/** Throw 404 unless the principal may read this case (permission `cases:read` and scope). */
export function assertCanSeeCase(
  principal: Scoped,
  caseRow: Placed,
  permission: "cases:read" | "cases:readback" = "cases:read",
): void {
  if (!roleCan(principal.role, permission) || !inScope(principal.scope, caseRow)) {
    throw new NotFoundError("没有此办件 (no such case)");
  }
}

/** Throw 404 unless the principal may take supervisor decisions on this case. */
export function assertCanDecideCase(principal: Scoped, caseRow: Placed): void {
  assertCanSeeCase(principal, caseRow);
  if (!roleCan(principal.role, "cases:decide")) {
    throw new ForbiddenError("无权作出监察处理 (not a supervisor)");
  }
}

/**
 * Whether the applicant's full data (name, contact) may be shown: to supervisors and department staff
 * for cases in their scope; everyone else (directors' rankings, hall screens, display tokens) gets
 * masked names and never contact details.
 */
export function seesFullApplicant(principal: Scoped, caseRow: Placed): boolean {
  return seesApplicants(principal.role) && inScope(principal.scope, caseRow);
}

/**
 * Whether the role is shown applicants' full names in its own scope (supervisors and department staff).
 * Only these may also find cases by an applicant's name: a search by a name shown masked would tell
 * whether that person applied.
 */
export function seesApplicants(role: PrincipalRole): boolean {
  return role === "province" || role === "region" || role === "department";
}

/**
 * Whether an ingest client may push an event for a case whose item belongs to `department`.
 * `null` means the department is not known yet (the case's `received` or its item has not arrived):
 * such events are accepted and held — the case is incomplete, is not evaluated and is in no
 * department's figures until its item is known; from then on, events from senders whose scope does
 * not contain the case's department are refused, and the earlier ones from such senders are
 * quarantined — kept, not evaluated (server/write/quarantine.ts).
 */
export function mayIngestFor(principal: Scoped, department: string | null): boolean {
  if (!roleCan(principal.role, "events:write")) return false;
  return department === null || has(principal.scope.departments, department);
}

/** A requested view filter (`?hall=`, `?department=`, `?region=`). */
export interface ScopeFilter {
  hall?: string;
  department?: string;
  region?: string;
}

/** Throw 403 unless the requested filter lies inside the principal's scope. */
export function assertFilterInScope(principal: Scoped, filter: ScopeFilter): void {
  const s = principal.scope;
  const ok = (filter.hall === undefined || has(s.halls, filter.hall)) &&
    (filter.department === undefined || has(s.departments, filter.department)) &&
    (filter.region === undefined || has(s.regions, filter.region));
  if (!ok) throw new ForbiddenError("超出权限范围 (outside your scope)");
}

/** Columns of a table that place a row, for {@linkcode scopeWhere}. */
export interface PlaceColumns {
  department?: AnyPgColumn;
  region?: AnyPgColumn;
  hall?: AnyPgColumn;
}

/**
 * A WHERE condition restricting rows to the scope: `undefined` for an unrestricted scope, `false` when
 * nothing is visible. Use as `.where(and(scopeWhere(p.scope, { department: cases.department, … }), …))`.
 */
export function scopeWhere(scope: Scope, cols: PlaceColumns): SQL | undefined {
  if (scope.departments === "all") return undefined;
  const parts: SQL[] = [];
  const add = (set: CodeSet, col?: AnyPgColumn) => {
    if (col && set !== "all" && set.size > 0) parts.push(inArray(col, [...set]));
  };
  add(scope.departments, cols.department);
  add(scope.regions, cols.region);
  add(scope.halls, cols.hall);
  return parts.length === 0 ? sql`false` : or(...parts);
}
