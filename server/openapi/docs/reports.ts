/**
 * Descriptions of the report routes (rankings, red-card notices, and their CSV exports).
 *
 * @module
 */
import { z } from "zod";
import { PeriodQuery, RankingsQuery } from "../../reports/params.ts";
import { routeDocs } from "../describe.ts";

const TAG = "统计 Reports";
const csv = { description: "CSV（UTF-8 带 BOM，中文表头）", contentType: "text/csv", schema: z.string() };

/** Descriptions by route. */
export const reportDocs = routeDocs({
  rankings: {
    tags: [TAG],
    summary: "月度效率排名（部门或地区，按按时办结率）",
    query: RankingsQuery,
    responses: {
      200: {
        description: "排名与各项指标的定义",
        schema: z.looseObject({
          month: z.string(),
          level: z.enum(["department", "region"]),
          units: z.array(z.looseObject({})),
        }),
      },
    },
    examples: [
      {
        name: "month",
        summary: "2026 年 2 月部门排名",
        value: undefined,
        status: 200,
        query: { month: "2026-02" },
      },
      {
        name: "bad_month",
        summary: "月份格式错误",
        value: undefined,
        status: 400,
        query: { month: "2026-13" },
      },
    ],
  },
  rankingsCsv: {
    tags: [TAG],
    summary: "月度效率排名导出（CSV）",
    query: RankingsQuery,
    responses: { 200: csv },
    examples: [{
      name: "csv",
      summary: "导出",
      value: undefined,
      status: 200,
      query: { month: "2026-02", level: "region" },
    }],
  },
  redCards: {
    tags: [TAG],
    summary: "红牌通报：期间内各部门的红牌与通报文本",
    query: PeriodQuery,
    responses: {
      200: {
        description: "红牌与通报",
        schema: z.looseObject({
          from: z.string(),
          to: z.string(),
          total: z.number().int(),
          departments: z.array(z.looseObject({})),
          notice: z.unknown().describe("通报文本（标题、正文段落）"),
        }),
      },
    },
    examples: [
      {
        name: "february",
        summary: "2026 年 2 月",
        value: undefined,
        status: 200,
        query: { from: "2026-02-01", to: "2026-02-28" },
      },
      {
        name: "reversed",
        summary: "结束日早于开始日",
        value: undefined,
        status: 400,
        query: { from: "2026-02-28", to: "2026-02-01" },
      },
    ],
  },
  redCardsCsv: {
    tags: [TAG],
    summary: "红牌通报导出（CSV）",
    query: PeriodQuery,
    responses: { 200: csv },
    examples: [{
      name: "csv",
      summary: "导出",
      value: undefined,
      status: 200,
      query: { from: "2026-02-01", to: "2026-02-28" },
    }],
  },
});
