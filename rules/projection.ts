/**
 * What a rule returns. A rule reads the whole timeline known at the as-of instant and projects every
 * alert and finding transition it implies *assuming no further events* — including ones dated after
 * the as-of instant. The evaluator then keeps what has happened by the as-of instant and reports the
 * earliest projected instant after it as the case's next time-driven change.
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import type { ProcessingClock } from "./clock.ts";
import type { TimedEvent, TimedOf } from "./timeline.ts";
import type { FindingState, IsoDate, Item } from "./types.ts";

/** An alert as projected by a rule, with the instants it was raised and resolved. */
export interface ProjectedAlert {
  rule: string;
  level: "warning" | "red";
  subject: string | null;
  /** Epoch ms the alert is raised (00:00 Asia/Shanghai for time-driven alerts). */
  raisedAt: number;
  /** Epoch ms the warning's condition stops holding (or a red card supersedes it); null while it holds. */
  resolvedAt: number | null;
}

/** One state a finding enters, and when. */
export interface FindingTransition {
  state: FindingState;
  /** Epoch ms of the transition. */
  at: number;
  /** The event that caused it (absent for time-driven transitions). */
  eventId?: string;
  /** Who decided, for supervisor decisions. */
  by?: string;
  reason?: string;
}

/** An evaluation finding with every state it goes through. */
export interface ProjectedFinding {
  rule: string;
  /** Date the finding arose (the evaluation's date). */
  on: IsoDate;
  transitions: FindingTransition[];
}

/** An item of the manual supervision queue (人工监察) opened by a rule. */
export interface ManualEntry {
  /** The rule a supervisor decides on: "8.2a", "8.2b", or the finding's rule (9.1–9.9). */
  rule: string;
  /** Why it is queued: a late correction notice (8.2a), new materials in a later notice (8.2b),
   * free-text feedback to judge (9.9), or an appealed finding with no second evaluation (9.10, 待核实). */
  kind: "late_correction" | "new_materials" | "feedback" | "investigation";
  subject: string | null;
  openedAt: number;
  /** Epoch ms the supervisor closed it (a `review` event), null while open. */
  closedAt: number | null;
}

/** An appeal that was refused, with the reason shown to the user. */
export interface RefusedAppeal {
  eventId: string;
  rule: string;
  reason: string;
}

/** What one rule contributes to a case's evaluation. */
export interface RuleOutput {
  alerts?: ProjectedAlert[];
  findings?: ProjectedFinding[];
  manual?: ManualEntry[];
  refusedAppeals?: RefusedAppeal[];
}

/** Everything a rule may read. Pure data: no clock, no I/O. */
export interface RuleContext {
  caseId: string;
  item: Item;
  calendar: Calendar;
  /** The case's events with `at` ≤ the as-of instant, in timeline order. */
  timeline: readonly TimedEvent[];
  /** The case's `received` event (the evaluator runs rules only once it exists). */
  received: TimedOf<"received">;
  /** The processing clock built once from the timeline. */
  clock: ProcessingClock;
}

/** A supervision rule: a pure function of the context. */
export type Rule = (ctx: RuleContext) => RuleOutput;
