/**
 * A case's timeline: its events sorted by instant, then by the type table's order, then by id, with
 * each event's instant and Asia/Shanghai date computed once.
 *
 * @module
 */
import { canonicalJson } from "./canonical.ts";
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
 * Sort events into timeline order, keeping each distinct event once: re-sent duplicates (same id, same
 * content — rules/canonical.ts `eventContentHash` is the identity) collapse. Two events with one id and
 * different content are both kept: event ids are unique per sender (EXCHANGE.md), so two senders' events
 * may share an id without one hiding the other (one sender re-using an id is refused at the edge).
 */
export function buildTimeline(events: readonly CaseEvent[]): TimedEvent[] {
  const seen = new Map<string, CaseEvent[]>();
  const out: TimedEvent[] = [];
  for (const e of events) {
    const same = seen.get(e.id);
    if (same) {
      // Rare (two senders, one id): compare content only then.
      const json = canonicalJson(e);
      if (same.some((x) => canonicalJson(x) === json)) continue;
      same.push(e);
    } else seen.set(e.id, [e]);
    // One parse of the instant serves both (the evaluator builds a timeline per case evaluated).
    const ms = epochMs(e.at);
    out.push({ ...e, ms, date: dateIn(ms) } as TimedEvent);
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
