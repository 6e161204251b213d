/**
 * Descriptions of the case routes: the evaluator's object of a case, its full view, the case list, the
 * manual queue, supervisors' decisions, and the live stream.
 *
 * @module
 */
import { z } from "zod";
import { named, type RouteDoc } from "../describe.ts";
import { CaseListQuery, COUNT_CAP } from "../../cases/list_params.ts";

const CASES = "办件 Cases";
const SUPERVISION = "监察 Supervision";
const day = z.string().describe("YYYY-MM-DD");
const CASE = "ZZ-SCJG-20260302-0001";

/** An alert in the evaluator's output (EXCHANGE.md "The evaluator's output"). */
export const alertSchema = named(
  "Alert",
  z.looseObject({
    rule: z.string().describe("规则编号，如 8.1"),
    level: z.enum(["warning", "red"]),
    on: day,
    subject: z.string().nullable(),
    resolved: day.nullable(),
    voided: day.optional(),
  }),
);

/** The evaluator's object of one case, identical to `deno task evaluate`'s line. */
export const evaluationSchema = named(
  "CaseEvaluation",
  z.looseObject({
    case: z.string(),
    status: z.enum(["received", "accepted", "rejected", "completed", "incomplete"]),
    deadline: day.nullable(),
    remaining: z.number().int().nullable().describe("剩余工作日"),
    paused: z.boolean(),
    alerts: z.array(alertSchema),
    findings: z.array(z.looseObject({ rule: z.string(), state: z.string(), on: day })),
  }),
);

const caseParam = { case: "办件编号" };
const seen = { params: { case: CASE }, value: undefined };

/** `GET /api/v1/cases/:case`. */
export const caseDoc: RouteDoc = {
  tags: [CASES],
  summary: "办件的计算结果（与 deno task evaluate 一致）",
  params: caseParam,
  responses: {
    200: { description: "状态、期限、剩余工作日、预警与评价结果", schema: evaluationSchema },
    404: { description: "没有此办件，或不在您的范围内" },
  },
  examples: [
    { name: "case", summary: "一个办件", status: 200, ...seen },
    { name: "unknown", summary: "不存在的办件", status: 404, params: { case: "NOPE" }, value: undefined },
  ],
};

/** `GET /api/v1/cases/:case/view`. */
export const caseViewDoc: RouteDoc = {
  tags: [CASES],
  summary: "办件详情：时间线、预警及其历史、评价、人工处理记录",
  description: "不在本部门或监察范围内的申请人姓名被遮挡，联系方式不返回。",
  params: caseParam,
  responses: {
    200: {
      description: "办件详情",
      schema: z.looseObject({
        result: evaluationSchema,
        itemCode: z.string().nullable(),
        department: z.string().nullable(),
        hall: z.string().nullable(),
        nextChangeAt: z.string().nullable(),
        timeline: z.array(
          z.looseObject({ id: z.string(), type: z.string(), at: z.string(), fields: z.looseObject({}) }),
        ),
        alerts: z.array(z.looseObject({ rule: z.string(), name: z.string(), level: z.string(), on: day })),
        findings: z.array(z.looseObject({ rule: z.string(), state: z.string() })),
      }),
    },
    404: { description: "没有此办件，或不在您的范围内" },
  },
  examples: [{ name: "view", summary: "办件详情", status: 200, ...seen }],
};

/** One row of `GET /api/v1/cases` (server/cases/list_query.ts CaseListRow). */
const caseListRow = named(
  "CaseListRow",
  z.looseObject({
    case: z.string(),
    status: z.string(),
    itemCode: z.string().nullable(),
    itemName: z.string().nullable(),
    department: z.string().nullable(),
    departmentName: z.string().nullable(),
    hall: z.string().nullable(),
    applicant: z.string().nullable().describe("申请人（已遮挡）"),
    receivedOn: day.nullable(),
    deadline: day.nullable(),
    remaining: z.number().int().nullable().describe("今日所剩工作日，与 GET /api/v1/cases/:case 一致"),
    paused: z.boolean(),
    alerts: z.array(alertSchema),
    evaluatedAt: z.string(),
  }),
);

/** `GET /api/v1/cases`. */
export const caseListDoc: RouteDoc = {
  tags: [CASES],
  summary: "办件列表（您的范围内）：搜索、筛选、排序、游标翻页",
  description: "total 为筛选条件下的总件数（首页计算，随游标传递）：按范围和状态筛选时为实时计数，精确；" +
    `含搜索、事项、日期或预警条件时最多数到 ${COUNT_CAP} 件，超过时 total 为 ${COUNT_CAP} 且 totalCapped 为 true（即“${COUNT_CAP} 件以上”）。` +
    "next/prev 为下一页/上一页的游标。" +
    "数据接入账户可用 changedSince 读取其部门在某时刻之后重新计算的办件。",
  query: CaseListQuery,
  responses: {
    200: {
      description: "一页办件",
      schema: z.object({
        cases: z.array(caseListRow),
        next: z.string().nullable(),
        prev: z.string().nullable(),
        total: z.number().int(),
        totalCapped: z.boolean(),
      }),
    },
    400: { description: "参数有误（指明字段）" },
  },
  examples: [
    { name: "all", summary: "全部办件", status: 200, value: undefined },
    {
      name: "department",
      summary: "某部门办理中的办件，按所剩时限",
      status: 200,
      value: undefined,
      query: { department: "410100-SCJGJ", status: "open", sort: "remaining" },
    },
    {
      name: "search",
      summary: "按办件编号、申请人或事项名称搜索",
      status: 200,
      value: undefined,
      query: { q: "ZZ" },
    },
    { name: "bad_limit", summary: "limit 超出范围", status: 400, value: undefined, query: { limit: "5000" } },
  ],
};

/**
 * `POST /api/v1/cases/:case/reviews`, over the route's own input schema (passed in, so this module
 * never imports the route module that imports it).
 */
export const reviewDoc = (input: z.ZodType): RouteDoc => ({
  tags: [SUPERVISION],
  summary: "监察处理：研判、核实、作废红牌、处理红牌",
  description: "记录为该办件的 review 事件（署名为当前登录的监察人员），并写入审计记录。",
  params: caseParam,
  body: {
    schema: input,
    examples: [
      {
        name: "void",
        summary: "作废 8.1 红牌（该办件没有时记录但不生效：applied 为 false）",
        value: { action: "void", rule: "8.1", reason: "系统时钟错误导致误报" },
        status: 201,
        params: { case: CASE },
      },
      {
        name: "no_reason",
        summary: "缺少理由",
        value: { action: "void", rule: "8.1", reason: "" },
        status: 400,
        params: { case: CASE },
      },
    ],
  },
  responses: {
    201: {
      description: "已记录",
      schema: z.object({
        event: z.looseObject({ type: z.literal("review"), by: z.string() }),
        auditId: z.number().int(),
        applied: z.boolean().describe("是否作用于一个预警或评价结果"),
        note: z.string().nullable(),
      }),
    },
    404: { description: "没有此办件，或不在您的范围内" },
    409: { description: "没有可处理的预警或评价结果" },
  },
});

/** `GET /api/v1/stream`. */
export const streamDoc: RouteDoc = {
  tags: ["实时 Live"],
  summary: "实时推送（server-sent events）：counts 与 alert 消息",
  description:
    "连接时先发送当前 counts，之后变化时至多约每秒一次；新预警以 alert 消息推送（申请人姓名遮挡）；" +
    "至少每 15 秒一行 `: ping`。断线重连带 `Last-Event-ID`（或 `?lastEventId=`）补发遗漏的 alert。" +
    "范围至多一个：hall、department、region；不给时为您自己的范围。",
  query: z.object({
    hall: z.string().optional().describe("大厅代码（显示屏令牌只能用其所属大厅）"),
    department: z.string().optional(),
    region: z.string().optional(),
    lastEventId: z.string().optional(),
  }),
  responses: {
    200: { description: "text/event-stream", contentType: "text/event-stream", schema: z.string() },
    503: { description: "实时推送未启用" },
  },
  credentials: ["apiKey", "session", "displayToken"],
};
