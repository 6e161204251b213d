/**
 * What the pages read from the database: halls grouped by region, one hall with its region, and the
 * department names a wall screen needs to name its alerts.
 *
 * @module
 */
import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { departments, halls, items, regions } from "../../db/schema.ts";
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
