/**
 * The data the rules read: items (事项), events (办件事件) and the evaluator's output.
 * Shapes follow `EXCHANGE.md`; names are camelCase as in the JSON. Items and events are the `z.output`
 * of their schemas in event_schema.ts.
 *
 * @module
 */

/** An ISO calendar date `YYYY-MM-DD` in Asia/Shanghai. */
export type IsoDate = string;

/** The nine special procedures of article 7(四). */
export const SPECIAL_PROCEDURES = [
  "听证",
  "招标",
  "拍卖",
  "检验",
  "检测",
  "检疫",
  "鉴定",
  "专家评审",
  "批前公示",
] as const;
/** One of the nine special procedures. */
export type SpecialProcedure = typeof SPECIAL_PROCEDURES[number];

// The shapes of items and events are inferred from the zod schemas that validate them (one source).
import type { Applicant, CaseEvent, EvaluationAnswers, Item } from "./event_schema.ts";
export type { Applicant, CaseEvent, EvaluationAnswers, Item };

/** The event types in timeline order (EXCHANGE.md's type table). */
export const EVENT_TYPES = [
  "received",
  "correction_requested",
  "correction_completed",
  "accepted",
  "rejected",
  "special_started",
  "special_completed",
  "step",
  "fee",
  "materials_submitted",
  "completed",
  "certificate_determined",
  "certificate_uploaded",
  "amended",
  "evaluation",
  "appeal",
  "second_evaluation",
  "review",
] as const;
/** An event type name. */
export type EventType = typeof EVENT_TYPES[number];

/** Narrow the union to one event type. */
export type EventOf<T extends EventType> = Extract<CaseEvent, { type: T }>;

/** An alert (预警 or 红牌) as reported by the evaluator. */
export interface Alert {
  rule: string;
  level: "warning" | "red";
  /** Date the alert was raised. */
  on: IsoDate;
  /** Procedure name (8.3, 8.3p, 8.9), fee event id (8.4), else null. */
  subject: string | null;
  /** Date the warning's condition stopped holding, or null. Always null for red cards. */
  resolved: IsoDate | null;
  /** Date a supervisor voided it; present only when voided. */
  voided?: IsoDate;
}

/** States of an evaluation finding (RULES.md §4). */
export type FindingState =
  | "pending"
  | "abnormal"
  | "appealed"
  | "overturned"
  | "upheld"
  | "investigating"
  | "dismissed";

/** An evaluation finding (9.1–9.9) with its current state. */
export interface Finding {
  rule: string;
  state: FindingState;
  /** Date the case was evaluated (the finding arose). */
  on: IsoDate;
}

/** The case status reported by the evaluator. */
export type CaseStatus = "received" | "accepted" | "rejected" | "completed" | "incomplete";

/** The evaluator's object for one case — EXCHANGE.md "The evaluator's output". */
export interface CaseResult {
  case: string;
  status: CaseStatus;
  deadline: IsoDate | null;
  remaining: number | null;
  paused: boolean;
  alerts: Alert[];
  findings: Finding[];
}
