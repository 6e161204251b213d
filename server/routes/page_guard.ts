/**
 * The one guard of every page route: a visitor without a login session (a wall screen's display token
 * is no login for these pages) is sent to the login page and brought back to the same path and query;
 * a caller whose role lacks the permission gets a ForbiddenError, which like every other domain error
 * becomes the Chinese error page of the one error mapping (app.onError, server/app.ts).
 *
 * @module
 */
import type { Context } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { type Principal, principalOf } from "../auth/principal.ts";
import { type Permission, roleCan } from "../auth/roles.ts";
import { ForbiddenError } from "../errors.ts";
import type { Manifest } from "../pages/layout.tsx";
import { loginUrl } from "../safe_redirect.ts";

/** A page handler: the request, the signed-in person, and the island manifest built at start-up. */
export type PageHandler = (c: Context<Env>, p: Principal, m: Manifest) => Response | Promise<Response>;

/** Redirect to the login page, coming back here (path and query) afterwards. */
export function toLogin(c: Context): Response {
  return c.redirect(loginUrl(c.req.url), 303);
}

/** `page(permission, handler)`: the handler, run only for a signed-in person with the permission. */
export function pageGuard(deps: AppDeps) {
  return (permission: Permission, handler: PageHandler) => async (c: Context<Env>): Promise<Response> => {
    const p = principalOf(c);
    if (!p || p.kind === "display") return toLogin(c);
    if (!roleCan(p.role, permission)) throw new ForbiddenError("您的账户无权查看此页面");
    return await handler(c, p, deps.manifest ?? {});
  };
}
