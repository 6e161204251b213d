/**
 * Descriptions of the calendar routes (`GET /api/v1/calendar`, `GET|PUT /api/v1/calendar/:year`).
 *
 * @module
 */
import { z } from "zod";
import { named, type RouteDoc } from "../describe.ts";

const TAG = "日历 Calendar";
// The format is checked by the calendar itself (rules/calendar.ts), whose messages name the date.
const day = z.string().describe("YYYY-MM-DD");

/** One year as an administrator enters it (the shape of ../shared/calendar/cn-official.json's years). */
export const calendarYearInput = named(
  "CalendarYearInput",
  z.object({
    holidays: z.array(day).describe("放假日（含周末中的法定假日）"),
    workdays: z.array(day).describe("调休上班日（周末上班）"),
    source: z.string().optional().describe("依据，例如国务院办公厅通知文号"),
  }),
);

const yearRow = named(
  "CalendarYear",
  z.looseObject({
    year: z.number().int(),
    source: z.string(),
    updatedAt: z.unknown(),
    updatedBy: z.string().nullable(),
  }),
);

const EXAMPLE_2026 = {
  holidays: ["2026-01-01", "2026-01-02", "2026-01-03"],
  workdays: ["2026-01-04"],
  source: "国办发明电〔2025〕7号（示例）",
};

/** `GET /api/v1/calendar`. */
export const calendarStatusDoc: RouteDoc = {
  tags: [TAG],
  summary: "已载入的工作日历年度，以及去年、今年、明年中缺少的年度",
  responses: {
    200: {
      description: "年度与缺失年度",
      schema: z.object({
        years: z.array(yearRow.omit({})),
        missing: z.array(z.number().int()).describe("缺少日历的年度：这些年按周一至周五计算"),
      }),
    },
  },
  examples: [{ name: "status", summary: "查看已载入年度", value: undefined, status: 200 }],
};

/** `GET /api/v1/calendar/:year`. */
export const calendarYearDoc: RouteDoc = {
  tags: [TAG],
  summary: "某一年度的放假与调休安排",
  params: { year: "年度，四位数字" },
  responses: {
    200: {
      description: "该年度",
      schema: yearRow.extend({ holidays: z.array(day), workdays: z.array(day) }),
    },
    404: { description: "没有该年度的日历" },
  },
  examples: [
    { name: "year", summary: "2026 年", value: undefined, status: 200, params: { year: "2026" } },
    { name: "missing", summary: "没有的年度", value: undefined, status: 404, params: { year: "2099" } },
  ],
};

/** `PUT /api/v1/calendar/:year`. */
export const putCalendarYearDoc: RouteDoc = {
  tags: [TAG],
  summary: "录入或更正一个年度的日历，并重新计算受影响的办件",
  params: { year: "年度，2000–2099" },
  body: {
    schema: calendarYearInput,
    examples: [
      {
        name: "ok",
        summary: "录入 2026 年（节选）",
        value: EXAMPLE_2026,
        status: 200,
        params: { year: "2026" },
      },
      {
        name: "bad_date",
        summary: "日期不属于该年度",
        value: { holidays: ["2025-10-01"], workdays: [] },
        status: 400,
        params: { year: "2026" },
      },
    ],
  },
  responses: {
    200: {
      description: "已保存",
      schema: z.object({ year: z.number().int(), recalculated: z.number().int() }),
    },
  },
};
