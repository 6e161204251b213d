/**
 * The description of `POST /api/v1/events`: one schema per event type, composed from the very schemas
 * `parseEvent` validates with (rules/event_schema.ts), and the ingestion response.
 *
 * @module
 */
import { z } from "zod";
import { SCHEMAS } from "../../../rules/event_schema.ts";
import { EVENT_TYPES, type EventType } from "../../../rules/types.ts";
import { EVENT_LABELS } from "../../pages/case_labels.ts";
import { errorSchema, named, type RouteDoc } from "../describe.ts";

const NOTES: Partial<Record<EventType, string>> = {
  received: "办件的第一个事件：事项编码、渠道、大厅与申请人。",
  special_started: "`until`：批前公示为公示期结束日，其他为法定或约定的结束日。",
  amended: "补充办件信息；`steps` 替换已记录的环节。",
  evaluation: "仅好差评平台（评价类接入账户）可发送。",
  second_evaluation: "仅好差评平台可发送；字段同 `evaluation`。",
  review: "监察处理：从不经由接入接口，由监察人员在系统内作出（POST /api/v1/cases/{case}/reviews）。",
};

/** Each event type as a component: the common fields, `type` fixed, the type's own fields. */
export const eventSchemas = EVENT_TYPES.map((type) => {
  const fields = SCHEMAS.eventFields[type];
  return named(
    `Event_${type}`,
    SCHEMAS.eventBase
      .extend({ type: z.literal(type) })
      .extend(fields.shape)
      .describe(`${EVENT_LABELS[type]} (${type})${NOTES[type] ? `。${NOTES[type]}` : ""}`),
  );
});

/** One event of any type. */
export const eventSchema = named(
  "Event",
  z.union(eventSchemas as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]]).describe(
    "一个事件：共同字段 id、case、type、at（RFC 3339，带时区），以及按 type 的字段 (EXCHANGE.md)",
  ),
);

/** A batch: a JSON array of events (or NDJSON, one per line). */
export const batchSchema = named("EventBatch", z.array(eventSchema).describe("一批事件，至多 5000 个"));

/** One refused event. */
export const refusalSchema = named(
  "Refusal",
  z.object({
    index: z.number().int().describe("在批次中的位置（NDJSON 为行号 − 1）"),
    id: z.string().nullable().describe("事件 id（可读出时）"),
    field: z.string().describe("出错的字段，如 `at`、`applicant.kind`"),
    error: z.string().describe("原因，中文在前、英文在括号内"),
  }),
);

/** One event stored with a remark (e.g. an unknown item). */
export const ingestWarningSchema = named(
  "IngestWarning",
  z.object({
    index: z.number().int(),
    id: z.string(),
    field: z.string(),
    warning: z.string().describe("如：事项编码未登记，办件暂列为信息不全"),
  }),
);

/** The ingestion response (EXCHANGE.md "Ingestion response"). */
export const ingestReportSchema = named(
  "IngestReport",
  z.object({
    stored: z.number().int().describe("新存储的事件数"),
    duplicates: z.number().int().describe("重复（相同 id 与内容）的事件数"),
    refused: z.array(refusalSchema),
    warnings: z.array(ingestWarningSchema).optional().describe("已存储但需发送方知悉的事件"),
  }),
);

const at = "2026-03-02T09:30:00+08:00";
const received = {
  id: "ZZ-SCJG-20260302-0001-r",
  case: "ZZ-SCJG-20260302-0001",
  type: "received",
  at,
  item: "410000-TEST-0001",
  channel: "hall",
  hall: "410100-HALL",
  applicant: { name: "张三", contact: "13800000000", kind: "person" },
};

/** `POST /api/v1/events`. */
export const postEventsDoc: RouteDoc = {
  tags: ["接入 Ingestion"],
  summary: "推送一批办件事件 (push a batch of events)",
  description: "JSON 数组，或 NDJSON（`application/x-ndjson`，每行一个事件）。同一批中有效的事件照常存储，" +
    "响应逐条列出被拒绝的事件及原因。相同 id 与内容的重发是重复，不改变任何数据；相同 id 不同内容被拒绝（冲突）。" +
    "只有接入账户可推送，且只能推送其范围内部门的办件。\n\n" +
    "A JSON array or NDJSON. Valid events of a batch are stored even when others are refused; " +
    "200 all stored or duplicates, 207 some refused, 400 none readable, 413 batch too large.",
  body: {
    schema: batchSchema,
    contentTypes: ["application/json", "application/x-ndjson"],
    examples: [
      {
        name: "received_accepted",
        summary: "收件并受理（全部存储）",
        value: [
          received,
          {
            id: "ZZ-SCJG-20260302-0001-a",
            case: "ZZ-SCJG-20260302-0001",
            type: "accepted",
            at: "2026-03-02T10:00:00+08:00",
            handler: "李四",
          },
        ],
        status: 200,
      },
      {
        name: "one_refused",
        summary: "一个事件缺少时区，被单独拒绝（其余照常存储）",
        value: [
          { ...received, id: "ZZ-SCJG-20260302-0002-r", case: "ZZ-SCJG-20260302-0002" },
          {
            id: "ZZ-SCJG-20260302-0002-s",
            case: "ZZ-SCJG-20260302-0002",
            type: "step",
            at: "2026-03-02 10:00",
            name: "审查",
          },
        ],
        status: 207,
      },
      {
        name: "ndjson",
        summary: "NDJSON：每行一个事件",
        value: JSON.stringify({ ...received, id: "ZZ-SCJG-20260302-0003-r", case: "ZZ-SCJG-20260302-0003" }) +
          "\n",
        status: 200,
      },
      {
        name: "unreadable",
        summary: "没有可读的事件",
        value: [{ id: "x", type: "步骤" }],
        status: 400,
      },
    ],
  },
  responses: {
    200: { description: "全部存储或为重复 (all stored or duplicates)", schema: ingestReportSchema },
    207: { description: "部分事件被拒绝 (some refused)", schema: ingestReportSchema },
    400: { description: "没有可读的事件 (none could be read)", schema: ingestReportSchema },
    413: { description: "批次过大 (batch too large)", schema: errorSchema },
  },
  credentials: ["apiKey"],
};
