/**
 * The security middleware in the order they must run, installed on the app by one call in
 * server/app.ts: headers (on every answer, errors included), body limits, the input guard (hostile
 * paths, queries and body text → 400, server/input_guard.ts), the login rate limit per IP,
 * authentication, the general rate limit per client, CSRF.
 *
 * @module
 */
import type { Hono } from "hono";
import type { AppDeps } from "../deps.ts";
import { inputGuard } from "../input_guard.ts";
import {
  bodyLimits,
  clientIp,
  rateLimit,
  RateLimiter,
  SECURITY_DEFAULTS,
  securityHeaders,
} from "../security.ts";
import { authenticate, csrfProtect } from "./middleware.ts";
import { principalOf } from "./principal.ts";

// deno-lint-ignore no-explicit-any
type AnyHono = Hono<any>;

/** Install the security middleware on every route. Call before mounting routes. */
export function installSecurity(
  app: AnyHono,
  deps: Pick<AppDeps, "database" | "clock" | "security" | "keys">,
): void {
  const o = { ...SECURITY_DEFAULTS, ...deps.security };
  const db = deps.database.db;
  const limiter = new RateLimiter(db);
  const ipOf = (c: Parameters<typeof clientIp>[0]) => clientIp(c, o.trustProxy);
  const exempt = (path: string) =>
    path.startsWith("/static/") || path === "/healthz" || path === "/readyz" || path === "/metrics";

  app.use("*", securityHeaders(o.trustProxy));
  app.use("*", bodyLimits(o.bodyLimits));
  // Hostile paths, queries and body text: 400 here, before anything reads them.
  app.use("*", inputGuard());
  app.use(
    "/login",
    rateLimit(
      limiter,
      "login",
      o.loginLimit,
      (c) => (c.req.method === "POST" ? `ip:${ipOf(c)}` : null),
      deps.clock,
    ),
  );
  const auth = authenticate(db, { clock: deps.clock, ipOf, keys: deps.keys });
  app.use("*", async (c, next) => exempt(c.req.path) ? await next() : await auth(c, next));
  app.use(
    "*",
    rateLimit(limiter, "api", o.apiLimit, (c) => {
      if (exempt(c.req.path)) return null;
      const p = principalOf(c);
      return p ? `${p.kind}:${p.id}` : `ip:${ipOf(c)}`;
    }, deps.clock),
  );
  app.use("*", csrfProtect({ exempt: ["/login"] }));
}
