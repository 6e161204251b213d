/**
 * What the supervision pages share: a handler wrapper (login redirect, permission, domain errors as
 * pages, validation errors back on the form), form-field reading, and the success message carried
 * across the redirect after a post (`?ok=`).
 *
 * @module
 */
import type { Context } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { type Principal, principalOf } from "../auth/principal.ts";
import { type Permission, roleCan } from "../auth/roles.ts";
import { DomainError, ForbiddenError } from "../errors.ts";
import { type Manifest, renderPage } from "../pages/layout.tsx";
import { MessagePage } from "../pages/message_page.tsx";

const MESSAGES: Record<number, string> = { 400: "请求有误", 403: "无权访问", 404: "未找到", 409: "操作冲突" };

/**
 * The page guard of these deps: `page(permission, handler)` wraps a page handler for a logged-in
 * person with the permission; domain errors become message pages. The bundle manifest is the one
 * built at start-up (`deps.manifest`).
 */
export function pageGuard(deps: AppDeps) {
  return (
    permission: Permission,
    handler: (c: Context<Env>, p: Principal, m: Manifest) => Response | Promise<Response>,
  ) =>
  async (c: Context<Env>): Promise<Response> => {
    const p = principalOf(c);
    if (!p || p.kind === "display") {
      const url = new URL(c.req.url);
      return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
    }
    const m = deps.manifest ?? {};
    try {
      if (!roleCan(p.role, permission)) throw new ForbiddenError("您的账户无权查看此页面");
      return await handler(c, p, m);
    } catch (err) {
      if (!(err instanceof DomainError) || !(err.status in MESSAGES)) throw err;
      return c.html(
        renderPage(c, <MessagePage title={MESSAGES[err.status]} message={err.message} manifest={m} />),
        err.status as 400,
      );
    }
  };
}

/** A form's text fields (empty strings dropped), and its repeated fields as arrays. */
export async function formFields(c: Context<Env>): Promise<{
  text: (k: string) => string | undefined;
  all: (k: string) => string[];
}> {
  const form = await c.req.parseBody({ all: true });
  const text = (k: string) => {
    const v = form[k];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === "string" && s.trim() !== "" ? s : undefined;
  };
  const all = (k: string) => {
    const v = form[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string =>
      typeof x === "string"
    );
  };
  return { text, all };
}

/** Redirect after a successful post, with the success message shown by the next page. */
export function redirectOk(c: Context<Env>, path: string, message: string): Response {
  const sep = path.includes("?") ? "&" : "?";
  const [p, hash] = path.split("#");
  return c.redirect(`${p}${sep}ok=${encodeURIComponent(message)}${hash ? `#${hash}` : ""}`, 303);
}

/** The success message of the request (`?ok=`), at most 200 characters. */
export function okMessage(c: Context<Env>): string | undefined {
  return c.req.query("ok")?.slice(0, 200) || undefined;
}

/** A message box (success or error). */
export function Flash({ ok, error }: { ok?: string; error?: string }) {
  return (
    <>
      {ok && <p class="notice notice-ok" role="status">{ok}</p>}
      {error && <p class="notice notice-error" role="alert">{error}</p>}
    </>
  );
}
