/**
 * Saving a validated list of reference records, the one way both the JSON API (`PUT /api/v1/<kind>`)
 * and the file import do it: one transaction holding the upsert and its audit record (nothing
 * half-saved), departments' regions copied into the cases' projection, then the cases waiting for new
 * or changed items re-evaluated.
 *
 * @module
 */
import { and, inArray, sql } from "drizzle-orm";
import { cases } from "../../db/schema.ts";
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
  await db.transaction(async (tx) => {
    if (kind === "items") await upsertItems(tx, list as unknown as Item[]);
    else await upsertReference(tx, kind, list as never);
    await audit(tx, deps, actor, kind, codes);
    if (kind === "departments" && list.length) {
      // Keep the projection's region in step with its department's.
      await tx.execute(sql`update cases c set region = d.region from departments d
        where d.code = c.department and c.region is distinct from d.region`);
    }
  });
  // Scopes are resolved from departments and regions: this instance forgets its keys' at once.
  if (resolvesScopes(kind)) deps.keys?.clear();
  if (kind !== "items") return { stored: list.length };
  const waiting = codes.length
    ? await db.select({ caseId: cases.caseId }).from(cases).where(and(
      inArray(cases.itemCode, codes),
      inArray(cases.status, ["incomplete", "received", "accepted"]),
    ))
    : [];
  const recalculated = await recalculateInChunks(deps, waiting.map((r) => r.caseId));
  return { stored: list.length, recalculated };
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
