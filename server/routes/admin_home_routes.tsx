/**
 * The administration overview page (`/admin`).
 *
 * @module
 */
import { isNull } from "drizzle-orm";
import { apiKeys, displayTokens } from "../../db/schema_auth.ts";
import type { Hono } from "hono";
import type { Env } from "../app.ts";
import { listUsers } from "../auth/users.ts";
import type { AppDeps } from "../deps.ts";
import { AdminHomePage } from "../pages/admin_home_page.tsx";
import { calendarStatus } from "./calendar.ts";
import type { AdminPageKit } from "./admin_page_kit.tsx";

/** Register the overview page. */
export function adminHomeRoutes(app: Hono<Env>, kit: AdminPageKit, deps: AppDeps): void {
  const { page, html, lockedNames, manifest, db } = kit;
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
}
