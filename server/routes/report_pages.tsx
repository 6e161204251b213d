/**
 * The report pages: `GET /reports?month=YYYY-MM&unit=CODE` (rankings of every level, charts, a unit's
 * 12 months) and
 * `GET /reports/notice?from=&to=` (the printable red-card notice). Both default to the current month
 * (Asia/Shanghai). Anonymous visitors go to the login page; roles without `reports:read` get a 403
 * page; a bad parameter a 400 page naming the field.
 *
 * @module
 */
import { pageGuard, type PageHandler } from "./page_guard.ts";
import { Hono } from "hono";
import { dateIn } from "../../rules/dates.ts";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { renderPage } from "../pages/layout.tsx";
import { NoticePage } from "../pages/report_notice_page.tsx";
import { ReportPage } from "../pages/report_page.tsx";
import { loadNotice } from "../reports/notice_data.ts";
import { monthPeriod, parsePeriod, parseRankingsQuery } from "../reports/params.ts";
import { loadReport, loadUnitTrend } from "../reports/rankings_query.ts";

/** The report page routes, to mount at `/` before the catch-all pages. */
export function reportPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const manifest = () => Promise.resolve(deps.manifest ?? {});
  const { db } = deps.database;

  const guard = pageGuard(deps);
  const page = (handler: PageHandler) => guard("reports:read", handler);

  const thisMonth = () => dateIn(deps.clock()).slice(0, 7);

  app.get(
    "/reports",
    page(async (c, p) => {
      const q = parseRankingsQuery({ month: c.req.query("month") || thisMonth() });
      const [report, m] = await Promise.all([loadReport(db, p.scope, q), manifest()]);
      // The trend of the unit asked for, else of the scope's total (its first region row).
      const unit = c.req.query("unit") || report.levels.region?.[0]?.code ||
        report.levels.department?.[0]?.code;
      const trend = unit ? await loadUnitTrend(db, p.scope, unit, q.month) : null;
      return c.html(renderPage(
        c,
        <ReportPage
          month={q.month}
          previousMonth={report.previousMonth}
          from={q.from}
          to={q.to}
          levels={{
            department: report.levels.department!,
            region: report.levels.region!,
            kind: report.levels.kind!,
          }}
          weights={report.weights}
          trend={trend}
          manifest={m}
        />,
      ));
    }),
  );

  app.get(
    "/reports/notice",
    page(async (c, p) => {
      const month = monthPeriod(thisMonth());
      const period = parsePeriod({
        from: c.req.query("from") || month.from,
        to: c.req.query("to") || month.to,
      });
      const [notice, m] = await Promise.all([loadNotice(deps, db, p, period), manifest()]);
      return c.html(
        renderPage(c, <NoticePage notice={notice} issuedOn={dateIn(deps.clock())} manifest={m} />),
      );
    }),
  );

  return app;
}
