/**
 * `GET /api/v1/stream`: live counts and alerts over server-sent events (EXCHANGE.md "Live stream"),
 * scoped by at most one of `?hall=`, `?department=`, `?region=`. Resumes after `Last-Event-ID`
 * (header, or `?lastEventId=` for clients that cannot set headers).
 *
 * Needs the `counts:read` permission; the filter must lie in the caller's scope. Without a filter, a
 * caller whose scope is not the whole province gets their own hall, region or department.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import type { Principal } from "../auth/principal.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { assertFilterInScope } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { DomainError, ForbiddenError } from "../errors.ts";
import type { Tx } from "../../db/client.ts";
import { resolveStreamScope, type Scope, type StreamScopeParams } from "../live/scope.ts";
import { parseEventId } from "../live/sse.ts";
import { credentialOf, CredentialWatch } from "../live/credential_watch.ts";
import { describe } from "../openapi/describe.ts";
import { streamDoc } from "../openapi/docs/cases.ts";

/** The stream route, to mount under `/api/v1`. */
export function streamRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const watch = deps.streamWatch ?? new CredentialWatch(deps.database.db, deps.clock, {
    maxPerCredential: deps.security?.maxStreamsPerCredential,
    checkMs: deps.security?.streamCheckMs,
  });
  app.get("/stream", describe(streamDoc), requirePermission("counts:read"), async (c) => {
    const hub = deps.live;
    if (!hub) throw new DomainError(503, "实时推送未启用 (live stream not running)");
    const principal = requirePrincipal(c);
    const scope = await requestedScope(c, principal, deps.database.db);
    const lastEventId = parseEventId(c.req.header("Last-Event-ID") ?? c.req.query("lastEventId"));
    // No request.signal: Deno cancels the body stream when the client goes, and hub.stop() ends it
    // on shutdown (request.signal would also abort on successful responses, with a warning).
    // The stream lives as long as its credential (revocation, expiry, logout: closed at the next
    // check) and a credential holds only a few streams, the oldest closed (server/live/credential_watch.ts).
    const credential = credentialOf(principal);
    const ends = new AbortController();
    const release = credential ? watch.admit(credential, () => ends.abort()) : () => {};
    const body = await hub.connect(scope, lastEventId, ends.signal, release);
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

/**
 * The scope a stream or trend request asks for: its one `?hall=`, `?department=` or `?region=`, which
 * must lie in the caller's scope (more than one is refused), or without any the caller's own.
 */
export function requestedScope(c: Context<Env>, p: Principal, db: Tx): Promise<Scope> {
  const asked: StreamScopeParams = {
    hall: c.req.query("hall"),
    department: c.req.query("department"),
    region: c.req.query("region"),
  };
  const given = Object.values(asked).filter((v) => v !== undefined).length;
  const params = given === 0 ? defaultFilter(p) : asked;
  if (given === 1) assertFilterInScope(p, params);
  return resolveStreamScope(db, params);
}

/** The caller's own scope as a stream filter; `{}` (everything) only for the whole province. */
export function defaultFilter(p: Principal): StreamScopeParams {
  if (p.scope.departments === "all") return {};
  if (p.hall) return { hall: p.hall };
  if (p.region) return { region: p.region };
  if (p.departments.length === 1) return { department: p.departments[0] };
  throw new ForbiddenError("请指定范围: ?hall=、?department= 或 ?region= (choose a scope)");
}
