/**
 * Which cases a status of the case list takes in — the one definition, used by the list's filter
 * (server/cases/list_query.ts) and by the live counters that give its totals (server/write/counts.ts).
 * A case's status is the evaluator's (`CaseResult.status`); it changes only with the case's events,
 * never by time alone, so a count of it stays right across midnight without the scheduler.
 *
 * @module
 */
import type { CaseStatus } from "./types.ts";

/** Every status the evaluator reports. */
export const CASE_STATUSES = [
  "received",
  "accepted",
  "completed",
  "rejected",
  "incomplete",
] as const satisfies readonly CaseStatus[];

/** The in-progress statuses (待受理 and 受理中): the list's `open`, the live `open` counter. */
export const OPEN_STATUSES: readonly CaseStatus[] = ["received", "accepted"];

/** Statuses the list filters by: `open` is 待受理 and 受理中 together, `all` every case. */
export const LIST_STATUSES = ["open", ...CASE_STATUSES, "all"] as const;
/** A status of the list filter. */
export type ListStatus = typeof LIST_STATUSES[number];

/** The evaluator's statuses a list status takes in; null for `all` (every case, whatever its status). */
export function statusMembers(status: ListStatus): readonly CaseStatus[] | null {
  if (status === "all") return null;
  if (status === "open") return OPEN_STATUSES;
  return [status];
}

/** Whether a case in this status is in progress. */
export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
