/**
 * Operations: `GET /metrics` (Prometheus text) and `GET /readyz` (ready to serve: database reachable,
 * migrations applied, LISTEN working; 503 otherwise). `/healthz` (alive) is in server/app.ts.
 *
 * `/metrics` is open to loopback clients (a Prometheus on the same host, or a local proxy when the
 * server does not trust proxies) and otherwise needs `Authorization: Bearer <METRICS_TOKEN>`; without a
 * configured token it is refused to everyone else. Both routes skip the login machinery (install.ts).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { timingSafeEqual } from "../auth/crypto.ts";
import type { AppDeps } from "../deps.ts";
import { DomainError, ForbiddenError, UnauthorizedError } from "../errors.ts";
import { type Readiness, startReadiness } from "../metrics/readiness.ts";
import { clientIp } from "../security.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1", "localhost"]);

/** The operations routes. */
export function opsRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  let readiness: Promise<Readiness> | null = deps.readiness ? Promise.resolve(deps.readiness) : null;

  app.get("/metrics", async (c) => {
    const ip = clientIp(c, deps.security?.trustProxy);
    if (!LOOPBACK.has(ip)) {
      const token = deps.metricsToken;
      if (!token) throw new ForbiddenError("指标仅对本机开放；请配置 METRICS_TOKEN (metrics: loopback only)");
      const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
      if (!m) throw new UnauthorizedError("需要 METRICS_TOKEN (metrics token required)");
      if (!timingSafeEqual(m[1], token)) {
        throw new ForbiddenError("METRICS_TOKEN 不正确 (wrong metrics token)");
      }
    }
    if (!deps.metrics) throw new DomainError(503, "指标未启用 (metrics not enabled)");
    const text = await deps.metrics.render();
    return c.body(text, 200, {
      "content-type": deps.metrics.registry.contentType,
      "cache-control": "no-store",
    });
  });

  app.get("/readyz", async (c) => {
    // Without an injected probe (tests), one is started on first use for this app's database.
    readiness ??= startReadiness(deps.database);
    let probe: Readiness;
    try {
      probe = await readiness;
    } catch (err) {
      readiness = null;
      return c.json({ ready: false, error: err instanceof Error ? err.message : String(err) }, 503);
    }
    const report = await probe.check();
    return c.json(report, report.ready ? 200 : 503);
  });
  return app;
}
