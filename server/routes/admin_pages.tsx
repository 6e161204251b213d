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
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { adminPageKit } from "./admin_page_kit.tsx";
import { adminCalendarRoutes } from "./admin_calendar_routes.tsx";
import { adminCredentialRoutes } from "./admin_credential_routes.tsx";
import { adminHomeRoutes } from "./admin_home_routes.tsx";
import { adminRankingRoutes } from "./admin_ranking_routes.tsx";
import { adminUserRoutes } from "./admin_user_routes.tsx";

export { MIN_FORM_PASSWORD } from "./admin_page_kit.tsx";

/** The administration pages, to mount at `/` before the other pages. */
export function adminPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const kit = adminPageKit(deps);
  adminHomeRoutes(app, kit, deps);
  adminUserRoutes(app, kit, deps);
  adminCredentialRoutes(app, kit, deps);
  adminCalendarRoutes(app, kit, deps);
  adminRankingRoutes(app, kit, deps);
  return app;
}
