/**
 * Time and number formatting for the screens, always in Asia/Shanghai whatever the display's zone.
 *
 * @module
 */

const ZONE = "Asia/Shanghai";
const timeFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: ZONE,
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const shortTimeFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});
const dateFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: ZONE,
  year: "numeric",
  month: "long",
  day: "numeric",
  weekday: "long",
});
const isoFmt = new Intl.DateTimeFormat("en-CA", {
  timeZone: ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** `09:05:07` */
export const formatTime = (ms: number): string => timeFmt.format(ms);
/** `09:05` */
export const formatShortTime = (ms: number): string => shortTimeFmt.format(ms);
/** `2024年10月17日 星期四` */
export const formatDate = (ms: number): string => dateFmt.format(ms);
/** `2024-10-17`, the Shanghai date of an instant. */
export const shanghaiDate = (ms: number): string => isoFmt.format(ms);
/** A count with thousands separators; `—` before the first figures arrive. */
export const formatCount = (
  n: number | null | undefined,
): string => (n == null ? "—" : n.toLocaleString("zh-CN"));

/** A list's total: `10,000+` when the count stopped at its cap (at least that many), else the count. */
export const formatTotal = (total: number, capped: boolean): string =>
  `${formatCount(total)}${capped ? "+" : ""}`;

/**
 * A department's name without the region it is obviously in: on 郑州市's screen, 郑州市公安局 reads
 * 公安局. `regionName` is the hall's region title, e.g. `郑州市 金水区`.
 */
export function shortDepartmentName(name: string, regionName: string | null): string {
  let out = name;
  for (const part of (regionName ?? "").split(" ")) {
    if (part && out.startsWith(part) && out.length - part.length >= 2) out = out.slice(part.length);
  }
  return out;
}
