/**
 * The administration pages (role `admin`): accounts, API keys, display tokens and working-day
 * calendars as server-rendered forms, so that nobody needs curl. Every change goes through the same
 * functions as the JSON API (server/routes/admin.ts, calendar.ts) and is audited by them. Forms post
 * with the session's `_csrf` field; a refused form is shown again (400) with the field named; a saved
 * one redirects (303), except the creation of a key or display token, whose answer shows the secret
 * this once (never stored, never in a later page).
 *
 * @module
 */
import { MIN_PASSWORD } from "../auth/users.ts";
import { gt, isNull } from "drizzle-orm";
import { type Context, Hono } from "hono";
import type { z } from "zod";
import { buildIslands, type Manifest } from "../../scripts/build_islands.ts";
import { apiKeys, displayTokens, loginAttempts } from "../../db/schema_auth.ts";
import type { Env } from "../app.ts";
import { listApiKeys } from "../auth/api_keys.ts";
import { listDisplayTokens } from "../auth/display_tokens.ts";
import { type Principal, principalOf } from "../auth/principal.ts";
import { type Permission, roleCan } from "../auth/roles.ts";
import { listUsers, publicUser, UserCreate, UserUpdate } from "../auth/users.ts";
import { calendarStore } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, DomainError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { listReference } from "../reference.ts";
import { type Banner, errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { AdminHomePage } from "../pages/admin_home_page.tsx";
import {
  type ScopeChoices,
  USER_LABELS,
  type UserFormValues,
  UserPage,
  UsersPage,
} from "../pages/admin_users_page.tsx";
import { KEY_LABELS, KeysPage } from "../pages/admin_keys_page.tsx";
import { TOKEN_LABELS, TokensPage } from "../pages/admin_tokens_page.tsx";
import { CALENDAR_LABELS, CalendarPage } from "../pages/admin_calendar_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { MessagePage } from "../pages/message_page.tsx";
import {
  actorOf,
  changeAccount,
  createAccount,
  issueApiKey,
  issueDisplayToken,
  KeyCreate,
  TokenCreate,
  withdrawApiKey,
  withdrawDisplayToken,
} from "./admin.ts";
import { calendarStatus, putCalendarYear } from "./calendar.ts";

/** Options of {@linkcode adminPageRoutes}. */
export interface AdminPageOptions {
  /** Where the bundle manifest comes from; default {@linkcode buildIslands}. */
  manifest?: () => Promise<Manifest>;
}

/** Passwords set through these forms are at least this long (the API accepts 10 for machine use). */
export const MIN_FORM_PASSWORD = MIN_PASSWORD;

const MESSAGES: Record<number, string> = { 400: "请求有误", 403: "无权访问", 404: "未找到", 409: "无法执行" };

/** A zod issue in Chinese, unless its schema already says it in Chinese. */
function issueText(issue: z.core.$ZodIssue): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  const i = issue as { code: string; minimum?: unknown; maximum?: unknown; origin?: string };
  if (i.code === "too_small") {
    return i.origin === "string" && i.minimum === 1 ? "不能为空" : `至少 ${i.minimum} 个字符`;
  }
  if (i.code === "too_big") return `不能超过 ${i.maximum} 个${i.origin === "array" ? "" : "字符"}`;
  if (i.code === "invalid_value") return "取值无效";
  return `格式不正确（${issue.message}）`;
}

/** Field errors of a failed parse, by the first element of each issue's path (first issue wins). */
function zodErrors(error: z.ZodError, into: FieldErrors = {}): FieldErrors {
  for (const issue of error.issues) into[String(issue.path[0] ?? "form")] ??= issueText(issue);
  return into;
}

/** The field an account function's refusal is about (its message names it in brackets). */
function accountField(message: string): string {
  if (/username/.test(message)) return "username";
  if (/region or departments/.test(message)) return "region";
  if (/department/.test(message)) return "departments";
  if (/region/.test(message)) return "region";
  if (/hall/.test(message)) return "hall";
  if (/lock yourself out/.test(message)) return "active";
  return "form";
}

/** The administration pages, to mount at `/` before the other pages. */
export function adminPageRoutes(deps: AppDeps, opts: AdminPageOptions = {}): Hono<Env> {
  const app = new Hono<Env>();
  const manifest = opts.manifest ?? (() => buildIslands());
  const { db } = deps.database;

  /** Run a handler for a logged-in caller with the permission; refusals become pages. */
  const page =
    (permission: Permission, handler: (c: Context<Env>, p: Principal) => Promise<Response>) =>
    async (c: Context<Env>) => {
      const p = principalOf(c);
      if (!p) return c.redirect(`/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`, 303);
      try {
        if (!roleCan(p.role, permission)) throw new ForbiddenError("您的账户无权查看此页面");
        return await handler(c, p);
      } catch (err) {
        if (!(err instanceof DomainError) || !(err.status in MESSAGES)) throw err;
        const m = await manifest();
        return c.html(
          renderPage(c, <MessagePage title={MESSAGES[err.status]} message={err.message} manifest={m} />),
          err.status,
        );
      }
    };
  const csrf = (p: Principal) => p.session?.csrfToken ?? null;
  const html = (c: Context, node: preact.VNode, status: 200 | 400 = 200) => {
    // Pages carry CSRF tokens, and some a secret shown once: never from a cache.
    c.header("Cache-Control", "no-store");
    return c.html(renderPage(c, node), status);
  };
  const form = async (c: Context) => {
    const body = await c.req.parseBody({ all: true });
    const text = (k: string) => {
      const v = body[k];
      return typeof v === "string" ? v.trim() : undefined;
    };
    const all = (k: string) => [body[k]].flat().filter((v): v is string => typeof v === "string" && v !== "");
    return { text, all };
  };

  const scopeChoices = async (): Promise<ScopeChoices> => {
    const [departments, regions, halls] = await Promise.all(
      (["departments", "regions", "halls"] as const).map((k) => listReference(db, k)),
    );
    return { departments, regions, halls } as ScopeChoices;
  };
  const lockedNames = async () => {
    const rows = await db.select({ username: loginAttempts.username }).from(loginAttempts)
      .where(gt(loginAttempts.lockedUntil, new Date(deps.clock())));
    return new Set(rows.map((r) => r.username));
  };

  app.get(
    "/admin",
    page("users:admin", async (c) => {
      const [users, locked, keys, tokens, calendar, m] = await Promise.all([
        listUsers(db),
        lockedNames(),
        db.select({ id: apiKeys.id }).from(apiKeys).where(isNull(apiKeys.revokedAt)),
        db.select({ id: displayTokens.id }).from(displayTokens).where(isNull(displayTokens.revokedAt)),
        calendarStatus(deps),
        manifest(),
      ]);
      const overview = {
        users: users.length,
        inactiveUsers: users.filter((u) => !u.active).length,
        lockedUsers: locked.size,
        activeKeys: keys.length,
        activeTokens: tokens.length,
        missingYears: calendar.missing,
      };
      return html(c, <AdminHomePage overview={overview} manifest={m} />);
    }),
  );

  // Accounts.
  const renderUsers = async (
    c: Context,
    p: Principal,
    extra: { banner?: Banner; form?: UserFormValues; errors?: FieldErrors } = {},
  ) => {
    const [users, locked, choices, m] = await Promise.all([
      listUsers(db),
      lockedNames(),
      scopeChoices(),
      manifest(),
    ]);
    const props = { users: users.map(publicUser), locked, choices, csrf: csrf(p), manifest: m, ...extra };
    return html(c, <UsersPage {...props} />, extra.errors ? 400 : 200);
  };
  const userValues = (f: Awaited<ReturnType<typeof form>>): UserFormValues => ({
    username: f.text("username"),
    displayName: f.text("displayName"),
    role: f.text("role"),
    departments: f.all("departments"),
    region: f.text("region") || null,
    hall: f.text("hall") || null,
  });

  app.get(
    "/admin/users",
    page("users:admin", (c, p) => {
      const created = c.req.query("created");
      return renderUsers(c, p, created ? { banner: { tone: "ok", text: `账户 ${created} 已创建。` } } : {});
    }),
  );

  app.post(
    "/admin/users",
    page("users:admin", async (c, p) => {
      const f = await form(c);
      const values = userValues(f);
      const password = f.text("password") || undefined;
      const errors: FieldErrors = {};
      if (password && password.length < MIN_FORM_PASSWORD) {
        errors.password = `至少 ${MIN_FORM_PASSWORD} 个字符`;
      }
      if (!password && values.role !== "ingest") {
        errors.password = "不能为空（只有数据接入客户端可以不设密码）";
      }
      const parsed = UserCreate.safeParse({ ...values, password });
      if (!parsed.success) zodErrors(parsed.error, errors);
      if (parsed.success && Object.keys(errors).length === 0) {
        try {
          const user = await createAccount(deps, actorOf(c, deps), parsed.data);
          return c.redirect(`/admin/users?created=${encodeURIComponent(user.username)}`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
          errors[accountField(err.message)] = err.message;
        }
      }
      const banner = errorBanner("账户", errors, USER_LABELS);
      return renderUsers(c, p, { banner, form: values, errors });
    }),
  );

  const renderUser = async (
    c: Context,
    p: Principal,
    extra: { banner?: Banner; form?: UserFormValues; errors?: FieldErrors; failed?: "change" | "password" } =
      {},
  ) => {
    const id = c.req.param("id")!;
    const [users, locked, choices, m] = await Promise.all([
      listUsers(db),
      lockedNames(),
      scopeChoices(),
      manifest(),
    ]);
    const user = users.find((u) => u.id === id);
    if (!user) throw new NotFoundError("没有此用户");
    const props = {
      user: publicUser(user),
      locked: locked.has(user.username),
      choices,
      csrf: csrf(p),
      manifest: m,
    };
    return html(c, <UserPage {...props} {...extra} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/users/:id",
    page("users:admin", (c, p) => {
      const saved = c.req.query("saved");
      const text = saved === "password"
        ? "新密码已设置，该账户需重新登录。"
        : "修改已保存，该账户需重新登录。";
      return renderUser(c, p, saved ? { banner: { tone: "ok", text } } : {});
    }),
  );

  app.post(
    "/admin/users/:id",
    page("users:admin", async (c, p) => {
      const id = c.req.param("id")!;
      const f = await form(c);
      const { username: _, ...values } = userValues(f);
      const active = f.text("active");
      const form2 = { ...values, active: active !== "false" };
      const errors: FieldErrors = {};
      if (active !== "true" && active !== "false") errors.active = "取值无效";
      const parsed = UserUpdate.safeParse(form2);
      if (!parsed.success) zodErrors(parsed.error, errors);
      if (parsed.success && Object.keys(errors).length === 0) {
        try {
          await changeAccount(deps, actorOf(c, deps), id, parsed.data);
          return c.redirect(`/admin/users/${encodeURIComponent(id)}?saved=1`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
          errors[accountField(err.message)] = err.message;
        }
      }
      const banner = errorBanner("修改", errors, USER_LABELS);
      return renderUser(c, p, { banner, form: form2, errors, failed: "change" });
    }),
  );

  app.post(
    "/admin/users/:id/password",
    page("users:admin", async (c, p) => {
      const id = c.req.param("id")!;
      // Passwords are not trimmed: spaces count.
      const body = await c.req.parseBody();
      const password = typeof body.password === "string" ? body.password : "";
      const errors: FieldErrors = {};
      if (password.length < MIN_FORM_PASSWORD) errors.password = `至少 ${MIN_FORM_PASSWORD} 个字符`;
      else if (body.confirm !== password) errors.confirm = "两次输入的密码不一致";
      if (Object.keys(errors).length === 0) {
        await changeAccount(deps, actorOf(c, deps), id, { password });
        return c.redirect(`/admin/users/${encodeURIComponent(id)}?saved=password`, 303);
      }
      const banner = errorBanner("新密码", errors, { ...USER_LABELS, password: "新密码" });
      return renderUser(c, p, { banner, errors, failed: "password" });
    }),
  );

  // API keys.
  const renderKeys = async (
    c: Context,
    p: Principal,
    extra: Partial<Parameters<typeof KeysPage>[0]> = {},
  ) => {
    const [keys, users, m] = await Promise.all([listApiKeys(db), listUsers(db), manifest()]);
    const props = { keys, users: users.map(publicUser), csrf: csrf(p), manifest: m, ...extra };
    return html(c, <KeysPage {...props} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/keys",
    page("users:admin", (c, p) => {
      const revoked = c.req.query("revoked") !== undefined;
      return renderKeys(
        c,
        p,
        revoked ? { banner: { tone: "ok", text: "密钥已吊销，使用它的请求将立即被拒绝。" } } : {},
      );
    }),
  );

  app.post(
    "/admin/keys",
    page("users:admin", async (c, p) => {
      const f = await form(c);
      const values = { userId: f.text("userId") ?? "", name: f.text("name") ?? "" };
      const errors: FieldErrors = {};
      const parsed = KeyCreate.safeParse(values);
      if (!parsed.success) zodErrors(parsed.error, errors);
      else {
        try {
          const k = await issueApiKey(deps, actorOf(c, deps), parsed.data);
          const owner = (await listUsers(db)).find((u) => u.id === parsed.data.userId)!;
          const created = {
            ...k,
            owner: `${owner.displayName}（${owner.username}）`,
            name: parsed.data.name,
          };
          return await renderKeys(c, p, { created });
        } catch (err) {
          if (!(err instanceof NotFoundError)) throw err;
          errors.userId = err.message;
        }
      }
      return renderKeys(c, p, { banner: errorBanner("密钥", errors, KEY_LABELS), form: values, errors });
    }),
  );

  app.post(
    "/admin/keys/:id/revoke",
    page("users:admin", async (c) => {
      const id = c.req.param("id")!;
      await withdrawApiKey(deps, actorOf(c, deps), id);
      return c.redirect("/admin/keys?revoked=1", 303);
    }),
  );

  // Display tokens.
  const renderTokens = async (
    c: Context,
    p: Principal,
    extra: Partial<Parameters<typeof TokensPage>[0]> = {},
  ) => {
    const [tokens, halls, m] = await Promise.all([
      listDisplayTokens(db),
      listReference(db, "halls") as Promise<{ code: string; name: string }[]>,
      manifest(),
    ]);
    const props = { tokens, halls, now: deps.clock(), csrf: csrf(p), manifest: m, ...extra };
    return html(c, <TokensPage {...props} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/display-tokens",
    page("users:admin", (c, p) => {
      const revoked = c.req.query("revoked") !== undefined;
      const text = "令牌已吊销，使用它的显示屏将无法再打开大屏。";
      return renderTokens(c, p, revoked ? { banner: { tone: "ok", text } } : {});
    }),
  );

  app.post(
    "/admin/display-tokens",
    page("users:admin", async (c, p) => {
      const f = await form(c);
      const values = {
        hall: f.text("hall") ?? "",
        name: f.text("name") ?? "",
        expiresAt: f.text("expiresAt") ?? "",
      };
      const errors: FieldErrors = {};
      if (values.expiresAt && !/^\d{4}-\d{2}-\d{2}$/.test(values.expiresAt)) {
        errors.expiresAt = "日期格式应为 YYYY-MM-DD";
      }
      // A date means to the end of that day in Beijing time.
      const expiresAt = values.expiresAt && !errors.expiresAt ? `${values.expiresAt}T23:59:59+08:00` : null;
      const parsed = TokenCreate.safeParse({ hall: values.hall, name: values.name, expiresAt });
      if (!parsed.success) zodErrors(parsed.error, errors);
      else if (expiresAt && Date.parse(expiresAt) <= deps.clock()) errors.expiresAt = "须晚于今天";
      if (parsed.success && Object.keys(errors).length === 0) {
        try {
          const t = await issueDisplayToken(deps, actorOf(c, deps), parsed.data);
          const origin = new URL(c.req.url).origin;
          const url = `${origin}/hall/${encodeURIComponent(values.hall)}?token=${t.token}`;
          return await renderTokens(c, p, { created: { url, hall: values.hall, name: values.name } });
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          errors.hall = err.message;
        }
      }
      return renderTokens(c, p, { banner: errorBanner("令牌", errors, TOKEN_LABELS), form: values, errors });
    }),
  );

  app.post(
    "/admin/display-tokens/:id/revoke",
    page("users:admin", async (c) => {
      const id = c.req.param("id")!;
      await withdrawDisplayToken(deps, actorOf(c, deps), id);
      return c.redirect("/admin/display-tokens?revoked=1", 303);
    }),
  );

  // Working-day calendars.
  const renderCalendar = async (
    c: Context,
    p: Principal,
    extra: Partial<Parameters<typeof CalendarPage>[0]> = {},
  ) => {
    const [store, status, m] = await Promise.all([
      calendarStore(deps.database),
      calendarStatus(deps),
      manifest(),
    ]);
    const props = { years: store.rows, missing: status.missing, csrf: csrf(p), manifest: m, ...extra };
    return html(c, <CalendarPage {...props} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/calendar",
    page("calendar:write", (c, p) => {
      const saved = c.req.query("saved");
      const n = c.req.query("recalculated");
      const text = `${saved}年节假日安排已保存，已重新计算 ${n ?? 0} 件办件的时限。`;
      return renderCalendar(c, p, saved ? { banner: { tone: "ok", text } } : {});
    }),
  );

  app.post(
    "/admin/calendar",
    page("calendar:write", async (c, p) => {
      const f = await form(c);
      const values = {
        year: f.text("year") ?? "",
        data: f.text("data") ?? "",
        source: f.text("source") ?? "",
      };
      const errors: FieldErrors = {};
      let body: unknown;
      try {
        body = JSON.parse(values.data);
      } catch (err) {
        errors.data = `不是有效的 JSON（${(err as Error).message}）`;
      }
      if (!errors.data && values.source && typeof body === "object" && body && !Array.isArray(body)) {
        body = { ...body, source: values.source };
      }
      if (!errors.data) {
        try {
          const r = await putCalendarYear(deps, actorOf(c, deps), values.year, body);
          return c.redirect(`/admin/calendar?saved=${r.year}&recalculated=${r.recalculated}`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          errors[/^year must/.test(err.message) ? "year" : "data"] = err.message;
        }
      }
      return renderCalendar(c, p, {
        banner: errorBanner("年度安排", errors, CALENDAR_LABELS),
        form: values,
        errors,
      });
    }),
  );

  return app;
}
