/**
 * Descriptions of the queue routes (人工监察队列, RULES.md §6), over the schemas the routes parse with
 * (server/supervision/queue_input.ts, server/supervision/data_conflict_resolve.ts).
 *
 * @module
 */
import { z } from "zod";
import { ResolveConflictInput } from "../../supervision/data_conflict_resolve.ts";
import { AssignInput, DecideInput, QueueQuery } from "../../supervision/queue_input.ts";
import { named, routeDocs } from "../describe.ts";

const TAG = "监察 Supervision";
const answer = z.object({ text: z.string(), by: z.string(), at: z.string() });
const item = named(
  "QueueItem",
  z.looseObject({
    id: z.number().int(),
    case: z.string(),
    rule: z.string().describe("规则编号；数据冲突为空"),
    name: z.string(),
    kind: z.string(),
    subject: z.string().nullable().describe("数据冲突：另一报送方（其数据被暂存）"),
    department: z.string().nullable(),
    departmentName: z.string().nullable(),
    region: z.string().nullable(),
    regionName: z.string().nullable(),
    openedAt: z.string(),
    ageWorkdays: z.number().int(),
    assignee: z.string().nullable(),
    assigneeName: z.string().nullable(),
    reviewDueOn: z.string().describe("审核期限：分配时设定，默认启动后 5 个工作日"),
    reviewOverdue: z.boolean(),
    explanations: z.array(answer.extend({ byName: z.string().nullable() })).describe("部门情况说明"),
    appeals: z.array(answer).describe("部门申诉（9.10）"),
  }),
);
const report = z.object({
  decided: z.array(z.object({
    id: z.number().int(),
    caseId: z.string(),
    applied: z.boolean(),
    note: z.string().nullable(),
  })),
  skipped: z.array(z.object({ id: z.number().int(), caseId: z.string(), kind: z.string() })),
});

/** Descriptions by route. */
export const queueDocs = routeDocs({
  list: {
    tags: [TAG],
    summary: "人工监察队列：筛选（类别、地区、部门、等待时长、承办人、超期）与排序",
    description:
      "未关闭的事项（最多 500 项），含承办人、审核期限与是否超期，以及回应该事项的部门情况说明和申诉。",
    query: QueueQuery,
    responses: { 200: { description: "事项", schema: z.array(item) } },
    examples: [
      { name: "queue", summary: "队列", status: 200, value: undefined },
      {
        name: "filtered",
        summary: "郑州市等待至少 3 个工作日的数据冲突，审核期限最近在前",
        status: 200,
        value: undefined,
        query: { kind: "data_conflict", region: "410100", minAge: "3", sort: "due" },
      },
      { name: "bad_kind", summary: "未知类别", status: 400, value: undefined, query: { kind: "x" } },
    ],
  },
  decide: {
    tags: [TAG],
    summary: "批量处理：所选事项共用一个处理方式与理由，每项记为该办件的 review 事件",
    body: {
      schema: DecideInput,
      examples: [{
        name: "no_items",
        summary: "未选择事项",
        value: { items: [], action: "confirm", reason: "确属未及时告知" },
        status: 400,
      }, {
        name: "unknown_item",
        summary: "不存在的事项",
        value: { items: [999999], action: "confirm", reason: "确属未及时告知" },
        status: 404,
      }],
    },
    responses: { 200: { description: "逐项结果；类别不符的事项保持不变并列于 skipped", schema: report } },
  },
  assign: {
    tags: [TAG],
    summary: "分配承办人、设定审核期限",
    body: {
      schema: AssignInput,
      examples: [{
        name: "nothing",
        summary: "既无承办人也无期限",
        value: { items: [1] },
        status: 400,
      }],
    },
    responses: { 200: { description: "已更新的事项数", schema: z.object({ updated: z.number().int() }) } },
  },
  resolve: {
    tags: [TAG],
    summary: "裁定数据冲突：指定此办件编号的合法报送方",
    description:
      "放行该报送方因冲突暂存的数据，其他报送方的数据继续暂存并注明裁定；重新计算办件，关闭该办件的数据冲突事项，并写入审计记录（登录名与单位）。",
    params: { case: "办件编号" },
    body: {
      schema: ResolveConflictInput,
      examples: [{
        name: "no_conflict",
        summary: "该办件没有待裁定的数据冲突",
        value: { sender: "jieru", reason: "经核实属郑州市市场监督管理局" },
        status: 404,
        params: { case: "ZZ-SCJG-20260302-0001" },
      }, {
        name: "no_reason",
        summary: "缺少理由",
        value: { sender: "jieru" },
        status: 400,
        params: { case: "ZZ-SCJG-20260302-0001" },
      }],
    },
    responses: {
      200: {
        description: "已裁定",
        schema: z.object({
          caseId: z.string(),
          sender: z.string(),
          released: z.number().int(),
          held: z.number().int(),
          closed: z.array(z.number().int()),
          department: z.string().nullable(),
          auditId: z.number().int(),
        }),
      },
      404: { description: "没有此办件的待裁定数据冲突" },
    },
  },
});
