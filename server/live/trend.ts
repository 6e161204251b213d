/**
 * The wall screen's trend, read from the counter keys the rankings keep (server/reports/tally_keys.ts):
 * today by hour (`wrnh`, `redh`, `doneh`) and the last 30 days by day (`wrn`, `red`, `done`), for a
 * stream scope. Two index range reads on (metric, day); every screen of a hall gets the same figures,
 * before and after a reload.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { addDays, dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { countersFilter, type Scope } from "./scope.ts";
import type { WallTrend } from "./wire.ts";

/** How many days the daily trend covers (today included). */
export const TREND_DAYS = 30;

const SERIES: Record<string, "warnings" | "reds" | "completed"> = {
  wrnh: "warnings",
  redh: "reds",
  doneh: "completed",
  wrn: "warnings",
  red: "reds",
  done: "completed",
};

/** The trend of a scope as of `now`. */
export async function loadTrend(tx: Tx, scope: Scope, now: number): Promise<WallTrend> {
  const today = dateIn(now);
  const first = addDays(today, -(TREND_DAYS - 1));
  const rows = await query<{ metric: string; day: string; value: number | string }>(
    tx,
    sql`select c.metric, c.day, sum(c.value) as value from counters c
        where ${countersFilter(scope)} and c.value <> 0 and (
          (c.metric in ('wrnh', 'redh', 'doneh') and c.day >= ${`${today}T00`} and c.day <= ${`${today}T23`})
          or (c.metric in ('wrn', 'red', 'done') and c.day >= ${first} and c.day <= ${today}))
        group by 1, 2`,
  );
  const hour = Array.from({ length: 24 }, (_, h) => h);
  const date = Array.from({ length: TREND_DAYS }, (_, i) => addDays(first, i));
  const zeros = (n: number) => Array.from({ length: n }, () => 0);
  const hours = { hour, warnings: zeros(24), reds: zeros(24), completed: zeros(24) };
  const days = { date, warnings: zeros(TREND_DAYS), reds: zeros(TREND_DAYS), completed: zeros(TREND_DAYS) };
  const dayIndex = new Map(date.map((d, i) => [d, i]));
  for (const r of rows) {
    const series = SERIES[r.metric];
    const v = Number(r.value);
    if (r.metric.endsWith("h")) {
      const h = Number(r.day.slice(11, 13));
      if (h >= 0 && h < 24) hours[series][h] += v;
    } else {
      const i = dayIndex.get(r.day);
      if (i !== undefined) days[series][i] += v;
    }
  }
  return { at: shanghaiInstant(now), today, hours, days };
}
