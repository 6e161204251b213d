/**
 * The processing clock (办理时限, RULES.md §2): counting days, pauses, remaining, deadline.
 *
 * Pauses are kept as spans of working-day ordinals `(lo, hi]` (`hi = Infinity` while open), merged
 * where they overlap, so every question is answered in O(#intervals) with the calendar's ordinals —
 * no day-by-day loop.
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
  /** Id of the event that opened it (correction notice or special procedure start). */
  eventId: string;
  /** A special procedure's `until` date (end of notice period / agreed end date); null for corrections. */
  until: IsoDate | null;
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
  /** The first instant ≥ ms at which no pause is open; null when a pause that covers it never closes. */
  unpausedFrom(ms: number): number | null;
  /** Counting days w with A < w ≤ date (0 before acceptance), frozen at the closing date. */
  used(date: IsoDate): number;
  /** N − used(date), frozen at its value on the closing date after completion or rejection; null before acceptance. */
  remaining(date: IsoDate): number | null;
  /** Date of the n-th counting day (n ≥ 1), or null when a pause is open before it is reached. A itself for n = 0. */
  countingDay(n: number): IsoDate | null;
  /** The deadline as known at the end of `date`: null before acceptance or while a pause is open; frozen after closing. */
  deadline(date: IsoDate): IsoDate | null;
}

/** A merged pause in ordinal space: working days with lo < ordinal ≤ hi. */
type Span = readonly [lo: number, hi: number];

/**
 * The pause intervals of a timeline (RULES.md §2): a correction notice opens one unless a notice is
 * already open; a confirmation closes the open notice (or changes nothing); each special procedure
 * start opens one, closed by the earliest open interval's `special_completed` of the same procedure.
 */
export function pauseIntervals(timeline: readonly TimedEvent[]): PauseInterval[] {
  const out: PauseInterval[] = [];
  let correction: PauseInterval | null = null;
  const close = (p: PauseInterval, e: TimedEvent) => {
    p.to = e.date;
    p.toAt = e.ms;
  };
  for (const e of timeline) {
    const open = { from: e.date, fromAt: e.ms, to: null, toAt: null, eventId: e.id };
    if (e.type === "correction_requested" && correction === null) {
      correction = { kind: "correction", procedure: null, until: null, ...open };
      out.push(correction);
    } else if (e.type === "correction_completed" && correction !== null) {
      close(correction, e);
      correction = null;
    } else if (e.type === "special_started") {
      out.push({ kind: "special", procedure: e.procedure, until: e.until, ...open });
    } else if (e.type === "special_completed") {
      const started = out.find((p) => p.kind === "special" && p.procedure === e.procedure && p.toAt === null);
      if (started) close(started, e);
    }
  }
  return out;
}

/** Build the processing clock of a case from its timeline (events up to the as-of instant). */
export function buildClock(
  timeline: readonly TimedEvent[],
  item: Item,
  calendar: Calendar,
): ProcessingClock {
  const accepted = timeline.find((e) => e.type === "accepted");
  const closing = timeline.find((e) => e.type === "completed" || e.type === "rejected");
  const pauses = pauseIntervals(timeline);
  const n = item.promisedDays;
  const acceptedOn = accepted?.date ?? null;
  const closedOn = closing?.date ?? null;
  const allSpans = spansOf(pauses, calendar);
  /** The date the clock reads at: after closing it stays at the closing date. */
  const frozen = (date: IsoDate): IsoDate => (closedOn !== null && date > closedOn ? closedOn : date);

  const used = (date: IsoDate): number => {
    if (acceptedOn === null) return 0;
    const d = frozen(date);
    if (d <= acceptedOn) return 0;
    const a = calendar.ordinal(acceptedOn), o = calendar.ordinal(d);
    let paused = 0;
    for (const [lo, hi] of allSpans) paused += Math.max(0, Math.min(hi, o) - Math.max(lo, a));
    return o - a - paused;
  };
  const countingDay = (k: number, spans: readonly Span[] = allSpans): IsoDate | null => {
    if (acceptedOn === null) return null;
    if (k === 0) return acceptedOn;
    let cur = calendar.ordinal(acceptedOn), left = k;
    for (const [lo, hi] of spans) {
      if (hi <= cur) continue;
      const free = Math.max(0, lo - cur);
      if (left <= free) break;
      left -= free;
      if (hi === Infinity) return null;
      cur = hi;
    }
    return calendar.dateOfOrdinal(cur + left);
  };

  return {
    promisedDays: n,
    statutoryDays: item.statutoryDays,
    acceptedOn,
    acceptedAt: accepted?.ms ?? null,
    closedOn,
    closedAt: closing?.ms ?? null,
    closedBy: closing ? (closing.type as "completed" | "rejected") : null,
    pauses,
    pausedAt: (ms) => pauses.some((p) => p.fromAt <= ms && (p.toAt === null || p.toAt > ms)),
    unpausedFrom(ms) {
      let t = ms;
      // Each pass moves t to the end of a pause covering it; intervals are few.
      for (let moved = true; moved;) {
        moved = false;
        for (const p of pauses) {
          if (p.fromAt <= t && (p.toAt === null || p.toAt > t)) {
            if (p.toAt === null) return null;
            t = p.toAt;
            moved = true;
          }
        }
      }
      return t;
    },
    used,
    remaining: (date) => (acceptedOn === null || date < acceptedOn ? null : n - used(date)),
    countingDay: (k) => countingDay(k),
    deadline(date) {
      if (acceptedOn === null || date < acceptedOn) return null;
      const d = frozen(date);
      // As known at the end of d: the pauses started by then, none of them still open.
      const known = pauses.filter((p) => p.from <= d);
      if (known.some((p) => p.to === null || p.to > d)) return null;
      return countingDay(n, spansOf(known, calendar));
    },
  };
}

/** The pauses as merged, sorted ordinal spans. */
function spansOf(pauses: readonly PauseInterval[], calendar: Calendar): Span[] {
  const raw = pauses
    .map((p): Span => [calendar.ordinal(p.from), p.to === null ? Infinity : calendar.ordinal(p.to)])
    .filter(([lo, hi]) => hi > lo)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of raw) {
    const last = out.at(-1);
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}
