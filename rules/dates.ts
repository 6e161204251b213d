/**
 * Calendar-date arithmetic and the Asia/Shanghai reading of instants.
 *
 * Dates are ISO strings `YYYY-MM-DD`; internally they become day numbers (days since 1970-01-01)
 * so that comparisons and offsets are integer operations.
 *
 * @module
 */
import { Temporal } from "temporal-polyfill";
import type { IsoDate } from "./types.ts";

/** The zone every date of the regulation is read in. */
export const ZONE = "Asia/Shanghai";

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function dayNumber(date: IsoDate): number {
  // Read by character codes (the evaluator reads thousands of dates per batch): `YYYY-MM-DD` exactly.
  const s = typeof date === "string" ? date : String(date);
  if (s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) throw notIsoDate(date);
  const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
  if (y < 0 || mo < 0 || d < 0) throw notIsoDate(date);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  return civilDays(y, mo, d);
}

const DASH = 0x2d, ZERO = 0x30;

function notIsoDate(date: unknown): RangeError {
  return new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}

/** The decimal number written by the ASCII digits s[from, to); −1 when any of them is not a digit. */
function digits(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - ZERO;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** days_from_civil of a valid year, month and day. */
function civilDays(year: number, mo: number, d: number): number {
  const y = year - (mo <= 2 ? 1 : 0);
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Whether `s` is a calendar date written `YYYY-MM-DD` (the one test used by every schema of a date). */
export function isIsoDate(s: string): boolean {
  try {
    dayNumber(s);
    return true;
  } catch {
    return false;
  }
}

/** The ISO dates of day numbers 0 … 2^16 − 1 (1970–2149) once made: the same few are made again and again. */
const ISO_DATES: (string | undefined)[] = new Array(1 << 16);

/** The ISO date of a day number (inverse of {@linkcode dayNumber}). */
export function isoDate(day: number): IsoDate {
  if ((day & 0xffff) === day) return ISO_DATES[day] ??= civilDate(day);
  return civilDate(day);
}

/** civil_from_days: the date of a day number, written `YYYY-MM-DD`. */
function civilDate(day: number): IsoDate {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday. */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

/** Add calendar days to a date. */
export function addDays(date: IsoDate, n: number): IsoDate {
  return isoDate(dayNumber(date) + n);
}

/**
 * Asia/Shanghai has kept UTC+08:00 without daylight saving since 1991-09-15: from 1992 on, the zone's
 * dates are plain arithmetic. Earlier instants go through the time-zone database (Temporal). The fast
 * path matters: the evaluator reads dates of instants thousands of times per batch.
 */
const FIXED_FROM_MS = Date.UTC(1992, 0, 1);
const FIXED_FROM_DAY = 8035; // dayNumber("1992-01-01")
const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** The first instant whose Shanghai year has five digits. */
const LAST_FOUR_DIGIT_MS = Date.UTC(10000, 0, 1) - OFFSET_MS;

/** Milliseconds since the epoch of an RFC 3339 instant; throws on text without an offset. */
export function epochMs(instant: string): number {
  // The strict form (what senders send) is read here; anything else is Temporal's to judge.
  const ms = strictEpochMs(instant);
  return Number.isNaN(ms) ? Temporal.Instant.from(instant).epochMilliseconds : ms;
}

const T = 0x54, COLON = 0x3a, DOT = 0x2e, PLUS = 0x2b, Z = 0x5a;

/**
 * Epoch ms of `YYYY-MM-DDTHH:MM:SS[.f…f](Z|±HH:MM)` (1–9 fraction digits, a valid date and time of day,
 * offset hours ≤ 23 and minutes ≤ 59); NaN for anything else — which is then not necessarily invalid:
 * Temporal reads `t`, leap seconds and more (rules/dates_test.ts checks both paths agree).
 */
function strictEpochMs(s: string): number {
  if (typeof s !== "string") return NaN;
  const n = s.length;
  if (
    n < 20 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH || s.charCodeAt(10) !== T ||
    s.charCodeAt(13) !== COLON || s.charCodeAt(16) !== COLON
  ) return NaN;
  const y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
  const h = digits(s, 11, 13), mi = digits(s, 14, 16), sec = digits(s, 17, 19);
  if (
    y < 0 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 ||
    mi > 59 || sec < 0 || sec > 59
  ) return NaN;
  let i = 19, frac = 0;
  if (s.charCodeAt(i) === DOT) {
    // Milliseconds are the first three digits (the instant's nanoseconds, floored).
    const from = ++i;
    for (; i < n && i - from < 9; i++) {
      const c = s.charCodeAt(i) - ZERO;
      if (c < 0 || c > 9) break;
      if (i - from < 3) frac = frac * 10 + c;
    }
    if (i === from) return NaN;
    for (let k = i - from; k < 3; k++) frac *= 10;
  }
  let offset = 0;
  const sign = s.charCodeAt(i);
  if (sign === Z) {
    if (n !== i + 1) return NaN;
  } else {
    if ((sign !== PLUS && sign !== DASH) || n !== i + 6 || s.charCodeAt(i + 3) !== COLON) return NaN;
    const oh = digits(s, i + 1, i + 3), om = digits(s, i + 4, i + 6);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offset = (oh * 60 + om) * (sign === PLUS ? 60_000 : -60_000);
  }
  return civilDays(y, mo, d) * DAY_MS + ((h * 60 + mi) * 60 + sec) * 1000 + frac - offset;
}

/** The Asia/Shanghai date of an instant (RFC 3339 text or epoch milliseconds). */
export function dateIn(instant: string | number): IsoDate {
  const ms = typeof instant === "number" ? instant : epochMs(instant);
  if (ms >= FIXED_FROM_MS) return isoDate(Math.floor((ms + OFFSET_MS) / DAY_MS));
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE).toPlainDate().toString();
}

/** Epoch milliseconds of 00:00 Asia/Shanghai on a date. */
export function startOfDay(date: IsoDate): number {
  const day = dayNumber(date);
  if (day >= FIXED_FROM_DAY) return day * DAY_MS - OFFSET_MS;
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: ZONE }).epochMilliseconds;
}

/** Epoch milliseconds of the last millisecond (23:59:59.999) of a date in Asia/Shanghai. */
export function endOfDay(date: IsoDate): number {
  return startOfDay(addDays(date, 1)) - 1;
}

/** Format epoch milliseconds as an RFC 3339 instant in Asia/Shanghai (`…+08:00`). */
export function shanghaiInstant(ms: number): string {
  // From 1992 the zone is UTC+08:00: the UTC text of the instant 8 hours on, with that offset.
  if (ms >= FIXED_FROM_MS && ms < LAST_FOUR_DIGIT_MS && Number.isInteger(ms)) {
    return new Date(ms + OFFSET_MS).toISOString().slice(0, 19) + "+08:00";
  }
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE);
  return z.toString({ timeZoneName: "never", fractionalSecondDigits: 0 });
}
