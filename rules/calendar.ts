/**
 * The working-day calendar (工作日): the State Council holiday notices as data, with every date given
 * its working-day ordinal once, so that "k working days after" and "working days between" are O(1).
 *
 * @module
 */
import { dayNumber, isoDate, weekday } from "./dates.ts";
import type { IsoDate } from "./types.ts";

/** One year's notice: days off on weekdays (and listed weekend days) and make-up working days. */
export interface CalendarYear {
  holidays: IsoDate[];
  workdays: IsoDate[];
}

/** The shape of `cn-official.json`: `{ source?, years: { "2024": { holidays, workdays } } }`. */
export interface CalendarData {
  source?: string;
  years: Record<string, CalendarYear>;
}

/** First and last years the ordinal tables cover. Dates outside raise a RangeError. */
export const FIRST_YEAR = 2000;
/** Last year of the ordinal tables. */
export const LAST_YEAR = 2099;

/** Thrown for a calendar year that is not of the expected shape. */
export class CalendarDataError extends Error {
  override name = "CalendarDataError";
}

/**
 * A working-day calendar. Years without a notice fall back to Monday–Friday; {@linkcode missingYears}
 * tells which years a computation relied on that fallback for.
 */
export class Calendar {
  readonly #first = dayNumber(`${FIRST_YEAR}-01-01`);
  readonly #last = dayNumber(`${LAST_YEAR}-12-31`);
  /** #upTo[i] = number of working days in [first, first + i]. */
  readonly #upTo: Int32Array;
  /** #nth[j] = day index (from #first) of the (j+1)-th working day. */
  readonly #nth: Int32Array;
  readonly #years: Map<number, CalendarYear>;

  constructor(data: CalendarData) {
    this.#years = new Map();
    for (const [key, year] of Object.entries(data.years)) {
      this.#years.set(Number(key), validateYear(key, year));
    }
    const off = new Set<number>();
    const on = new Set<number>();
    for (const y of this.#years.values()) {
      for (const d of y.holidays) off.add(dayNumber(d));
      for (const d of y.workdays) on.add(dayNumber(d));
    }
    const span = this.#last - this.#first + 1;
    this.#upTo = new Int32Array(span);
    const nth: number[] = [];
    let count = 0;
    for (let i = 0; i < span; i++) {
      const day = this.#first + i;
      const wd = weekday(day);
      if (on.has(day) || (wd <= 5 && !off.has(day))) {
        count++;
        nth.push(i);
      }
      this.#upTo[i] = count;
    }
    this.#nth = Int32Array.from(nth);
  }

  /** The years that have a loaded notice, ascending. */
  get years(): number[] {
    return [...this.#years.keys()].sort((a, b) => a - b);
  }

  /** The loaded notice of a year, if any. */
  year(year: number): CalendarYear | undefined {
    return this.#years.get(year);
  }

  /** True when the year has a loaded notice. */
  hasYear(year: number): boolean {
    return this.#years.has(year);
  }

  /** The years in [from, to] with no loaded notice (their dates fall back to Monday–Friday). */
  missingYears(from: IsoDate, to: IsoDate): number[] {
    const out: number[] = [];
    for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) {
      if (!this.#years.has(y)) out.push(y);
    }
    return out;
  }

  #index(date: IsoDate): number {
    const i = dayNumber(date) - this.#first;
    if (i < 0 || i > this.#last - this.#first) {
      throw new RangeError(`date outside the calendar's range ${FIRST_YEAR}–${LAST_YEAR}: ${date}`);
    }
    return i;
  }

  /** True when the date is a working day. */
  isWorkday(date: IsoDate): boolean {
    const i = this.#index(date);
    return this.#upTo[i] !== (i === 0 ? 0 : this.#upTo[i - 1]);
  }

  /** The number of working days on or before the date (a monotone ordinal). */
  ordinal(date: IsoDate): number {
    return this.#upTo[this.#index(date)];
  }

  /** The date of the working day with the given ordinal (inverse of {@linkcode ordinal} on working days). */
  dateOfOrdinal(ordinal: number): IsoDate {
    const i = this.#nth[ordinal - 1];
    if (i === undefined) throw new RangeError(`working-day ordinal outside the calendar: ${ordinal}`);
    return isoDate(this.#first + i);
  }

  /**
   * The k-th working day strictly after `date` (k ≥ 1), or strictly before it (k ≤ −1).
   * `date` need not be a working day; k = 0 returns `date` itself.
   */
  addWorkdays(date: IsoDate, k: number): IsoDate {
    if (k === 0) return date;
    const i = this.#index(date);
    if (k > 0) return this.dateOfOrdinal(this.#upTo[i] + k);
    const before = this.#upTo[i] - (this.isWorkday(date) ? 1 : 0);
    return this.dateOfOrdinal(before + k + 1);
  }

  /** The number of working days w with `from < w ≤ to` (0 when to ≤ from). */
  workdaysBetween(from: IsoDate, to: IsoDate): number {
    return Math.max(0, this.ordinal(to) - this.ordinal(from));
  }
}

function validateYear(key: string, y: CalendarYear): CalendarYear {
  if (!/^\d{4}$/.test(key)) throw new CalendarDataError(`year key must be four digits: ${key}`);
  for (const field of ["holidays", "workdays"] as const) {
    const list = y?.[field];
    if (!Array.isArray(list)) throw new CalendarDataError(`${key}.${field} must be an array of dates`);
    for (const d of list) {
      if (typeof d !== "string" || !d.startsWith(`${key}-`)) {
        throw new CalendarDataError(`${key}.${field}: ${JSON.stringify(d)} is not a date in ${key}`);
      }
      try {
        dayNumber(d);
      } catch {
        throw new CalendarDataError(`${key}.${field}: ${JSON.stringify(d)} is not a valid date`);
      }
    }
  }
  return { holidays: [...y.holidays].sort(), workdays: [...y.workdays].sort() };
}
