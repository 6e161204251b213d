/**
 * A case's timeline: its events sorted by instant, then by the type table's order, then by id, with
 * each event's instant and Asia/Shanghai date computed once.
 *
 * @module
 */
import { dateIn, epochMs } from "./dates.ts";
import { type CaseEvent, EVENT_TYPES, type EventOf, type EventType, type IsoDate } from "./types.ts";

/** An event with its instant (epoch ms) and its date in Asia/Shanghai. */
export type TimedEvent = CaseEvent & { readonly ms: number; readonly date: IsoDate };
/** A timed event of one type. */
export type TimedOf<T extends EventType> = EventOf<T> & { readonly ms: number; readonly date: IsoDate };

const TYPE_RANK = new Map<string, number>(EVENT_TYPES.map((t, i) => [t, i]));

/** Compare two timed events in timeline order. */
export function compareEvents(a: TimedEvent, b: TimedEvent): number {
  return a.ms - b.ms || TYPE_RANK.get(a.type)! - TYPE_RANK.get(b.type)! ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * Sort events into timeline order, keeping one event per id (re-sent duplicates collapse; the
 * ingestion edge refuses same-id events with different content, so the first one kept is the one).
 */
export function buildTimeline(events: readonly CaseEvent[]): TimedEvent[] {
  const seen = new Set<string>();
  const out: TimedEvent[] = [];
  for (const e of events) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push({ ...e, ms: epochMs(e.at), date: dateIn(e.at) } as TimedEvent);
  }
  return out.sort(compareEvents);
}

/** The events of one type, in timeline order. */
export function ofType<T extends EventType>(timeline: readonly TimedEvent[], type: T): TimedOf<T>[] {
  return timeline.filter((e) => e.type === type) as TimedOf<T>[];
}

/** The first event of a type, if any. */
export function firstOf<T extends EventType>(
  timeline: readonly TimedEvent[],
  type: T,
): TimedOf<T> | undefined {
  return timeline.find((e) => e.type === type) as TimedOf<T> | undefined;
}
