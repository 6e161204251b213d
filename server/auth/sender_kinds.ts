/**
 * Sender kinds (EXCHANGE.md "Who may send what"): every ingest account is one kind of sender, set by
 * the administrator on the account, and may push only the event types of its kind.
 *
 * - `department` — a department system or city platform, scoped to departments or a region (the
 *   default): the case's own lifecycle (`received` … `amended`) and `appeal` for its own cases.
 * - `evaluation` — the province's evaluation platform (河南政务服务网 好差评), province-wide:
 *   `evaluation` and `second_evaluation`.
 *
 * `review` belongs to no kind: supervisors' decisions are made only through the product's own pages
 * and API (server/routes/reviews.ts), with the signed-in account as `by`.
 *
 * @module
 */
import { EVENT_TYPES, type EventType } from "../../rules/types.ts";

/** The kinds of ingest accounts. */
export const SENDER_KINDS = ["department", "evaluation"] as const;
/** A kind of sender. */
export type SenderKind = typeof SENDER_KINDS[number];
/** The kind of an ingest account created without one. */
export const DEFAULT_SENDER_KIND: SenderKind = "department";

/** Names for the UI. */
export const SENDER_KIND_NAMES: Record<SenderKind, string> = {
  department: "部门业务系统 / 市级平台",
  evaluation: "好差评平台（全省）",
};

const LIFECYCLE = EVENT_TYPES.slice(0, EVENT_TYPES.indexOf("amended") + 1);

/** The event types each kind may push. */
export const SENDER_TYPES: Record<SenderKind, ReadonlySet<EventType>> = {
  department: new Set<EventType>([...LIFECYCLE, "appeal"]),
  evaluation: new Set<EventType>(["evaluation", "second_evaluation"]),
};

/** Whether `value` is a sender kind. */
export function isSenderKind(value: unknown): value is SenderKind {
  return typeof value === "string" && (SENDER_KINDS as readonly string[]).includes(value);
}

/** A stored kind read leniently: anything unknown (or null) is the default, the narrower kind. */
export function senderKindOf(value: unknown): SenderKind {
  return isSenderKind(value) ? value : DEFAULT_SENDER_KIND;
}

/** The Chinese-first refusal of a type the sender may not push (field `type`). */
export function typeRefusal(type: EventType, kind: SenderKind): string {
  if (type === "review") {
    return "监察处理只能由监察人员在本系统中作出，不能通过数据接入报送 " +
      "(review decisions are made only by supervisors in this system, never sent over ingestion)";
  }
  return `${
    SENDER_KIND_NAMES[kind]
  }不能报送 ${type} 事件 (a ${kind} sender may not send events of type ${type})`;
}
