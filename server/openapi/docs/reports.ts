/**
 * Descriptions of the report routes (rankings, red-card notices, and their CSV exports).
 *
 * @module
 */
import { z } from "zod";
import { PeriodQuery, RankingsQuery } from "../../reports/params.ts";
import { DEFAULT_WEIGHTS, Weights } from "../../reports/score.ts";
import { type RouteDoc, routeDocs } from "../describe.ts";

const TAG = "统计 Reports";
const csv = { description: "CSV（UTF-8 带 BOM，中文表头）", contentType: "text/csv", schema: z.string() };

/** A CSV export of a report: its query, and the one example the contract test sends. */
function csvExport(summary: string, query: z.ZodObject, example: Record<string, string>): RouteDoc {
  return {
    tags: [TAG],
    summary,
    query,
    responses: { 200: csv },
    examples: [{ name: "csv", summary: "导出", value: undefined, status: 200, query: example }],
  };
}

/** Descriptions by route. */
export const reportDocs = routeDocs({
  rankings: {
    tags: [TAG],
    summary: "月度效率排名（地区、部门或同类部门；按综合得分在同级同组内排名，含环比）",
    query: RankingsQuery,
    responses: {
      200: {
        description: "排名与各项指标的定义",
        schema: z.looseObject({
          month: z.string(),
          level: z.enum(["department", "region", "kind"]),
          weights: Weights,
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
  rankingsCsv: csvExport("月度效率排名导出（CSV）", RankingsQuery, { month: "2026-02", level: "region" }),
  rankingsXlsx: {
    tags: [TAG],
    summary: "月度效率排名导出（XLSX；不给 level 时地区、部门、同类部门各一张表，另附权重表）",
    query: RankingsQuery,
    responses: {
      200: {
        description: "XLSX 工作簿",
        contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      },
    },
    examples: [{ name: "xlsx", summary: "导出", status: 200, query: { month: "2026-02" } }],
  },
  trend: {
    tags: [TAG],
    summary: "一个部门或地区近几个月的指标走势",
    query: z.object({
      month: RankingsQuery.shape.month,
      unit: z.string().describe("部门或行政区划代码"),
    }),
    responses: {
      200: { description: "走势", schema: z.looseObject({ month: z.string() }) },
      404: { description: "不在您的范围内或不存在" },
    },
    examples: [
      {
        name: "department",
        summary: "郑州市市场监管局",
        status: 200,
        query: { month: "2026-02", unit: "410100-SCJGJ" },
      },
      { name: "no_unit", summary: "缺少 unit", status: 400, query: { month: "2026-02" } },
    ],
  },
  weights: {
    tags: [TAG],
    summary: "排名得分的权重与上限（当前生效、设定人、公式）",
    responses: {
      200: { description: "权重", schema: z.looseObject({ weights: Weights, formula: z.string() }) },
    },
    examples: [{ name: "get", summary: "当前权重", status: 200 }],
  },
  putWeights: {
    tags: [TAG],
    summary: "设定排名得分的权重（五项之和为 100）与上限",
    body: {
      schema: Weights,
      examples: [
        { name: "defaults", summary: "RULES.md §5 的默认值", value: DEFAULT_WEIGHTS, status: 200 },
        {
          name: "bad_sum",
          summary: "权重之和不是 100",
          value: { ...DEFAULT_WEIGHTS, onTime: 50 },
          status: 400,
        },
      ],
    },
    responses: {
      200: { description: "已生效", schema: z.looseObject({ weights: Weights, formula: z.string() }) },
    },
  },
  overview: {
    tags: [TAG],
    summary: "监察机构首页概况：范围内各地市（或区县）的在办、今日到期、预警、红牌、本月按时办结率、逾期督办",
    responses: {
      200: {
        description: "各地概况与部门所属行",
        schema: z.looseObject({
          kind: z.enum(["city", "district"]),
          month: z.string(),
          units: z.array(z.looseObject({ code: z.string(), name: z.string(), inProgress: z.number() })),
          departmentUnit: z.record(z.string(), z.string()),
          hasOrders: z.boolean(),
        }),
      },
    },
    examples: [{ name: "get", summary: "本范围概况", status: 200 }],
  },
  trend24h: {
    tags: [TAG],
    summary: "大屏趋势：今日各小时与近30日每日的预警、红牌、办结数（范围同实时推送）",
    query: z.object({
      hall: z.string().optional().describe("大厅代码"),
      department: z.string().optional().describe("部门代码"),
      region: z.string().optional().describe("行政区划代码"),
    }),
    responses: {
      200: {
        description: "按小时与按日的列数组",
        schema: z.looseObject({
          today: z.string(),
          hours: z.looseObject({ hour: z.array(z.number()), warnings: z.array(z.number()) }),
          days: z.looseObject({ date: z.array(z.string()), completed: z.array(z.number()) }),
        }),
      },
    },
    examples: [
      { name: "hall", summary: "郑州大厅", status: 200, query: { hall: "410100-HALL" } },
      {
        name: "two_scopes",
        summary: "同时指定两个范围",
        status: 400,
        query: { hall: "410100-HALL", department: "410100-SCJGJ" },
      },
    ],
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
  redCardsCsv: csvExport("红牌通报导出（CSV）", PeriodQuery, { from: "2026-02-01", to: "2026-02-28" }),
});
