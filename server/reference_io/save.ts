/**
 * Saving a validated list of reference records, the one way both the JSON API (`PUT /api/v1/<kind>`)
 * and the file import do it: one transaction holding the upsert and its audit record (nothing
 * half-saved), departments' regions copied into the cases' projection, then the cases waiting for new
 * or changed items re-evaluated (an item saved unchanged re-evaluates nothing).
 *
 * @module
 */
import { and, isNull, or, sql } from "drizzle-orm";
import { cases, items } from "../../db/schema.ts";
import { anyText, textArray } from "../write/bulk.ts";
import type { Tx } from "../../db/client.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { recalculateInChunks } from "../write/recalc.ts";
import { type ReferenceKind, resolvesScopes, upsertItems, upsertReference } from "../reference.ts";
import type { Item } from "../../rules/types.ts";

const SINGULAR: Record<ReferenceKind, string> = {
  items: "item",
  departments: "department",
  regions: "region",
  halls: "hall",
};

/** Who saves, as the audit trail records it. */
export interface SaveActor {
  principal: Principal;
  ip: string;
  /** How: `api` (JSON) or `import` (a file, with its name). */
  via?: { kind: "api" } | { kind: "import"; file: string };
}

/** Save `list` (already validated) and audit it; items also re-evaluate their open cases. */
export async function saveReference(
  deps: AppDeps,
  actor: SaveActor,
  kind: ReferenceKind,
  list: { code: string }[],
): Promise<{ stored: number; recalculated?: number }> {
  const { db } = deps.database;
  const codes = list.map((r) => r.code);
  const waiting = await db.transaction(async (tx) => {
    // An item moving department leaves its cases under the old one until they are evaluated again.
    const before = kind === "items" ? await itemDepartments(tx, codes) : [];
    let changed: string[] = [];
    if (kind === "items") changed = await upsertItems(tx, list as unknown as Item[]);
    else await upsertReference(tx, kind, list as never);
    await audit(tx, deps, actor, kind, codes);
    if (kind === "departments" && list.length) {
      // Keep the projection's region in step with its department's: only the saved departments' cases.
      await tx.execute(sql`update cases c set region = d.region from departments d
        where d.code = any(${textArray(codes)}::text[]) and c.department = d.code
          and c.region is distinct from d.region`);
    }
    return changed.length ? await waitingCases(tx, changed, [...before, ...list.map(departmentOf)]) : [];
  });
  // Scopes are resolved from departments and regions: this instance forgets its keys' at once.
  if (resolvesScopes(kind)) deps.keys?.clear();
  if (kind !== "items") return { stored: list.length };
  const recalculated = await recalculateInChunks(deps, waiting);
  return { stored: list.length, recalculated };
}

const departmentOf = (r: { code: string }) => (r as unknown as Item).department;

/** The departments the items with these codes are stored under now. */
async function itemDepartments(tx: Tx, codes: readonly string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await tx.select({ department: items.department }).from(items)
    .where(anyText(items.code, codes));
  return rows.map((r) => r.department);
}

/**
 * The open cases naming one of `codes`, read within the departments the items belong (or belonged) to
 * and among the cases with no department yet (an item unknown when they arrived): index ranges of
 * those departments' open cases, never the whole table.
 */
async function waitingCases(tx: Tx, codes: readonly string[], departments: string[]): Promise<string[]> {
  const rows = await tx.select({ caseId: cases.caseId }).from(cases).where(and(
    anyText(cases.itemCode, codes),
    anyText(cases.status, ["incomplete", "received", "accepted"]),
    or(anyText(cases.department, [...new Set(departments)]), isNull(cases.department)),
  ));
  return rows.map((r) => r.caseId);
}

async function audit(tx: Tx, deps: AppDeps, actor: SaveActor, kind: ReferenceKind, codes: string[]) {
  const p = actor.principal;
  await recordAudit(tx, {
    actor: p.name,
    role: p.role,
    action: `${SINGULAR[kind]}.${actor.via?.kind === "import" ? "import" : "upsert"}`,
    target: codes.length === 1 ? codes[0] : `${codes.length} ${kind}`,
    detail: actor.via?.kind === "import" ? { codes, file: actor.via.file } : { codes },
    ip: actor.ip,
    at: new Date(deps.clock()),
  });
}
