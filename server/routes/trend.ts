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
import { assertFilterInScope } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { resolveStreamScope, type StreamScopeParams } from "../live/scope.ts";
import { loadTrend } from "../live/trend.ts";
import { describe } from "../openapi/describe.ts";
import { reportDocs } from "../openapi/docs/reports.ts";
import { defaultFilter } from "./stream.ts";

/** The trend route, to mount under `/api/v1`. */
export function trendRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.get("/trend", describe(reportDocs.trend24h), requirePermission("counts:read"), async (c) => {
    const principal = requirePrincipal(c);
    const asked: StreamScopeParams = {
      hall: c.req.query("hall"),
      department: c.req.query("department"),
      region: c.req.query("region"),
    };
    const given = Object.values(asked).filter((v) => v !== undefined).length;
    const params = given === 0 ? defaultFilter(principal) : asked;
    if (given === 1) assertFilterInScope(principal, params);
    const scope = await resolveStreamScope(deps.database.db, params);
    c.header("Cache-Control", "no-store");
    return c.json(await loadTrend(deps.database.db, scope, deps.clock()));
  });
  return app;
}
