/**
 * Report routes (RULES.md §5, 汇总分析及评价 and 通报), `reports:read`, always within the caller's scope:
 *
 * - `GET /reports/rankings?month=YYYY-MM&level=department|region|kind` — units with their measures,
 *   composite score, rank within their peer group and the previous month's figures (环比); the
 *   weights in force (definitions in server/reports/rankings.ts, score.ts, peers.ts).
 * - `GET /reports/rankings.csv?…` — the same as CSV (UTF-8 with BOM, Chinese headers).
 * - `GET /reports/rankings.xlsx?month=` — every level on its own sheet and the weights on another
 *   (`level=` puts that level's sheet alone, with the weights).
 * - `GET /reports/rankings/trend?unit=CODE&month=YYYY-MM` — a department's or region's score and
 *   on-time rate over the 12 months ending with `month`.
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
import { NotFoundError, ValidationError } from "../errors.ts";
import { LEVEL_NAMES, rankingsCsv, rankingsXlsx, redCardsCsv } from "../reports/export.ts";
import { loadNotice } from "../reports/notice_data.ts";
import { redCardGroups, redCardPages } from "../reports/red_cards_query.ts";
import { LEVELS, parsePeriod, parseRankingsQuery } from "../reports/params.ts";
import { DEFINITIONS, RANKING_ORDER } from "../reports/rankings.ts";
import { loadReport, loadUnitTrend, type ReportRow } from "../reports/rankings_query.ts";
import { formulaText } from "../reports/score.ts";
import { xlsxResponse } from "../export/xlsx.ts";

/** A unit as the API shows it: its measures at the top level beside score, rank and peer group. */
const apiRow = (u: ReportRow) => ({ ...u.metrics, ...u });
import { describe } from "../openapi/describe.ts";
import { reportDocs } from "../openapi/docs/reports.ts";

const csv = (c: Context, body: ReadableStream<Uint8Array>, filename: string) =>
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

  app.get("/reports/rankings", describe(reportDocs.rankings), async (c) => {
    const q = parseRankingsQuery(c.req.query());
    const r = await loadReport(db, requirePrincipal(c).scope, q, [q.level]);
    return c.json({
      ...q,
      previousMonth: r.previousMonth,
      order: RANKING_ORDER,
      weights: r.weights.weights,
      weightsSetBy: r.weights.setBy,
      weightsSetAt: r.weights.setAt,
      formula: formulaText(r.weights.weights),
      definitions: DEFINITIONS,
      units: r.levels[q.level]!.map(apiRow),
    });
  });

  app.get("/reports/rankings.csv", describe(reportDocs.rankingsCsv), async (c) => {
    const q = parseRankingsQuery(c.req.query());
    const r = await loadReport(db, requirePrincipal(c).scope, q, [q.level]);
    return csv(c, rankingsCsv(r.levels[q.level]!, q.level), `${LEVEL_NAMES[q.level]}效率排名-${q.month}.csv`);
  });

  app.get("/reports/rankings.xlsx", describe(reportDocs.rankingsXlsx), async (c) => {
    const q = parseRankingsQuery(c.req.query());
    const levels = c.req.query("level") ? [q.level] : LEVELS;
    const r = await loadReport(db, requirePrincipal(c).scope, q, levels);
    const body = rankingsXlsx(q.month, r.levels, r.weights);
    const what = levels.length === 1 ? LEVEL_NAMES[q.level] : "";
    return xlsxResponse(c, body, `${what}效率排名-${q.month}.xlsx`);
  });

  app.get("/reports/rankings/trend", describe(reportDocs.trend), async (c) => {
    const q = parseRankingsQuery({ month: c.req.query("month") });
    const unit = c.req.query("unit");
    if (!unit) throw new ValidationError("unit: required (a department or region code)", { field: "unit" });
    const trend = await loadUnitTrend(db, requirePrincipal(c).scope, unit, q.month);
    if (!trend) throw new NotFoundError(`unit: 不在您的范围内或不存在 (unknown unit): ${unit}`);
    return c.json({ month: q.month, ...trend });
  });

  app.get("/reports/red-cards", describe(reportDocs.redCards), async (c) => {
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

  app.get("/reports/red-cards.csv", describe(reportDocs.redCardsCsv), async (c) => {
    const period = parsePeriod(c.req.query());
    const { scope } = requirePrincipal(c);
    const pages = redCardPages(deps, db, scope, period, await redCardGroups(db, scope, period));
    return csv(c, redCardsCsv(pages), `红牌通报-${period.from}至${period.to}.csv`);
  });

  return app;
}
