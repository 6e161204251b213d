/**
 * Reference data routes: `PUT` replaces-or-adds a JSON array of items, departments, regions or halls
 * (validated first; an error names the index and the field), `GET` lists them. New or changed items
 * re-evaluate the cases waiting for them and the open cases of those items.
 *
 * Reading needs `reference:read`; writing needs `reference:write` (administrators) and is recorded in
 * the audit trail in the same transaction as the change (`item.upsert`, `department.upsert`, …).
 *
 * @module
 */
import { and, inArray, sql } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { cases } from "../../db/schema.ts";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { recordAudit } from "../audit.ts";
import type { Tx } from "../../db/client.ts";
import { ValidationError } from "../errors.ts";
import { clientIp } from "../security.ts";
import { recalculateInChunks } from "../recalc.ts";
import {
  listReference,
  type ReferenceKind,
  upsertItems,
  upsertReference,
  validateList,
} from "../reference.ts";
import { describe } from "../openapi/describe.ts";
import { listReferenceDoc, putReferenceDoc } from "../openapi/docs/reference.ts";

const KINDS: ReferenceKind[] = ["items", "departments", "regions", "halls"];
const SINGULAR: Record<ReferenceKind, string> = {
  items: "item",
  departments: "department",
  regions: "region",
  halls: "hall",
};

/** The reference routes, to mount under `/api/v1`. */
export function referenceRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  for (const kind of KINDS) {
    app.get(
      `/${kind}`,
      describe(listReferenceDoc(kind)),
      requirePermission("reference:read"),
      async (c) => c.json(await listReference(db, kind)),
    );
    app.put(`/${kind}`, describe(putReferenceDoc(kind)), requirePermission("reference:write"), async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ValidationError(`${kind}: the body must be a JSON array`);
      }
      if (kind === "items") {
        const list = validateList("items", body);
        const codes = await db.transaction(async (tx) => {
          const stored = await upsertItems(tx, list);
          await audit(tx, c, kind, list.map((i) => i.code));
          return stored;
        });
        const waiting = codes.length
          ? await db.select({ caseId: cases.caseId }).from(cases).where(and(
            inArray(cases.itemCode, codes),
            inArray(cases.status, ["incomplete", "received", "accepted"]),
          ))
          : [];
        const recalculated = await recalculateInChunks(deps, waiting.map((r) => r.caseId));
        return c.json({ stored: list.length, recalculated });
      }
      const list = validateList(kind, body);
      await db.transaction(async (tx) => {
        await upsertReference(tx, kind, list);
        await audit(tx, c, kind, list.map((r) => r.code));
        if (kind === "departments" && list.length) {
          // Keep the projection's region in step with its department's.
          await tx.execute(sql`update cases c set region = d.region from departments d
            where d.code = c.department and c.region is distinct from d.region`);
        }
      });
      return c.json({ stored: list.length });
    });
  }
  /** Record who changed which codes, in the transaction of the change. */
  async function audit(tx: Tx, c: Context, kind: ReferenceKind, codes: string[]) {
    const p = requirePrincipal(c);
    await recordAudit(tx, {
      actor: p.name,
      role: p.role,
      action: `${SINGULAR[kind]}.upsert`,
      target: codes.length === 1 ? codes[0] : `${codes.length} ${kind}`,
      detail: { codes },
      ip: clientIp(c, deps.security?.trustProxy),
      at: new Date(deps.clock()),
    });
  }
  return app;
}
