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

/** Milliseconds since the epoch of an RFC 3339 instant; throws on text without an offset. */
export function epochMs(instant: string): number {
  return Temporal.Instant.from(instant).epochMilliseconds;
}

/** The Asia/Shanghai date of an instant (RFC 3339 text or epoch milliseconds). */
export function dateIn(instant: string | number): IsoDate {
  const inst = typeof instant === "number"
    ? Temporal.Instant.fromEpochMilliseconds(instant)
    : Temporal.Instant.from(instant);
  return inst.toZonedDateTimeISO(ZONE).toPlainDate().toString();
}

/** Epoch milliseconds of 00:00 Asia/Shanghai on a date. */
export function startOfDay(date: IsoDate): number {
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
