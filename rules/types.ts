/**
 * The data the rules read: items (事项), events (办件事件) and the evaluator's output.
 * Shapes follow `EXCHANGE.md`; names are camelCase as in the JSON.
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

/** An item of the catalogue (事项). */
export interface Item {
  code: string;
  name: string;
  department: string;
  statutoryDays: number;
  promisedDays: number;
  steps: string[];
  materials: { required: string[]; optional: string[] };
  specialProcedures: SpecialProcedure[];
  fee: { max: number; basis: string } | null;
  promisedVisits: number;
  intermediaryFree: boolean;
  certificate: { type: string; fields: string[]; nationallyDetermined: boolean } | null;
}

/** Answers of an `evaluation` or `second_evaluation`; all optional. */
export interface EvaluationAnswers {
  satisfied?: boolean;
  satisfactionReason?: string;
  extraMaterials?: boolean;
  overcharged?: boolean;
  forcedIntermediary?: boolean;
  time?: "within" | "over_promised" | "over_statutory";
  visits?: number;
  attitude?: "good" | "bad";
  attitudeReason?: string;
  environment?: "good" | "bad";
  environmentReason?: string;
  other?: string;
}

interface Base {
  id: string;
  case: string;
  /** RFC 3339 instant with offset. */
  at: string;
}

/** Applicant data as sent with `received` and `amended`. */
export interface Applicant {
  name?: string;
  contact?: string;
  kind?: "person" | "organization";
}

/** One case event. The union is discriminated by `type`. */
export type CaseEvent =
  | Base & {
    type: "received";
    item: string;
    channel: "online" | "hall" | "other";
    hall?: string;
    applicant: Applicant & { kind: "person" | "organization" };
  }
  | Base & { type: "correction_requested"; materials: string[] }
  | Base & { type: "correction_completed" }
  | Base & { type: "accepted"; handler?: string }
  | Base & { type: "rejected"; reason?: string }
  | Base & { type: "special_started"; procedure: SpecialProcedure; until: IsoDate }
  | Base & { type: "special_completed"; procedure: SpecialProcedure }
  | Base & { type: "step"; name: string; handler?: string }
  | Base & { type: "fee"; kind: "charge" | "reduction" | "exemption"; amount: number; basis?: string }
  | Base & { type: "materials_submitted"; materials: string[] }
  | Base & { type: "completed"; result: "normal" | "abnormal"; reason?: string }
  | Base & { type: "certificate_determined" }
  | Base & { type: "certificate_uploaded"; fields: Record<string, string> }
  | Base & {
    type: "amended";
    applicant?: { name?: string; contact?: string };
    reason?: string;
    steps?: { name: string; handler?: string }[];
  }
  | Base & { type: "evaluation" } & EvaluationAnswers
  | Base & { type: "appeal"; rule: string; text: string }
  | Base & { type: "second_evaluation" } & EvaluationAnswers
  | Base & {
    type: "review";
    action: "judge" | "close_investigation" | "confirm" | "void" | "dispose";
    rule: string;
    subject?: string;
    abnormal?: boolean;
    disposition?: "circulated_criticism" | "accountability";
    reason: string;
    by: string;
    /** The deciding account's office name (set by the server beside `by`). */
    office?: string;
  };

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
] as const satisfies readonly CaseEvent["type"][];
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
