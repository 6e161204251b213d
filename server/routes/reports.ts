/**
 * Report routes (RULES.md §5, 汇总分析及评价 and 通报), `reports:read`, always within the caller's scope:
 *
 * - `GET /reports/rankings?month=YYYY-MM&level=department|region` — units ranked by on-time rate,
 *   with their metrics (definitions in server/reports/rankings.ts).
 * - `GET /reports/rankings.csv?…` — the same as CSV (UTF-8 with BOM, Chinese headers).
 * - `GET /reports/red-cards?from=YYYY-MM-DD&to=YYYY-MM-DD` — red cards of the period by department,
 *   with the generated notice text.
 * - `GET /reports/red-cards.csv?…` — those red cards as CSV.
 *
 * A bad parameter answers 400 naming the field.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { attachment } from "../reports/csv.ts";
import { LEVEL_NAMES, rankingsCsv, redCardsCsv } from "../reports/export.ts";
import { loadNotice } from "../reports/notice_data.ts";
import { parsePeriod, parseRankingsQuery } from "../reports/params.ts";
import { DEFINITIONS, RANKING_ORDER } from "../reports/rankings.ts";
import { loadRankings } from "../reports/rankings_query.ts";

const csv = (c: Context, body: string, filename: string) =>
  c.body(body, 200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": attachment(filename),
    "cache-control": "no-store",
  });

/** The report routes, to mount under `/api/v1`. */
export function reportRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  app.use("/reports/*", requirePermission("reports:read"));

  app.get("/reports/rankings", async (c) => {
    const q = parseRankingsQuery(c.req.query());
    const units = await loadRankings(db, requirePrincipal(c).scope, q);
    return c.json({ ...q, order: RANKING_ORDER, definitions: DEFINITIONS, units });
  });

  app.get("/reports/rankings.csv", async (c) => {
    const q = parseRankingsQuery(c.req.query());
    const units = await loadRankings(db, requirePrincipal(c).scope, q);
    return csv(c, rankingsCsv(units, q.level), `${LEVEL_NAMES[q.level]}效率排名-${q.month}.csv`);
  });

  app.get("/reports/red-cards", async (c) => {
    const period = parsePeriod(c.req.query());
    const n = await loadNotice(deps, db, requirePrincipal(c), period);
    return c.json({
      from: period.from,
      to: period.to,
      area: n.area,
      total: n.total,
      departments: n.groups,
      notice: n.text,
    });
  });

  app.get("/reports/red-cards.csv", async (c) => {
    const period = parsePeriod(c.req.query());
    const n = await loadNotice(deps, db, requirePrincipal(c), period);
    return csv(c, redCardsCsv(n.groups), `红牌通报-${period.from}至${period.to}.csv`);
  });

  return app;
}
