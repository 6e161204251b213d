/**
 * The Hono app, built from injected dependencies. Tests call `createApp(deps).request(...)`;
 * only `server/main.ts` reads the environment and serves it.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { h } from "preact";
import { principalOf } from "./auth/principal.ts";
import { renderPage } from "./pages/layout.tsx";
import { ErrorPage } from "./pages/error_page.tsx";
import { landingOf } from "./pages/landing.ts";
import { HTTPException } from "hono/http-exception";
import { compress } from "hono/compress";
import type { AppDeps } from "./deps.ts";
import { DomainError, RateLimitError, ServiceUnavailableError } from "./errors.ts";
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
import { queueRoutes } from "./routes/queue_api.ts";
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

/** Whether a request is for a page (HTML), not the API or a machine endpoint. */
function isPage(c: Context): boolean {
  const path = c.req.path;
  if (/^\/(api|static)\//.test(path) || ["/healthz", "/readyz", "/metrics"].includes(path)) return false;
  // A JSON client of a non-API route (POST /login with a JSON body) gets JSON too.
  const json = /application\/json/;
  return !json.test(c.req.header("accept") ?? "") && !json.test(c.req.header("content-type") ?? "");
}

/** The error page of a page request, with a way back the visitor may use. */
function errorPage(c: Context, deps: AppDeps, status: number, message: string): Response {
  const p = principalOf(c);
  const back = p && p.kind !== "display"
    ? { href: landingOf(p), text: "返回我的工作页" }
    : p
    ? { href: `/hall/${encodeURIComponent(p.hall ?? "")}`, text: "返回大厅大屏" }
    : { href: "/login", text: "前往登录" };
  if (status === 401 && c.req.path.startsWith("/hall/")) {
    message = "显示屏令牌无效或已停用，请联系管理员重新设置";
  }
  const html = renderPage(
    c,
    h(ErrorPage, { status, message, back, manifest: deps.manifest ?? {} }) as preact.VNode,
  );
  return c.html(html, status as 400);
}

/** Build the app. */
export function createApp(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  // One error mapping: JSON under /api/ (and for machine endpoints), a Chinese HTML page elsewhere.
  app.onError((err, c) => {
    let status: number;
    let body: Record<string, unknown>;
    if (err instanceof DomainError) {
      if (err instanceof RateLimitError || err instanceof ServiceUnavailableError) {
        c.header("Retry-After", String(err.retryAfterSeconds));
      }
      status = err.status;
      body = { error: err.message };
      if (err.details !== undefined) body.details = err.details;
    } else if (err instanceof HTTPException) {
      status = err.status;
      body = { error: err.message || "bad request" };
    } else if (isDataException(err)) {
      // A value the database cannot take (the input guard lets none through that it knows of): 400, not 500.
      console.warn(`${c.req.method} ${c.req.path}: data exception:`, (err as Error).message);
      status = 400;
      body = { error: "输入数据无效 (invalid input value)" };
    } else {
      // Never a stack trace to the client: log it here, answer plainly.
      console.error(`${c.req.method} ${c.req.path}:`, err);
      status = 500;
      body = { error: "服务器内部错误 (internal error)" };
    }
    if (isPage(c)) return errorPage(c, deps, status, String(body.error));
    return c.json(body, status as 400);
  });
  app.notFound((c) =>
    isPage(c)
      ? errorPage(c, deps, 404, "没有此页面 (not found)")
      : c.json({ error: `没有此资源 (not found): ${c.req.path}` }, 404)
  );

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
  app.route("/api/v1", queueRoutes(deps));
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
