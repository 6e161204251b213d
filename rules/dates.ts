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

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function dayNumber(date: IsoDate): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  let y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) {
    throw new RangeError(`not a calendar date: ${date}`);
  }
  y -= mo <= 2 ? 1 : 0;
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

/** The ISO date of a day number (inverse of {@linkcode dayNumber}). */
export function isoDate(day: number): IsoDate {
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
  return [4, 6, 9, 11].includes(m) ? 30 : 31;
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
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5]\d(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an RFC 3339 instant; throws on text without an offset. */
export function epochMs(instant: string): number {
  // The strict form (what ingestion accepts) parses natively; anything else is Temporal's to judge.
  if (RFC3339.test(instant)) {
    const ms = Date.parse(instant);
    if (Number.isFinite(ms)) return ms;
  }
  return Temporal.Instant.from(instant).epochMilliseconds;
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
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(ZONE);
  return z.toString({ timeZoneName: "never", fractionalSecondDigits: 0 });
}
