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

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

const kindParam = { kind: "items（事项目录）、departments（部门）、regions（行政区划）或 halls（大厅）" };

/** `GET /api/v1/reference/:kind/export`. */
export const exportReferenceDoc: RouteDoc = {
  tags: [TAG],
  summary: "导出基础数据（XLSX 或 CSV，中文表头，改后可再导入）",
  params: kindParam,
  query: z.object({ format: z.enum(["xlsx", "csv"]).optional().describe("默认 xlsx") }),
  responses: { 200: { description: "文件", contentType: XLSX }, 404: { description: "没有此类基础数据" } },
  examples: [
    { name: "items_xlsx", summary: "事项目录导出为 XLSX", status: 200, params: { kind: "items" } },
    {
      name: "halls_csv",
      summary: "大厅导出为 CSV",
      status: 200,
      params: { kind: "halls" },
      query: { format: "csv" },
    },
    {
      name: "bad_format",
      summary: "不支持的格式",
      status: 400,
      params: { kind: "items" },
      query: { format: "pdf" },
    },
    { name: "unknown_kind", summary: "没有此类数据", status: 404, params: { kind: "cases" } },
  ],
};

const CSV_EXAMPLE: Record<Kind, string> = {
  items:
    "事项编码,事项名称,实施部门编码,法定时限（工作日）,承诺时限（工作日）,办理环节,必要材料,可选材料,特别程序,收费上限（元）,收费依据,承诺跑动次数,无中介服务,证照名称,证照字段,国家部委确定证照\r\n" +
    "410000-TEST-0002,公共场所卫生许可,410100-SCJGJ,20,5,受理、审查、决定,申请书、营业执照,,,,,1,是,,,\r\n",
  departments: "部门编码,部门名称,所属区划\r\n410100-SCJGJ,郑州市市场监督管理局,410100\r\n",
  regions: "区划代码,区划名称,上级区划\r\n410100,郑州市,410000\r\n",
  halls: "大厅编码,大厅名称,所属区划\r\n410100-HALL,郑州市政务服务大厅,410100\r\n",
};
const CSV_BAD: Record<Kind, string> = {
  items: CSV_EXAMPLE.items.replace(",20,5,", ",5,20,"),
  departments: "部门编码,部门名称,所属区划\r\n410100-X,,410100\r\n410100-X,重复,410100\r\n",
  regions: "区划代码,区划名称,上级区划\r\n4101,郑州市,410000\r\n",
  halls: "大厅编码,大厅名称,所属区划\r\n410100-H2,二号大厅,419999\r\n",
};

/** `POST /api/v1/reference/:kind/import`. */
export const importReferenceDoc: RouteDoc = {
  tags: [TAG],
  summary: "导入基础数据文件（XLSX 或 UTF-8 CSV；全部导入或全部不导入）",
  description: "请求体为文件本身，表头与导出的文件一致（中文表头或英文字段名）。逐行校验（表头为第 1 行）；" +
    "任何一处错误则不导入任何记录，400 的 details.errors 列出每处错误的行号与列名。",
  params: kindParam,
  query: z.object({ file: z.string().optional().describe("文件名（记入审计）") }),
  body: {
    schema: z.string().describe("XLSX 或 CSV 文件内容"),
    contentTypes: ["text/csv", XLSX],
    examples: (Object.keys(CSV_EXAMPLE) as Kind[]).flatMap((kind) => [
      {
        name: `${kind}_ok`,
        summary: `${NAMES[kind]}：一行有效记录`,
        value: CSV_EXAMPLE[kind],
        status: 200,
        params: { kind },
      },
      {
        name: `${kind}_bad`,
        summary: `${NAMES[kind]}：有错误的行，不导入任何记录`,
        value: CSV_BAD[kind],
        status: 400,
        params: { kind },
      },
    ]),
  },
  responses: {
    200: {
      description: "已导入",
      schema: z.object({ stored: z.number().int(), recalculated: z.number().int().optional() }),
    },
    400: {
      description: "文件有错误，未导入",
      schema: z.object({
        error: z.string(),
        details: z.object({
          errors: z.array(z.object({ row: z.number().int(), column: z.string(), error: z.string() })),
        }),
      }),
    },
    404: { description: "没有此类基础数据" },
  },
};
