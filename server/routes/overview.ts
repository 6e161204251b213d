/**
 * The supervisors' overview (server/reports/overview.ts), `overview:read`, within the caller's scope:
 * `GET /overview` — one row per city of the province (or district of the agency's city) with its live
 * and monthly figures, and the department → row map the start page's island uses for live updates.
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { describe } from "../openapi/describe.ts";
import { reportDocs } from "../openapi/docs/reports.ts";
import { loadOverview } from "../reports/overview.ts";

/** The overview route, to mount under `/api/v1`. */
export function overviewRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  app.get("/overview", describe(reportDocs.overview), requirePermission("overview:read"), async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await loadOverview(db, requirePrincipal(c).scope, deps.clock()));
  });
  return app;
}
