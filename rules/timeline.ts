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
  const out: TimedEvent[] = [];
  for (const e of events) {
    // One parse of the instant serves both (the evaluator builds a timeline per case evaluated).
    const ms = epochMs(e.at);
    out.push({ ...e, ms, date: dateIn(ms) } as TimedEvent);
  }
  // The sort is stable, so events of one instant, type and id — re-sends among them — end up side by
  // side in arrival order, and a re-sent duplicate is one with the content of an earlier one of its run.
  // Runs are rare (a re-send, two senders with one id): so is comparing content.
  out.sort(compareEvents);
  for (let i = 1; i < out.length; i++) {
    if (compareEvents(out[i - 1], out[i]) === 0) {
      out.length = dropResent(out, events);
      break;
    }
  }
  return out;
}

/**
 * Keep, of each run of events equal in timeline order, those whose content (the event as given in
 * `events`, of which the timed ones are copies) no earlier one of the run has; returns the new length.
 */
function dropResent(out: TimedEvent[], events: readonly CaseEvent[]): number {
  let n = 0;
  for (let i = 0; i < out.length;) {
    let j = i + 1;
    while (j < out.length && compareEvents(out[i], out[j]) === 0) j++;
    if (j - i === 1) out[n++] = out[i];
    else {
      // The run's events as given, in arrival order (a copy's own `ms` or `date` would hide a difference).
      const { id, type, ms } = out[i];
      const given = events.filter((e) => e.id === id && e.type === type && epochMs(e.at) === ms)
        .map(canonicalJson);
      for (let k = 0; k < given.length; k++) if (given.indexOf(given[k]) === k) out[n++] = out[i + k];
    }
    i = j;
  }
  return n;
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
