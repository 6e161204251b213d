/**
 * Time on the desk pages, from the server's clock: the offset between the server's instant at render
 * and the browser's, the time left until the end of the day in Asia/Shanghai (for a case due today),
 * and the wait until the next midnight (the countdowns step then). Pure.
 *
 * @module
 */

const DAY_MS = 86_400_000;
/** Asia/Shanghai has no daylight saving: UTC+8 all year. */
const OFFSET_MS = 8 * 3_600_000;

/** Milliseconds from `now` to the next 00:00 in Asia/Shanghai. */
export function msToMidnight(now: number): number {
  const local = now + OFFSET_MS;
  return DAY_MS - (((local % DAY_MS) + DAY_MS) % DAY_MS);
}

/** "剩 5 小时 12 分" until the end of today; "剩不足 1 分" in the last minute. */
export function timeLeftToday(now: number): string {
  const minutes = Math.floor(msToMidnight(now) / 60_000);
  if (minutes < 1) return "剩不足 1 分";
  const h = Math.floor(minutes / 60), m = minutes % 60;
  return h > 0 ? `剩 ${h} 小时 ${m} 分` : `剩 ${m} 分`;
}
