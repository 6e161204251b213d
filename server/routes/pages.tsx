/**
 * Server-rendered pages and static files: `GET /` (the halls the caller may watch), `GET /hall/:code`
 * (a hall's wall screen, for a logged-in user with `hall:view` in scope or the hall's display token)
 * and `GET /static/*`. The island bundles were built at start-up (`deps.manifest`).
 *
 * @module
 */
import { toLogin } from "./page_guard.ts";
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { type Principal, principalOf } from "../auth/principal.ts";
import { roleCan } from "../auth/roles.ts";
import { calendarStatus } from "./calendar.ts";
import { hallGroups, hallView, todaysAlerts } from "../pages/data.ts";
import { HallPage } from "../pages/hall_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { MessagePage } from "../pages/message_page.tsx";
import { StartPage } from "../pages/start_page.tsx";
import { overviewProps } from "../pages/overview_props.ts";
import { loadOverview } from "../reports/overview.ts";
import { serveStatic } from "./static.ts";
import { resolveStreamScope } from "../live/scope.ts";
import { loadTrend } from "../live/trend.ts";

/** Whether the principal may watch this hall's screen. */
export function mayViewHall(p: Principal, hall: string): boolean {
  return roleCan(p.role, "hall:view") && (p.scope.halls === "all" || p.scope.halls.has(hall));
}

/** The page routes. */
export function pageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const manifest = () => Promise.resolve(deps.manifest ?? {});
  const { db } = deps.database;

  app.get("/", async (c) => {
    const p = principalOf(c);
    if (!p) return toLogin(c);
    // Province and region agencies start with the overview of their cities or districts.
    const supervisor = (p.role === "province" || p.role === "region") && roleCan(p.role, "overview:read");
    const [groups, m, overview] = await Promise.all([
      hallGroups(db, (hall) => mayViewHall(p, hall)),
      manifest(),
      supervisor ? loadOverview(db, p.scope, deps.clock()) : null,
    ]);
    const missingYears = calendarStatus(deps).missing;
    const canView = roleCan(p.role, "hall:view");
    const live = overview ? overviewProps(overview, p.scope.regions === "all") : null;
    return c.html(
      renderPage(
        c,
        <StartPage
          groups={groups}
          missingYears={missingYears}
          canView={canView}
          overview={live}
          manifest={m}
        />,
      ),
    );
  });

  app.get("/hall/:code", async (c) => {
    const p = principalOf(c);
    if (!p) return toLogin(c);
    const code = c.req.param("code");
    const [hall, m] = await Promise.all([hallView(db, code), manifest()]);
    if (!hall) {
      return c.html(
        renderPage(c, <MessagePage title="未找到" message={`没有此大厅：${code}`} manifest={m} />),
        404,
      );
    }
    if (!mayViewHall(p, hall.code)) {
      return c.html(
        renderPage(c, <MessagePage title="无权访问" message="您无权查看此大厅的大屏" manifest={m} />),
        403,
      );
    }
    const stream = new URLSearchParams({ hall: hall.code });
    // A display's token (if it came with one) goes along to the stream.
    const token = c.req.query("token");
    if (token) stream.set("token", token);
    const now = deps.clock();
    const [alerts, trend] = await Promise.all([
      todaysAlerts(db, hall.code, now),
      resolveStreamScope(db, { hall: hall.code }).then((scope) => loadTrend(db, scope, now)),
    ]);
    const props = {
      hall: { code: hall.code, name: hall.name, regionName: hall.regionName },
      departments: hall.departments,
      items: hall.items,
      streamUrl: `/api/v1/stream?${stream}`,
      renderedAt: now,
      ...alerts,
      trend,
      trendUrl: `/api/v1/trend?${stream}`,
    };
    return c.html(renderPage(c, <HallPage props={props} manifest={m} />));
  });

  app.get("/static/*", serveStatic);

  return app;
}
