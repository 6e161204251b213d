/**
 * The counter keys a case adds for the monthly rankings and the wall screen's trend — kept in
 * `counters` beside the live keys of server/write/counts.ts, by the same add-the-difference mechanism, so a
 * province month is read from a few thousand counter rows instead of a million cases.
 *
 * Keys (`metric|rule|day`; `day` is a date, a month `YYYY-MM` or an hour `YYYY-MM-DDTHH`, Asia/Shanghai):
 * - `done|<remaining>:<N>|<date>` — completed on that date, with its remaining and the item's promised
 *   days N (either may be empty), so that on-time and the used/promised ratio sum exactly;
 * - `doneh||<hour>` — completed in that hour;
 * - `act||<month>` — a closed case (completed or rejected), once for every month from the month of its
 *   receipt to the month of its closing: it was handled in those months;
 * - `opn||<month>` — an open case, by the month of its receipt: handled in that month and every later one;
 * - `wrn|<rule>|<date>`, `wrnh||<hour>`, `redh||<hour>` — warnings raised (not voided), and warnings
 *   and red cards by the hour they were raised (red cards by date are counts.ts's `red`);
 * - `evl||<month>` — the month of the case's first evaluation;
 * - `abc||<month>`, `uns||<month>` — the case has an abnormal finding dated in that month (any rule,
 *   or 9.1 alone), once per case and month.
 *
 * @module
 */
import { type Evaluation, projectedOf } from "../../rules/evaluate.ts";
import { ABNORMAL_STATES } from "../write/counts.ts";
import { isoDate } from "../../rules/dates.ts";

/** The metrics of this module, for queries. */
export const TALLY_METRICS = ["done", "doneh", "act", "opn", "wrn", "wrnh", "redh", "evl", "abc", "uns"];

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS; // Asia/Shanghai has had no daylight saving time since 1991.

/** The Asia/Shanghai hour of an instant, `YYYY-MM-DDTHH`. */
export function shanghaiHour(ms: number): string {
  const local = ms + SHANGHAI_OFFSET_MS;
  const day = Math.floor(local / DAY_MS);
  // Days of 1970–2149 by their (once made) ISO dates; other instants as toISOString writes them.
  if ((day & 0xffff) !== day) return new Date(local).toISOString().slice(0, 13);
  const hour = Math.floor((local - day * DAY_MS) / HOUR_MS);
  return `${isoDate(day)}T${hour < 10 ? "0" : ""}${hour}`;
}

/** The months from `from` to `to` inclusive (`YYYY-MM`); empty when `to` is before `from`. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  // A case open for years adds one key a month; the bound keeps bad data from running away.
  while ((y < ty || (y === ty && m <= tm)) && out.length < 240) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    if (++m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

/** The ranking and trend keys of a case's evaluation; none without a department. */
export function tallyKeys(
  ev: Pick<Evaluation, "department" | "result" | "timeline" | "raised">,
  promisedDays: number | null,
): string[] {
  if (!ev.department) return [];
  const { result, timeline } = ev;
  const keys = new Set<string>();
  const received = timeline.find((e) => e.type === "received");
  const closed = timeline.find((e) => e.type === "completed" || e.type === "rejected");
  if (result.status === "completed" && closed) {
    keys.add(`done|${result.remaining ?? ""}:${promisedDays ?? ""}|${closed.date}`);
    keys.add(`doneh||${shanghaiHour(closed.ms)}`);
  }
  if (received) {
    const from = received.date.slice(0, 7);
    if (closed) { for (const m of monthsBetween(from, closed.date.slice(0, 7))) keys.add(`act||${m}`); }
    else keys.add(`opn||${from}`);
  }
  for (const a of result.alerts) {
    if (a.voided) continue;
    const hour = shanghaiHour(projectedOf(ev, a)?.raisedAt ?? Date.parse(`${a.on}T00:00:00+08:00`));
    if (a.level === "warning") {
      keys.add(`wrn|${a.rule}|${a.on}`);
      keys.add(`wrnh||${hour}`);
    } else keys.add(`redh||${hour}`);
  }
  const evaluation = timeline.find((e) => e.type === "evaluation");
  if (evaluation) keys.add(`evl||${evaluation.date.slice(0, 7)}`);
  for (const f of result.findings) {
    if (!ABNORMAL_STATES.has(f.state)) continue;
    keys.add(`abc||${f.on.slice(0, 7)}`);
    if (f.rule === "9.1") keys.add(`uns||${f.on.slice(0, 7)}`);
  }
  return [...keys].sort();
}
