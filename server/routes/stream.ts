/**
 * `GET /api/v1/stream`: live counts and alerts over server-sent events (EXCHANGE.md "Live stream"),
 * scoped by at most one of `?hall=`, `?department=`, `?region=`. Resumes after `Last-Event-ID`
 * (header, or `?lastEventId=` for clients that cannot set headers).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { resolveScope } from "../live/scope.ts";
import { parseEventId } from "../live/sse.ts";

/** The stream route, to mount under `/api/v1`. */
export function streamRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.get("/stream", async (c) => {
    const hub = deps.live;
    if (!hub) throw new DomainError(503, "实时推送未启用 (live stream not running)");
    const scope = await resolveScope(deps.database.db, {
      hall: c.req.query("hall"),
      department: c.req.query("department"),
      region: c.req.query("region"),
    });
    const lastEventId = parseEventId(c.req.header("Last-Event-ID") ?? c.req.query("lastEventId"));
    const body = await hub.connect(scope, lastEventId, c.req.raw.signal);
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  });
  return app;
}
