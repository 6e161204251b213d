/**
 * API keys and display tokens: create (the secret shown once) and revoke (`/admin/keys…`, `/admin/display-tokens…`).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { z } from "zod";
import type { Env } from "../app.ts";
import { listApiKeys } from "../auth/api_keys.ts";
import { listDisplayTokens } from "../auth/display_tokens.ts";
import type { Principal } from "../auth/principal.ts";
import { listUsers, publicUser } from "../auth/users.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { listReference } from "../reference.ts";
import { errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { KEY_LABELS, KeysPage } from "../pages/admin_keys_page.tsx";
import { TOKEN_LABELS, TokensPage } from "../pages/admin_tokens_page.tsx";
import {
  actorOf,
  issueApiKey,
  issueDisplayToken,
  KeyCreate,
  TokenCreate,
  withdrawApiKey,
  withdrawDisplayToken,
} from "./admin.ts";
import { type AdminPageKit, zodErrors } from "./admin_page_kit.tsx";

/** A form's expiry date as the end of that day in Beijing time; a malformed date is a field error. */
function endOfDayIn(date: string, errors: FieldErrors): string | null {
  if (!date) return null;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    errors.expiresAt = "日期格式应为 YYYY-MM-DD";
    return null;
  }
  return `${date}T23:59:59+08:00`;
}

/**
 * A key's or token's create form as typed: the owner field, the name and the expiry date, read as the
 * end of that day in Beijing time and required to lie after `now`. The input as `schema` parses it, or
 * null with every problem in `errors`, by field.
 */
function parseCreateForm<T>(
  schema: z.ZodType<T>,
  values: Record<string, string> & { expiresAt: string },
  now: number,
  errors: FieldErrors,
): T | null {
  const expiresAt = endOfDayIn(values.expiresAt, errors);
  const parsed = schema.safeParse({ ...values, expiresAt });
  if (!parsed.success) zodErrors(parsed.error, errors);
  else if (expiresAt && Date.parse(expiresAt) <= now) errors.expiresAt = "须晚于今天 (must be after today)";
  return parsed.success && Object.keys(errors).length === 0 ? parsed.data : null;
}

/** Register the API key and display token pages. */
export function adminCredentialRoutes(app: Hono<Env>, kit: AdminPageKit, deps: AppDeps): void {
  const { page, csrf, html, form, manifest, db } = kit;
  const renderKeys = async (
    c: Context,
    p: Principal,
    extra: Partial<Parameters<typeof KeysPage>[0]> = {},
  ) => {
    const [keys, users, m] = await Promise.all([listApiKeys(db), listUsers(db), manifest()]);
    const props = {
      keys,
      users: users.map(publicUser),
      now: deps.clock(),
      csrf: csrf(p),
      manifest: m,
      ...extra,
    };
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
      const values = {
        userId: f.text("userId") ?? "",
        name: f.text("name") ?? "",
        expiresAt: f.text("expiresAt") ?? "",
      };
      const errors: FieldErrors = {};
      const input = parseCreateForm(KeyCreate, values, deps.clock(), errors);
      if (input) {
        try {
          const k = await issueApiKey(deps, actorOf(c, deps), input);
          const owner = (await listUsers(db)).find((u) => u.id === input.userId)!;
          const created = { ...k, owner: `${owner.displayName}（${owner.username}）`, name: input.name };
          return await renderKeys(c, p, { created });
        } catch (err) {
          if (!(err instanceof NotFoundError || err instanceof ValidationError)) throw err;
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
      const input = parseCreateForm(TokenCreate, values, deps.clock(), errors);
      if (input) {
        try {
          const t = await issueDisplayToken(deps, actorOf(c, deps), input);
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
}
