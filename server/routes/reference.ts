/**
 * Reference data routes: `PUT` replaces-or-adds a JSON array of items, departments, regions or halls
 * (validated first; an error names the index and the field), `GET` lists them. New or changed items
 * re-evaluate the cases waiting for them and the open cases of those items.
 *
 * @module
 */
import { and, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { cases } from "../../db/schema.ts";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import { recalculateInChunks } from "../recalc.ts";
import {
  listReference,
  type ReferenceKind,
  upsertItems,
  upsertReference,
  validateList,
} from "../reference.ts";

const KINDS: ReferenceKind[] = ["items", "departments", "regions", "halls"];

/** The reference routes, to mount under `/api/v1`. */
export function referenceRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  for (const kind of KINDS) {
    app.get(`/${kind}`, async (c) => c.json(await listReference(db, kind)));
    app.put(`/${kind}`, async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ValidationError(`${kind}: the body must be a JSON array`);
      }
      if (kind === "items") {
        const list = validateList("items", body);
        const codes = await db.transaction((tx) => upsertItems(tx, list));
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
        if (kind === "departments" && list.length) {
          // Keep the projection's region in step with its department's.
          await tx.execute(sql`update cases c set region = d.region from departments d
            where d.code = c.department and c.region is distinct from d.region`);
        }
      });
      return c.json({ stored: list.length });
    });
  }
  return app;
}
