/**
 * A case's department — the one definition: the department of the item named by the case's first
 * `received` in timeline order. The evaluator derives it so, and the server uses this same function
 * wherever it must know a case's department before the case is evaluated (ingestion's scope checks,
 * the quarantine of events out of a sender's scope).
 *
 * @module
 */
import { buildTimeline, firstOf, type TimedEvent, type TimedOf } from "./timeline.ts";
import type { CaseEvent } from "./types.ts";

/** What a case's origin says: its `received`, that event's item (when in the catalogue), its department. */
export interface CaseOrigin<I> {
  received: TimedOf<"received"> | undefined;
  item: I | undefined;
  department: string | null;
}

/** The origin of a case from its timeline (in order). */
export function caseOrigin<I extends { department: string }>(
  timeline: readonly TimedEvent[],
  itemOf: (code: string) => I | undefined,
): CaseOrigin<I> {
  const received = firstOf(timeline, "received");
  const item = received ? itemOf(received.item) : undefined;
  return { received, item, department: item?.department ?? null };
}

/** The department of a case from its events in any order, given each item's department. */
export function caseDepartment(
  events: readonly CaseEvent[],
  departmentOf: (item: string) => string | undefined,
): string | null {
  const origin = caseOrigin(buildTimeline(events.filter((e) => e.type === "received")), (code) => {
    const department = departmentOf(code);
    return department === undefined ? undefined : { department };
  });
  return origin.department;
}
