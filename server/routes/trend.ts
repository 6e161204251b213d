/**
 * `GET /api/v1/trend` — the wall screen's trend (server/live/trend.ts), scoped like the stream by at
 * most one of `?hall=`, `?department=`, `?region=` within the caller's scope (`counts:read`; a hall's
 * display token sees its hall).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { loadTrend } from "../live/trend.ts";
import { describe } from "../openapi/describe.ts";
import { reportDocs } from "../openapi/docs/reports.ts";
import { requestedScope } from "./stream.ts";

/** The trend route, to mount under `/api/v1`. */
export function trendRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.get("/trend", describe(reportDocs.trend24h), requirePermission("counts:read"), async (c) => {
    const scope = await requestedScope(c, requirePrincipal(c), deps.database.db);
    c.header("Cache-Control", "no-store");
    return c.json(await loadTrend(deps.database.db, scope, deps.clock()));
  });
  return app;
}
