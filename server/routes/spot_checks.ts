/**
 * Random spot checks over the API (RULES.md §5): `POST /spot-checks` draws and records one,
 * `GET /spot-checks` lists those in scope, `GET /spot-checks/:id` answers it with results and summary,
 * `POST /spot-checks/:id/results` records a result, `GET /spot-checks/:id/export?format=csv|xlsx`
 * downloads it. Supervisors only (permission `cases:decide`), within their scope.
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { clientIp } from "../security.ts";
import { describe } from "../openapi/describe.ts";
import { spotCheckDocs } from "../openapi/docs/spot_checks.ts";
import { idParam, jsonBody } from "../supervision/common.ts";
import { spotCheckDownload } from "../supervision/spot_check_export.ts";
import {
  createSpotCheck,
  listSpotChecks,
  loadSpotCheck,
  recordSpotCheckResult,
} from "../supervision/spot_checks.ts";

const notFound = () => new NotFoundError("没有此抽查 (no such spot check)");

/** The spot-check routes, to mount under `/api/v1`. */
export function spotCheckRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.security?.trustProxy ?? false);
  app.use("/spot-checks", requirePermission("cases:decide"));
  app.use("/spot-checks/*", requirePermission("cases:decide"));

  app.post("/spot-checks", describe(spotCheckDocs.create), async (c) => {
    const view = await createSpotCheck(db, requirePrincipal(c), await jsonBody(c.req), deps.clock(), ip(c));
    return c.json(view, 201);
  });
  app.get(
    "/spot-checks",
    describe(spotCheckDocs.list),
    async (c) => c.json(await listSpotChecks(db, requirePrincipal(c))),
  );
  app.get("/spot-checks/:id", describe(spotCheckDocs.get), async (c) => {
    return c.json(await loadSpotCheck(db, requirePrincipal(c), idParam(c.req.param("id"), notFound)));
  });
  app.post("/spot-checks/:id/results", describe(spotCheckDocs.result), async (c) => {
    const id = idParam(c.req.param("id"), notFound);
    const out = await recordSpotCheckResult(
      db,
      requirePrincipal(c),
      id,
      await jsonBody(c.req),
      deps.clock(),
      ip(c),
    );
    const sampled = out.view.sample.find((s) => s.case === out.case)!;
    return c.json({
      id: out.id,
      spotCheck: out.view.id,
      case: sampled.case,
      result: sampled.result,
      note: sampled.note,
      by: sampled.by,
      byOffice: sampled.byOffice,
      at: sampled.at,
      summary: out.view.summary,
    }, 201);
  });
  app.get("/spot-checks/:id/export", describe(spotCheckDocs.export), async (c) => {
    const format = c.req.query("format") ?? "csv";
    if (format !== "csv" && format !== "xlsx") {
      throw new ValidationError("format: 应为 csv 或 xlsx (must be csv or xlsx)", { field: "format" });
    }
    const view = await loadSpotCheck(db, requirePrincipal(c), idParam(c.req.param("id"), notFound));
    const file = spotCheckDownload(view, format);
    return c.body(file.body, 200, {
      "content-type": file.type,
      "content-disposition": file.disposition,
    });
  });
  return app;
}
