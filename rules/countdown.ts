/**
 * The countdown of a case as stored after an evaluation, so that remaining(D) can be read on a later
 * date without evaluating the case again. While the clock runs (accepted, open, no pause open) every
 * later working day is a counting day until the next event, so remaining(D) = remaining(E) −
 * (ordinal(D) − ordinal(E)) for the evaluation date E: one integer, the working-day ordinal at which
 * remaining reaches 0 (`zero`), answers every later date in O(1). Any other state is frozen: remaining
 * does not move by time alone. A new event re-evaluates the case and stores a new countdown.
 *
 * The pause a case had before E is already inside remaining(E), so a case paused after its deadline
 * reads right (the deadline's ordinal would not: it counts the paused days).
 *
 * @module
 */
import type { Calendar } from "./calendar.ts";
import type { CaseResult, CaseStatus, IsoDate } from "./types.ts";

/** A stored countdown: running towards the working-day ordinal `zero`, or frozen at `remaining`. */
export type Countdown =
  | { running: true; zero: number }
  | { running: false; remaining: number | null };

/** The one status whose countdown runs (受理中, not paused); in any other the countdown is frozen or none. */
export const RUNNING_STATUS: CaseStatus = "accepted";

/** The countdown of an evaluated result, as of its evaluation date. */
export function countdownOf(result: CaseResult, asOfDate: IsoDate, calendar: Calendar): Countdown {
  if (result.status === RUNNING_STATUS && !result.paused && result.remaining !== null) {
    return { running: true, zero: result.remaining + calendar.ordinal(asOfDate) };
  }
  return { running: false, remaining: result.remaining };
}

/** remaining(date) from a stored countdown; `date` is on or after the evaluation date. */
export function remainingOn(countdown: Countdown, date: IsoDate, calendar: Calendar): number | null {
  return countdown.running ? countdown.zero - calendar.ordinal(date) : countdown.remaining;
}

/** The countdown as stored in two columns (`countdown_zero` set only while running, else `remaining`). */
export function countdownFromColumns(zero: number | null, remaining: number | null): Countdown {
  return zero === null ? { running: false, remaining } : { running: true, zero };
}
