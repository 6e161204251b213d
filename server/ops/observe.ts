/**
 * The first middleware of the app: gives every request an id (`X-Request-Id`, kept when a proxy sent a
 * sane one), and when it is answered records its latency under the matched route pattern
 * (`jct_http_request_duration_seconds`) and writes its log line.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { principalOf } from "../auth/principal.ts";
import type { Metrics } from "../metrics/metrics.ts";
import type { Logger } from "./log.ts";

/** The context variable holding the request id. */
export const REQUEST_ID_VAR = "requestId";

/** The request id of a request (set by {@linkcode observe}). */
export function requestIdOf(c: Context): string | undefined {
  return c.get(REQUEST_ID_VAR) as string | undefined;
}

/** Measure and log every request. */
export function observe(deps: { metrics?: Metrics; log?: Logger }): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const id = given && /^[\w.:-]{1,128}$/.test(given) ? given : crypto.randomUUID();
    c.set(REQUEST_ID_VAR, id);
    try {
      await next();
    } finally {
      c.header("X-Request-Id", id);
      const status = c.res.status;
      const seconds = (performance.now() - started) / 1000;
      // The matched pattern, never the raw path (bounded label values); unmatched requests share one.
      const route = status === 404 && c.req.routePath.endsWith("*") ? "(unmatched)" : c.req.routePath;
      deps.metrics?.request(c.req.method, route, status, seconds);
      deps.log?.request({
        requestId: id,
        method: c.req.method,
        route,
        path: c.req.path,
        status,
        durationMs: Math.round(seconds * 1000 * 10) / 10,
        sender: principalOf(c)?.name,
      });
    }
  };
}
