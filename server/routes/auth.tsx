/**
 * Login page (zh-CN), POST /login, POST /logout and GET /api/v1/me.
 *
 * The login form is protected against login CSRF by a double-submit token: GET /login sets a
 * short-lived cookie and puts the same value in the form. JSON logins need none (a cross-site page
 * cannot send JSON without a CORS preflight, which this server never grants).
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { renderToString } from "preact-render-to-string";
import { z } from "zod";
import { timingSafeEqual } from "../auth/crypto.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "../auth/demo_users.ts";
import { login, logout } from "../auth/login.ts";
import { CSRF_FIELD, requireAuth } from "../auth/middleware.ts";
import { principalOf, requirePrincipal } from "../auth/principal.ts";
import { ROLE_NAMES } from "../auth/roles.ts";
import { randomToken } from "../auth/crypto.ts";
import { SESSION_COOKIE } from "../auth/sessions.ts";
import type { AppDeps } from "../deps.ts";
import { RateLimitError, UnauthorizedError, ValidationError } from "../errors.ts";
import { clientIp, isHttps } from "../security.ts";
import { describe } from "../openapi/describe.ts";
import { meDoc } from "../openapi/docs/admin.ts";
import { safeNext } from "../safe_redirect.ts";
import { afterLogin } from "../pages/landing.ts";

const LOGIN_CSRF_COOKIE = "jct_login_csrf";

const Credentials = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(200),
});

/** Too many failed logins of this name from this address: 429 with Retry-After. */
export class LoginThrottledError extends RateLimitError {
  constructor(retryAfterSeconds: number) {
    super(retryAfterSeconds);
    this.message = `登录失败次数过多，请 ${retryAfterSeconds} 秒后再试 ` +
      `(too many failed logins from this address: retry after ${retryAfterSeconds} s)`;
  }
}

const ERRORS: Record<string, (wait: number) => string> = {
  invalid: () => "用户名或密码错误。",
  throttled: (wait) => `登录失败次数过多，请 ${wait > 0 ? `${wait} 秒` : "稍"}后再试。`,
  csrf: () => "页面已过期，请重新登录。",
};

function LoginPage(props: { csrf: string; next: string; error?: string; demo: boolean }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>登录 · 政务服务电子监察系统</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <style>
          {`body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;background:#f3f5f8;margin:0}
main{max-width:360px;margin:12vh auto;background:#fff;padding:32px;border-radius:8px;box-shadow:0 2px 12px #0001}
h1{font-size:20px;margin:0 0 24px}label{display:block;margin:12px 0 4px;color:#333}
input{width:100%;box-sizing:border-box;padding:8px;font-size:16px;border:1px solid #bbb;border-radius:4px}
button{margin-top:20px;width:100%;padding:10px;font-size:16px;background:#b71c1c;color:#fff;border:0;border-radius:4px}
.error{color:#b71c1c}.demo{margin-top:24px;font-size:13px;color:#555}.demo td{padding:2px 8px 2px 0}`}
        </style>
      </head>
      <body>
        <main>
          <h1>政务服务电子监察系统</h1>
          {props.error && <p class="error" role="alert">{props.error}</p>}
          <form method="post" action="/login">
            <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
            <input type="hidden" name="next" value={props.next} />
            <label for="username">用户名</label>
            <input id="username" name="username" autocomplete="username" required maxlength={64} />
            <label for="password">密码</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required />
            <button type="submit">登录</button>
          </form>
          {props.demo && (
            <section class="demo">
              <p>演示账户（密码均为 {DEMO_PASSWORD}）：</p>
              <table>
                <tbody>
                  {DEMO_USERS.filter((u) => u.role !== "ingest").map((u) => (
                    <tr key={u.username}>
                      <td>{u.username}</td>
                      <td>{ROLE_NAMES[u.role]}</td>
                      <td>{u.displayName}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </main>
      </body>
    </html>
  );
}

/** The login routes, mounted at the root. */
export function authRoutes(deps: AppDeps) {
  const app = new Hono();
  const db = deps.database.db;
  const trustProxy = deps.security?.trustProxy ?? false;
  const ip = (c: Context) => clientIp(c, trustProxy);

  app.get("/login", (c) => {
    const signedIn = principalOf(c);
    if (signedIn?.kind === "session") {
      return c.redirect(afterLogin(c.req.query("next"), safeNext, signedIn), 303);
    }
    const csrf = randomToken();
    setCookie(c, LOGIN_CSRF_COOKIE, csrf, {
      httpOnly: true,
      sameSite: "Strict",
      secure: isHttps(c, trustProxy),
      path: "/login",
      maxAge: 3600,
    });
    const wait = Number(c.req.query("wait"));
    const error = ERRORS[c.req.query("error") ?? ""]?.(Number.isInteger(wait) && wait > 0 ? wait : 0);
    const html = renderToString(
      <LoginPage csrf={csrf} next={safeNext(c.req.query("next"))} error={error} demo={!!deps.demo} />,
    );
    return c.html(`<!doctype html>${html}`);
  });

  app.post("/login", async (c) => {
    const json = (c.req.header("content-type") ?? "").startsWith("application/json");
    const body = json ? await c.req.json().catch(() => null) : await c.req.parseBody();
    const parsed = Credentials.safeParse(body);
    if (!json) {
      const form = body as Record<string, unknown>;
      const cookie = getCookie(c, LOGIN_CSRF_COOKIE);
      const sent = form[CSRF_FIELD];
      if (!cookie || typeof sent !== "string" || !timingSafeEqual(sent, cookie)) {
        return c.redirect("/login?error=csrf", 303);
      }
    }
    if (!parsed.success) {
      if (json) throw new ValidationError("需要用户名和密码 (username and password required)");
      return c.redirect("/login?error=invalid", 303);
    }
    const now = deps.clock();
    const result = await login(db, { ...parsed.data, ip: ip(c), userAgent: c.req.header("user-agent") }, now);
    if (!result.ok) {
      if (json) {
        if (result.reason === "throttled") throw new LoginThrottledError(result.retryAfter);
        // The next attempt's delay, so that a client can wait instead of being refused.
        if (result.retryAfter > 0) c.header("Retry-After", String(result.retryAfter));
        throw new UnauthorizedError("用户名或密码错误 (wrong username or password)");
      }
      const next = encodeURIComponent(safeNext((body as Record<string, unknown>).next));
      const wait = result.reason === "throttled" ? `&wait=${result.retryAfter}` : "";
      return c.redirect(`/login?error=${result.reason}${wait}&next=${next}`, 303);
    }
    setCookie(c, SESSION_COOKIE, result.session.token, {
      httpOnly: true,
      sameSite: "Lax",
      secure: isHttps(c, trustProxy),
      path: "/",
      expires: result.session.expiresAt,
    });
    deleteCookie(c, LOGIN_CSRF_COOKIE, { path: "/login" });
    if (json) {
      return c.json({
        ok: true,
        username: result.user.username,
        role: result.user.role,
        csrfToken: result.session.csrfToken,
      });
    }
    return c.redirect(afterLogin((body as Record<string, unknown>).next, safeNext, result.user), 303);
  });

  // The CSRF middleware has already checked the token: a cross-site page cannot log anyone out.
  app.post("/logout", async (c) => {
    const p = principalOf(c);
    if (p) await logout(db, p, ip(c), deps.clock());
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    const json = (c.req.header("accept") ?? "").includes("application/json");
    return json ? c.json({ ok: true }) : c.redirect("/login", 303);
  });

  app.get("/api/v1/me", describe(meDoc), requireAuth(), (c) => {
    const p = requirePrincipal(c);
    return c.json({
      kind: p.kind,
      username: p.name,
      displayName: p.displayName,
      role: p.role,
      roleName: ROLE_NAMES[p.role],
      departments: p.departments,
      region: p.region,
      hall: p.hall,
      /** Send back as X-CSRF-Token (or form field _csrf) on every state-changing request. */
      csrfToken: p.session?.csrfToken ?? null,
      sessionExpiresAt: p.session?.expiresAt.toISOString() ?? null,
    });
  });

  return app;
}
