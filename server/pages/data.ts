/**
 * What the pages read from the database: halls grouped by region, one hall with its region, the
 * department names a wall screen needs to name its alerts, and the hall's alerts of today that the
 * screen shows when it opens.
 *
 * @module
 */
import { eq, inArray, sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { departments, halls, items, regions } from "../../db/schema.ts";
import { dateIn, startOfDay } from "../../rules/dates.ts";
import { type InitialAlert, parseAlert } from "../live/wire.ts";
import type { RegionGroup } from "./start_page.tsx";

type RegionRow = { code: string; name: string; parent: string | null };

/** The region's names from just below the root down to itself, e.g. `郑州市 金水区`. */
export function regionTitle(code: string, byCode: Map<string, RegionRow>): string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let r = byCode.get(code); r && !seen.has(r.code); r = r.parent ? byCode.get(r.parent) : undefined) {
    seen.add(r.code);
    // The root (the province) is everyone's ancestor: name it only for its own halls.
    if (!r.parent && names.length > 0) break;
    names.unshift(r.name);
  }
  return names.length > 0 ? names.join(" ") : code;
}

/** The region codes from `code` up to the root. */
function ancestry(code: string, byCode: Map<string, RegionRow>): string[] {
  const out: string[] = [];
  for (let c: string | null = code; c && !out.includes(c); c = byCode.get(c)?.parent ?? null) out.push(c);
  return out;
}

/** The halls that pass `visible`, grouped by region (ordered by region code), halls ordered by code. */
export async function hallGroups(tx: Tx, visible: (hall: string) => boolean): Promise<RegionGroup[]> {
  const [hallRows, regionRows] = await Promise.all([
    tx.select().from(halls).orderBy(halls.region, halls.code),
    tx.select().from(regions),
  ]);
  const byCode = new Map(regionRows.map((r) => [r.code, r]));
  const groups = new Map<string, RegionGroup>();
  for (const h of hallRows) {
    if (!visible(h.code)) continue;
    let g = groups.get(h.region);
    if (!g) groups.set(h.region, g = { code: h.region, title: regionTitle(h.region, byCode), halls: [] });
    g.halls.push({ code: h.code, name: h.name });
  }
  return [...groups.values()];
}

/** More item names than this are not sent to a screen (alerts then show the item's code). */
export const MAX_ITEM_NAMES = 5000;

/** What the hall page needs to know about a hall. */
export interface HallView {
  code: string;
  name: string;
  regionName: string | null;
  /** Department code → name, for the departments of the hall's region and the regions above. */
  departments: Record<string, string>;
  /** Item code → name, for those departments' items. */
  items: Record<string, string>;
}

/** A hall with the names its screen shows; null when there is no such hall. */
export async function hallView(tx: Tx, code: string): Promise<HallView | null> {
  const [hall] = await tx.select().from(halls).where(eq(halls.code, code));
  if (!hall) return null;
  const regionRows = await tx.select().from(regions);
  const byCode = new Map(regionRows.map((r) => [r.code, r]));
  const chain = ancestry(hall.region, byCode);
  const deptRows = await tx.select({ code: departments.code, name: departments.name }).from(departments)
    .where(inArray(departments.region, chain));
  const itemRows = deptRows.length === 0
    ? []
    : await tx.select({ code: items.code, name: items.name }).from(items)
      .where(inArray(items.department, deptRows.map((d) => d.code))).orderBy(items.code).limit(
        MAX_ITEM_NAMES,
      );
  return {
    code: hall.code,
    name: hall.name,
    regionName: byCode.has(hall.region) ? regionTitle(hall.region, byCode) : null,
    departments: Object.fromEntries(deptRows.map((d) => [d.code, d.name])),
    items: Object.fromEntries(itemRows.map((i) => [i.code, i.name])),
  };
}

/** How many of today's alerts a wall screen shows when it opens. */
export const INITIAL_ALERTS = 10;

/**
 * The hall's newest alerts raised today (Asia/Shanghai, by `now`), newest first, and the live feed's
 * position they were read at, from which the screen's stream resumes so nothing raised in between is
 * lost. The payloads are the stream's own (the applicant already masked); they are read back through
 * the stream's message shape, so no other field can reach the page.
 */
export async function todaysAlerts(
  tx: Tx,
  hall: string,
  now: number,
  limit = INITIAL_ALERTS,
): Promise<{ alerts: InitialAlert[]; feedPosition: number }> {
  const since = new Date(startOfDay(dateIn(now))).toISOString();
  const [position] = await query<{ max: string | number | null }>(
    tx,
    sql`select max(id) as max from live_feed`,
  );
  const feedPosition = Number(position?.max ?? 0);
  const rows = await query<{ id: string | number; payload: unknown; created_at: string | Date }>(
    tx,
    sql`select id, payload, created_at from live_feed
        where kind = 'alert' and hall = ${hall} and created_at >= ${since}::timestamptz and id <= ${feedPosition}
        order by id desc limit ${limit}`,
  );
  const alerts: InitialAlert[] = [];
  for (const row of rows) {
    const alert = parseAlert(row.payload);
    if (alert) alerts.push({ alert, at: new Date(row.created_at).getTime() });
  }
  return { alerts, feedPosition };
}
