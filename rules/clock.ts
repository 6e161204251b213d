/**
 * The processing clock (办理时限, RULES.md §2): counting days, pauses, remaining, deadline.
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import type { TimedEvent } from "./timeline.ts";
import type { IsoDate, Item } from "./types.ts";

/** A pause interval: working days w with from < w ≤ to are paused (to = null: still open). */
export interface PauseInterval {
  kind: "correction" | "special";
  procedure: string | null;
  from: IsoDate;
  fromAt: number;
  to: IsoDate | null;
  toAt: number | null;
}

/** The processing clock of one case, derived once from its timeline. */
export interface ProcessingClock {
  /** Promised limit N and statutory limit S, in working days. */
  promisedDays: number;
  statutoryDays: number;
  /** Acceptance (受理) date and instant; null before acceptance. */
  acceptedOn: IsoDate | null;
  acceptedAt: number | null;
  /** Completion or rejection; null while open. */
  closedOn: IsoDate | null;
  closedAt: number | null;
  closedBy: "completed" | "rejected" | null;
  /** The pause intervals, in order of their start. */
  pauses: readonly PauseInterval[];
  /** True when a pause is open at the instant (epoch ms). */
  pausedAt(ms: number): boolean;
  /** Counting days w with A < w ≤ date (0 before acceptance). */
  used(date: IsoDate): number;
  /** N − used(date), frozen at its value on the closing date after completion or rejection; null before acceptance. */
  remaining(date: IsoDate): number | null;
  /** Date of the n-th counting day (n ≥ 1), or null when a pause is open before it is reached. A itself for n = 0. */
  countingDay(n: number): IsoDate | null;
  /** The deadline as known at the end of `date`: null before acceptance or while a pause is open; frozen after closing. */
  deadline(date: IsoDate): IsoDate | null;
}

/** Build the processing clock of a case from its timeline (events up to the as-of instant). */
export declare function buildClock(
  timeline: readonly TimedEvent[],
  item: Item,
  calendar: Calendar,
): ProcessingClock;
