/**
 * Descriptions of the reference data routes (`GET`/`PUT /api/v1/items|departments|regions|halls`),
 * over the schemas `validateList` checks with (rules/event_schema.ts).
 *
 * @module
 */
import { z } from "zod";
import { departmentSchema, hallSchema, regionSchema, SCHEMAS } from "../../../rules/event_schema.ts";
import { named, type RouteDoc } from "../describe.ts";

const TAG = "基础数据 Reference data";

/** An item of the catalogue (事项, EXCHANGE.md "Items"). */
export const itemSchema = named("Item", SCHEMAS.item);
named("Department", departmentSchema);
named("Region", regionSchema);
named("Hall", hallSchema);

const referenceError = named(
  "ReferenceError",
  z.object({
    error: z.string(),
    details: z.object({
      errors: z.array(z.object({ index: z.number().int(), field: z.string(), error: z.string() })),
    }).optional(),
  }).describe("第一个错误在 error 中，全部错误在 details.errors (first error, then all of them)"),
);

const EXAMPLES = {
  items: {
    code: "410000-TEST-0001",
    name: "食品经营许可",
    department: "410100-SCJGJ",
    statutoryDays: 20,
    promisedDays: 10,
    steps: ["受理", "审查", "决定", "送达"],
    materials: { required: ["申请书"], optional: [] },
    specialProcedures: ["检验"],
    fee: null,
    promisedVisits: 1,
    intermediaryFree: true,
    certificate: null,
  },
  departments: { code: "410100-SCJGJ", name: "郑州市市场监督管理局", region: "410100" },
  regions: { code: "410100", name: "郑州市", parent: "410000" },
  halls: { code: "410100-HALL", name: "郑州市政务服务大厅", region: "410100" },
} as const;

const NAMES = { items: "事项目录", departments: "部门", regions: "行政区划", halls: "政务服务大厅" } as const;
const SCHEMA = {
  items: SCHEMAS.item,
  departments: departmentSchema,
  regions: regionSchema,
  halls: hallSchema,
} as const;

type Kind = keyof typeof NAMES;

/** `GET /api/v1/<kind>`. */
export function listReferenceDoc(kind: Kind): RouteDoc {
  return {
    tags: [TAG],
    summary: `${NAMES[kind]}列表 (list ${kind})`,
    responses: { 200: { description: `全部${NAMES[kind]}`, schema: z.array(SCHEMA[kind]) } },
    examples: [{ name: "list", summary: `读取${NAMES[kind]}`, value: undefined, status: 200 }],
  };
}

/** `PUT /api/v1/<kind>`. */
export function putReferenceDoc(kind: Kind): RouteDoc {
  const bad = kind === "regions" ? { ...EXAMPLES.regions, code: "4101" } : { ...EXAMPLES[kind], name: "" };
  return {
    tags: [TAG],
    summary: `新增或替换${NAMES[kind]} (add or replace ${kind})`,
    description:
      "JSON 数组；按 code 新增或替换，未列出的记录保持不变。先逐条校验，任何一条无效则全部不写入（错误指出序号与字段）。" +
      (kind === "items" ? "新增或变更的事项会重新计算等待它的办件。" : ""),
    body: {
      schema: z.array(SCHEMA[kind]),
      examples: [
        { name: "ok", summary: `一条${NAMES[kind]}`, value: [EXAMPLES[kind]], status: 200 },
        { name: "bad", summary: "一条无效记录：全部不写入", value: [bad], status: 400 },
      ],
    },
    responses: {
      200: {
        description: "已保存",
        schema: z.object({
          stored: z.number().int(),
          ...(kind === "items" ? { recalculated: z.number().int().describe("重新计算的办件数") } : {}),
        }),
      },
      400: { description: "校验失败，指出序号与字段 (names index and field)", schema: referenceError },
    },
  };
}
