/**
 * The Hono app, built from injected dependencies. Tests call `createApp(deps).request(...)`;
 * only `server/main.ts` reads the environment and serves it.
 *
 * @module
 */
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { compress } from "hono/compress";
import type { AppDeps } from "./deps.ts";
import { DomainError, RateLimitError } from "./errors.ts";
import { installSecurity } from "./auth/install.ts";
import { isDataException } from "./input_guard.ts";
import { authRoutes } from "./routes/auth.tsx";
import { adminRoutes } from "./routes/admin.ts";
import { streamRoutes } from "./routes/stream.ts";
import { eventRoutes } from "./routes/events.ts";
import { referenceRoutes } from "./routes/reference.ts";
import { caseRoutes } from "./routes/cases.ts";
import { calendarRoutes } from "./routes/calendar.ts";
import { pageRoutes } from "./routes/pages.tsx";
import { adminPageRoutes } from "./routes/admin_pages.tsx";
import { reviewRoutes } from "./routes/reviews.ts";
import { casePageRoutes } from "./routes/case_pages.tsx";
import { reportRoutes } from "./routes/reports.ts";
import { reportPageRoutes } from "./routes/report_pages.tsx";
import { spotCheckRoutes } from "./routes/spot_checks.ts";
import { orderRoutes } from "./routes/orders.ts";
import { supervisionPageRoutes } from "./routes/supervision_pages.tsx";
import { rankingWeightRoutes } from "./routes/ranking_weights.ts";
import { openapiRoutes } from "./routes/openapi.ts";
import { orderPageRoutes } from "./routes/order_pages.tsx";
import { overviewRoutes } from "./routes/overview.ts";
import { opsRoutes } from "./routes/ops.ts";
import { referencePageRoutes } from "./routes/reference_pages.tsx";
import { observe } from "./ops/observe.ts";
import { portalPageRoutes } from "./routes/portal_pages.tsx";
import { trendRoutes } from "./routes/trend.ts";
import { queuePageRoutes } from "./routes/queue_pages.tsx";

/** Variables routes may set on the context. */
export type Env = { Variables: Record<string, unknown> };

/** Build the app. */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.onError((err, c) => {
    if (err instanceof DomainError) {
      if (err instanceof RateLimitError) c.header("Retry-After", String(err.retryAfterSeconds));
      const body: Record<string, unknown> = { error: err.message };
      if (err.details !== undefined) body.details = err.details;
      return c.json(body, err.status);
    }
    if (err instanceof HTTPException) return c.json({ error: err.message || "bad request" }, err.status);
    // A value the database cannot take (the input guard lets none through that it knows of): 400, not 500.
    if (isDataException(err)) {
      console.warn(`${c.req.method} ${c.req.path}: data exception:`, (err as Error).message);
      return c.json({ error: "输入数据无效 (invalid input value)" }, 400);
    }
    // Never a stack trace to the client: log it here, answer plainly.
    console.error(`${c.req.method} ${c.req.path}:`, err);
    return c.json({ error: "服务器内部错误 (internal error)" }, 500);
  });
  app.notFound((c) => c.json({ error: `没有此资源 (not found): ${c.req.path}` }, 404));

  // Pages, JSON and CSV are gzip-compressed on the way out (above 1 KB). Never the event stream: the
  // content-type filter leaves text/event-stream alone, and a compressor would buffer its events.
  app.use("*", compress({ contentTypeFilter: compressible }));

  // Request id, latency metric and log line of every request (server/ops/observe.ts).
  app.use("*", observe(deps));
  // Headers, body limits, authentication, rate limits, CSRF: before every route.
  installSecurity(app, deps);

  app.get("/healthz", (c) => c.json({ ok: true, database: deps.database.kind }));
  app.route("/", opsRoutes(deps));

  // Route modules are mounted here, one line each.
  app.route("/", authRoutes(deps));
  app.route("/api/v1", adminRoutes(deps));
  app.route("/api/v1", streamRoutes(deps));
  app.route("/api/v1", eventRoutes(deps));
  app.route("/api/v1", referenceRoutes(deps));
  app.route("/api/v1", caseRoutes(deps));
  app.route("/api/v1", calendarRoutes(deps));
  app.route("/api/v1", reviewRoutes(deps));
  app.route("/api/v1", reportRoutes(deps));
  app.route("/api/v1", spotCheckRoutes(deps));
  app.route("/api/v1", rankingWeightRoutes(deps));
  app.route("/api/v1", orderRoutes(deps));
  app.route("/api/v1", overviewRoutes(deps));
  app.route("/api/v1", trendRoutes(deps));
  app.route("/", casePageRoutes(deps));
  app.route("/", reportPageRoutes(deps));
  app.route("/", supervisionPageRoutes(deps));
  app.route("/", orderPageRoutes(deps));
  app.route("/", portalPageRoutes(deps));
  app.route("/", referencePageRoutes(deps));
  app.route("/", queuePageRoutes(deps));
  app.route("/", adminPageRoutes(deps));
  app.route("/", pageRoutes(deps));
  app.route("/", openapiRoutes(() => app));

  return app;
}

/** Responses worth compressing: text (never `text/event-stream`), JSON, JavaScript, SVG. */
function compressible(type: string): boolean {
  return !/^text\/event-stream/i.test(type) &&
    /^(text\/|application\/(json|javascript|problem\+json)|image\/svg\+xml)/i.test(type);
}
