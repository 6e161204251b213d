/**
 * Descriptions of the spot-check routes (随机抽查, RULES.md §5), over the schemas the routes parse with
 * (server/supervision/spot_checks.ts).
 *
 * @module
 */
import { z } from "zod";
import { SpotCheckInput, SpotCheckResultInput } from "../../supervision/spot_checks.ts";
import { named, routeDocs } from "../describe.ts";

const TAG = "监察 Supervision";
const spotCheck = named(
  "SpotCheck",
  z.looseObject({
    id: z.union([z.number().int(), z.string()]),
    from: z.string(),
    to: z.string(),
    seed: z.string(),
    sample: z.array(z.looseObject({ case: z.string() })),
    summary: z.looseObject({}),
  }),
);
const id = { id: "抽查编号" };
const period = { from: "2026-02-01", to: "2026-02-28" };

/** Descriptions by route. */
export const spotCheckDocs = routeDocs({
  create: {
    tags: [TAG],
    summary: "发起随机抽查：按部门或地区、收件期间与样本量抽取办件（种子可复现）",
    body: {
      schema: SpotCheckInput,
      examples: [
        {
          name: "department",
          summary: "郑州市市场监管局 2026 年 2 月，抽 5 件",
          value: { department: "410100-SCJGJ", ...period, size: 5, seed: "2026-02-抽查" },
          status: 201,
        },
        {
          name: "both",
          summary: "同时给出部门和地区",
          value: { department: "410100-SCJGJ", region: "410100", ...period, size: 5 },
          status: 400,
        },
      ],
    },
    responses: { 201: { description: "抽查及样本", schema: spotCheck } },
  },
  list: {
    tags: [TAG],
    summary: "抽查列表（您的范围内）",
    responses: { 200: { description: "抽查", schema: z.array(z.looseObject({ id: z.unknown() })) } },
    examples: [{ name: "list", summary: "抽查列表", status: 200 }],
  },
  get: {
    tags: [TAG],
    summary: "一次抽查：样本、结果与汇总",
    params: id,
    responses: { 200: { description: "抽查", schema: spotCheck }, 404: { description: "没有此抽查" } },
    examples: [{ name: "unknown", summary: "不存在的抽查", status: 404, params: { id: "999999" } }],
  },
  result: {
    tags: [TAG],
    summary: "记录样本中一个办件的抽查结果（不合格须写明问题）",
    params: id,
    body: {
      schema: SpotCheckResultInput,
      examples: [{
        name: "unknown",
        summary: "不存在的抽查",
        value: { case: "ZZ-SCJG-20260302-0001", result: "conforming" },
        status: 404,
        params: { id: "999999" },
      }],
    },
    responses: {
      201: { description: "已记录", schema: z.looseObject({ case: z.string(), result: z.string() }) },
      404: { description: "没有此抽查，或办件不在样本中" },
    },
  },
  export: {
    tags: [TAG],
    summary: "导出抽查（CSV 或 XLSX）",
    params: id,
    query: z.object({ format: z.enum(["csv", "xlsx"]).optional().describe("默认 csv") }),
    responses: {
      200: { description: "文件", contentType: "application/octet-stream" },
      404: { description: "没有此抽查" },
    },
    examples: [{ name: "unknown", summary: "不存在的抽查", status: 404, params: { id: "999999" } }],
  },
});
