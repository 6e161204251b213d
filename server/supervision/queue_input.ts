/**
 * The queue's inputs as zod schemas (the API validates with them and documents them; the page reads
 * its filter through the same schema): the list's filters and sort, a (bulk) decision, an assignment.
 *
 * @module
 */
import { z } from "zod";
import { DATA_CONFLICT } from "../write/data_conflicts.ts";
import { DateField, parseInput, TextField } from "./common.ts";
import { QUEUE_ACTIONS, type QueueAction, type QueueFilter } from "./queue.ts";

/** The item kinds of the queue: the evaluator's (RULES.md §6) and data conflicts. */
export const QUEUE_KINDS = [
  "late_correction",
  "new_materials",
  "feedback",
  "investigation",
  DATA_CONFLICT,
] as const;
const SORTS = ["oldest", "newest", "due"] as const;
const blank = (v: unknown) => (v === "" ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blank, s.optional());
const Code = z.string().max(64, "too long");

/** `GET /api/v1/queue` and `GET /queue`: filters and sort. */
export const QueueQuery = z.object({
  kind: opt(z.enum(QUEUE_KINDS, { error: `must be one of ${QUEUE_KINDS.join(", ")}` })).describe("事项类别"),
  region: opt(Code).describe("地区代码（含下级地区）"),
  department: opt(Code).describe("部门代码"),
  minAge: opt(z.string().regex(/^\d{1,3}$/, "must be a whole number of working days (0–999)"))
    .describe("只看已等待至少这么多个工作日的事项"),
  assignee: opt(Code).describe("承办人登录名；mine = 我承办的；none = 未分配"),
  overdue: opt(z.enum(["1"], { error: "must be 1" })).describe("1 = 只看已超过审核期限的事项"),
  sort: opt(z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` }))
    .describe("oldest（默认，等待最久在前）| newest | due（审核期限最近在前）"),
});

/** The filter of a queue query string; `mine` is the caller. Throws a ValidationError naming the field. */
export function parseQueueFilter(raw: Record<string, string | undefined>, me: string): QueueFilter {
  const q = parseInput(QueueQuery, raw);
  return {
    kind: q.kind,
    region: q.region,
    department: q.department,
    minAge: q.minAge ? Number(q.minAge) || undefined : undefined,
    assignee: q.assignee === "mine" ? me : q.assignee,
    overdue: q.overdue === "1",
    sort: q.sort ?? "oldest",
  };
}

const Items = z.array(z.number({ error: "must be queue item ids" }).int().positive(), {
  error: "must be a list of queue item ids",
}).min(1, "请至少选择一项 (select at least one item)").max(500, "at most 500 items");

/** `POST /api/v1/queue/decide`: one decision with one reason for the selected items. */
export const DecideInput = z.object({
  items: Items,
  action: z.enum(Object.keys(QUEUE_ACTIONS) as [QueueAction, ...QueueAction[]], {
    error: `must be one of ${Object.keys(QUEUE_ACTIONS).join(", ")}`,
  }),
  reason: TextField(2000),
});

/** `POST /api/v1/queue/assign`: a supervisor and/or a review deadline for the selected items. */
export const AssignInput = z.object({
  items: Items,
  assignee: z.string().max(64).nullable().optional().describe("登录名；null = 取消分配"),
  dueOn: DateField.nullable().optional().describe("审核期限 YYYY-MM-DD"),
}).refine((v) => v.assignee !== undefined || v.dueOn !== undefined, {
  path: ["assignee"],
  message: "请选择承办人或审核期限 (give an assignee or a deadline)",
});
