/**
 * Reference data routes: `PUT` replaces-or-adds a JSON array of items, departments, regions or halls
 * (validated first; an error names the index and the field), `GET` lists them. New or changed items
 * re-evaluate the cases waiting for them and the open cases of those items.
 *
 * Reading needs `reference:read`; writing needs `reference:write` (administrators) and is recorded in
 * the audit trail in the same transaction as the change (`item.upsert`, `department.upsert`, …).
 *
 * `GET /reference/<kind>/export?format=xlsx|csv` downloads the list as a spreadsheet;
 * `POST /reference/<kind>/import` takes
 * such a file as the body (XLSX or UTF-8 CSV) and saves all its rows in one transaction, or none: a
 * 400 lists every problem by row and column (server/reference_io/).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { clientIp } from "../security.ts";
import { listReference, type ReferenceKind, validateList } from "../reference.ts";
import { describe } from "../openapi/describe.ts";
import {
  exportReferenceDoc,
  importReferenceDoc,
  listReferenceDoc,
  putReferenceDoc,
} from "../openapi/docs/reference.ts";
import { saveReference } from "../reference_io/save.ts";
import { exportFile } from "../reference_io/write.ts";
import { importFile } from "../reference_io/import.ts";

const KINDS: ReferenceKind[] = ["items", "departments", "regions", "halls"];

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
      const list = validateList(kind, body) as { code: string }[];
      const actor = { principal: requirePrincipal(c), ip: clientIp(c, deps.security?.trustProxy) };
      return c.json(await saveReference(deps, actor, kind, list));
    });
  }
  const kindOf = (value: string): ReferenceKind => {
    if (!(KINDS as string[]).includes(value)) {
      throw new NotFoundError(`没有此类基础数据 (unknown kind): ${value}`);
    }
    return value as ReferenceKind;
  };
  app.get(
    "/reference/:kind/export",
    describe(exportReferenceDoc),
    requirePermission("reference:read"),
    async (c) => {
      const kind = kindOf(c.req.param("kind"));
      const format = c.req.query("format") ?? "xlsx";
      if (format !== "xlsx" && format !== "csv") {
        throw new ValidationError("format: 应为 xlsx 或 csv (must be xlsx or csv)", { field: "format" });
      }
      const file = await exportFile(db, kind, format);
      return c.body(file.body, 200, {
        "content-type": file.type,
        "content-disposition": file.disposition,
      });
    },
  );
  app.post(
    "/reference/:kind/import",
    describe(importReferenceDoc),
    requirePermission("reference:write"),
    async (c) => {
      const kind = kindOf(c.req.param("kind"));
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      const actor = { principal: requirePrincipal(c), ip: clientIp(c, deps.security?.trustProxy) };
      const name = c.req.query("file") ?? `${kind}.${bytes[0] === 0x50 ? "xlsx" : "csv"}`;
      return c.json(await importFile(deps, actor, kind, bytes, name));
    },
  );
  return app;
}
