/**
 * What the pages read from the database: halls grouped by region, one hall with its region, and the
 * department names a wall screen needs to name its alerts.
 *
 * @module
 */
import { eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { departments, halls, regions } from "../../db/schema.ts";
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

/** Every hall, grouped by region (ordered by region code), halls ordered by code. */
export async function hallGroups(tx: Tx): Promise<RegionGroup[]> {
  const [hallRows, regionRows] = await Promise.all([
    tx.select().from(halls).orderBy(halls.region, halls.code),
    tx.select().from(regions),
  ]);
  const byCode = new Map(regionRows.map((r) => [r.code, r]));
  const groups = new Map<string, RegionGroup>();
  for (const h of hallRows) {
    let g = groups.get(h.region);
    if (!g) groups.set(h.region, g = { code: h.region, title: regionTitle(h.region, byCode), halls: [] });
    g.halls.push({ code: h.code, name: h.name });
  }
  return [...groups.values()];
}

/** A hall, its region's title and the names of the departments of its region and the regions above. */
export async function hallView(tx: Tx, code: string): Promise<
  { code: string; name: string; regionName: string | null; departments: Record<string, string> } | null
> {
  const [hall] = await tx.select().from(halls).where(eq(halls.code, code));
  if (!hall) return null;
  const regionRows = await tx.select().from(regions);
  const byCode = new Map(regionRows.map((r) => [r.code, r]));
  const chain = ancestry(hall.region, byCode);
  const deptRows = await tx.select({ code: departments.code, name: departments.name }).from(departments)
    .where(inArray(departments.region, chain));
  return {
    code: hall.code,
    name: hall.name,
    regionName: byCode.has(hall.region) ? regionTitle(hall.region, byCode) : null,
    departments: Object.fromEntries(deptRows.map((d) => [d.code, d.name])),
  };
}
