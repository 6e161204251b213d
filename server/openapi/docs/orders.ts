/**
 * Descriptions of the supervision order routes (督办, RULES.md §5), over the schemas the routes parse
 * with (server/supervision/orders.ts).
 *
 * @module
 */
import { z } from "zod";
import { AcceptInput, OrderInput, ReplyInput, ReturnInput } from "../../supervision/orders.ts";
import { named, routeDocs } from "../describe.ts";

const TAG = "监察 Supervision";
const order = named(
  "SupervisionOrder",
  z.looseObject({
    id: z.number().int(),
    case: z.string(),
    rule: z.string(),
    level: z.string(),
    department: z.string().nullable(),
    dueOn: z.string(),
    state: z.enum(["open", "replied", "overdue", "closed"]),
    steps: z.array(z.looseObject({ action: z.string(), by: z.string(), at: z.string() })),
  }),
);
const id = { id: "督办编号" };
const unknown = { name: "unknown", summary: "不存在的督办", status: 404, params: { id: "999999" } };

/** Descriptions by route. */
export const orderDocs = routeDocs({
  issue: {
    tags: [TAG],
    summary: "下达督办：针对一条告警或一个不合格的抽查结果，反馈期限为 k 个工作日（默认 5）",
    body: {
      schema: OrderInput,
      examples: [{
        name: "no_rule",
        summary: "针对告警的督办缺少规则",
        value: { case: "ZZ-SCJG-20260302-0001", level: "red", on: "2026-03-02", text: "请整改" },
        status: 400,
      }],
    },
    responses: { 201: { description: "已下达", schema: order }, 404: { description: "没有此办件" } },
  },
  list: {
    tags: [TAG],
    summary: "督办列表（您的范围内；部门只看本部门）",
    query: z.object({
      state: z.enum(["open", "replied", "overdue", "closed", "active"]).optional().describe(
        "active = 未办结",
      ),
      department: z.string().optional(),
      case: z.string().optional(),
    }),
    responses: { 200: { description: "督办", schema: z.array(order) } },
    examples: [
      { name: "active", summary: "未办结的督办", status: 200, query: { state: "active" } },
      { name: "bad_state", summary: "未知状态", status: 400, query: { state: "nope" } },
    ],
  },
  get: {
    tags: [TAG],
    summary: "一件督办及其办理经过",
    params: id,
    responses: { 200: { description: "督办", schema: order }, 404: { description: "没有此督办" } },
    examples: [unknown],
  },
  reply: {
    tags: [TAG],
    summary: "部门反馈整改情况（待反馈或逾期 → 已反馈）",
    params: id,
    body: { schema: ReplyInput, examples: [{ ...unknown, value: { text: "已整改" } }] },
    responses: {
      200: { description: "已反馈", schema: order },
      404: { description: "没有此督办" },
      409: { description: "当前状态不能反馈" },
    },
  },
  accept: {
    tags: [TAG],
    summary: "监察机构验收办结（已反馈 → 已办结）；请求体可为空",
    params: id,
    body: { schema: AcceptInput, examples: [{ ...unknown, value: {} }] },
    responses: {
      200: { description: "已办结", schema: order },
      404: { description: "没有此督办" },
      409: { description: "尚未反馈" },
    },
  },
  return: {
    tags: [TAG],
    summary: "退回重办并设定新的反馈期限（已反馈 → 待反馈）",
    params: id,
    body: { schema: ReturnInput, examples: [{ ...unknown, value: { text: "依据不充分", days: 3 } }] },
    responses: {
      200: { description: "已退回", schema: order },
      404: { description: "没有此督办" },
      409: { description: "尚未反馈" },
    },
  },
});
