/**
 * The case list's search (`?q=`): a prefix of the case number or of the applicant's name (for the roles
 * shown full names), or part of an item's name — case-sensitive, `%` and `_` taken literally. Each
 * branch is an index range (cases_case_id_key, cases_applicant_pattern_idx, cases_item_idx), so the
 * planner can read the union of those ranges (a bitmap OR) when it is narrower than the scope's cases,
 * and never needs a scan of every case to find that nothing matches.
 *
 * @module
 */
import { and, or, type SQL, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { cases, items } from "../../db/schema.ts";
import type { Principal } from "../auth/principal.ts";
import { inList } from "../write/bulk.ts";
import type { CaseListParams } from "./list_params.ts";

/** `text` for LIKE, its wildcards and escape character taken literally. */
const likeText = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/**
 * The codes of the items whose name contains the search text, read from the catalogue (a reference
 * table) before the cases, so that the item branch is `item_code = any(codes)` — one index range per
 * code — rather than a subquery the planner cannot bound. When the list can show only some
 * departments' cases (a department's staff, `?department=`), only those departments' items: a case's
 * department is its item's (rules/case_department.ts), so the others' items cannot match.
 */
export async function searchItems(tx: Tx, p: Principal, q: CaseListParams): Promise<string[]> {
  if (!q.q) return [];
  const { departments: own, regions, halls } = p.scope;
  const onlyOwn = own !== "all" && regions !== "all" && halls !== "all" && !regions.size && !halls.size;
  const only = q.department ? [q.department] : onlyOwn ? [...own] : null;
  const rows = await tx.select({ code: items.code }).from(items).where(and(
    sql`${items.name} like ${"%" + likeText(q.q) + "%"}`,
    only ? inList(items.department, only) : undefined,
  ));
  return rows.map((r) => r.code);
}

/**
 * The search's condition on `cases`, given the codes {@linkcode searchItems} found for it. The
 * applicant's name is searched only with `byApplicant` (a role shown full names: server/auth/scope.ts
 * seesApplicants).
 */
export function searchWhere(text: string, itemCodes: readonly string[], byApplicant: boolean): SQL {
  const prefix = likeText(text) + "%";
  return or(
    sql`${cases.caseId} like ${prefix}`,
    byApplicant ? sql`${cases.applicantName} like ${prefix}` : undefined,
    itemCodes.length ? inList(cases.itemCode, itemCodes) : undefined,
  )!;
}
