/**
 * Peer groups of the rankings (RULES.md §5: regions only against peers of the same level, never a
 * parent against its children). Three levels:
 *
 * - `region`: a region's peers are the other children of its parent — the cities of the province, the
 *   districts and counties of one city. The top of the caller's scope (河南省 for the province, 郑州市
 *   for 郑州's supervisors) has no visible peers: it is listed as the total (汇总), not ranked.
 * - `department`: the departments of one region (郑州市's own departments; 金水区's own).
 * - `kind`: departments of the same kind at the same tier across regions — every city's
 *   市场监督管理局 together, every district's 市场监督管理局 together (a district's bureau works under
 *   its city's bureau, so the two tiers are never mixed). The kind is read from the department code's
 *   suffix after the last "-" (`410100-SCJGJ` → `SCJGJ`, the convention of the province's codes); a code
 *   without one falls back to the name with its regions' names taken off the front
 *   (郑州市金水区市场监督管理局 → 市场监督管理局). The tier is the depth of the department's region
 *   (0 省级, 1 市级, 2 县级, deeper 乡镇级).
 *
 * @module
 */
import type { DepartmentRef, RegionRef } from "./rankings.ts";

/** The peer group of a unit: the units it is ranked against share `code`. */
export interface PeerGroup {
  code: string;
  name: string;
}

const TIERS = ["省级", "市级", "县级"];

/** The chain of a region up to the root, nearest first (guarded against cycles). */
function chain(code: string, byCode: ReadonlyMap<string, RegionRef>): RegionRef[] {
  const out: RegionRef[] = [];
  const seen = new Set<string>();
  for (let r = byCode.get(code); r && !seen.has(r.code); r = r.parent ? byCode.get(r.parent) : undefined) {
    seen.add(r.code);
    out.push(r);
  }
  return out;
}

/** The kind of a department: a key and a display name (see the module doc). */
export function departmentKind(
  d: DepartmentRef,
  byCode: ReadonlyMap<string, RegionRef>,
): { key: string; name: string } {
  let name = d.name;
  // Outermost region first: 郑州市金水区… loses 郑州市, then 金水区 (and 河南省 if it leads).
  for (const r of chain(d.region, byCode).reverse()) {
    if (name.startsWith(r.name) && name.length > r.name.length) name = name.slice(r.name.length);
  }
  const suffix = /-([A-Za-z0-9_]+)$/.exec(d.code)?.[1];
  return { key: suffix ? suffix.toUpperCase() : name, name };
}

/** The depth of a region (0 for a root). */
export function regionDepth(code: string, byCode: ReadonlyMap<string, RegionRef>): number {
  return Math.max(0, chain(code, byCode).length - 1);
}

const tierName = (depth: number) => TIERS[depth] ?? "乡镇级";

/** Peer groups of the visible regions: their parent, when the parent is visible too. */
export function regionPeers(
  visible: readonly RegionRef[],
  all: readonly RegionRef[],
): Map<string, PeerGroup | null> {
  const byCode = new Map(all.map((r) => [r.code, r]));
  const shown = new Set(visible.map((r) => r.code));
  return new Map(visible.map((r) => {
    const p = r.parent && shown.has(r.parent) ? byCode.get(r.parent) : undefined;
    return [r.code, p ? { code: p.code, name: `${p.name}下辖地区` } : null];
  }));
}

/** Peer groups of departments by region. */
export function departmentPeers(
  departments: readonly DepartmentRef[],
  all: readonly RegionRef[],
): Map<string, PeerGroup> {
  const byCode = new Map(all.map((r) => [r.code, r]));
  return new Map(departments.map((d) => [
    d.code,
    { code: d.region, name: `${byCode.get(d.region)?.name ?? d.region}各部门` },
  ]));
}

/** Peer groups of departments by kind and tier. */
export function kindPeers(
  departments: readonly DepartmentRef[],
  all: readonly RegionRef[],
): Map<string, PeerGroup> {
  const byCode = new Map(all.map((r) => [r.code, r]));
  const names = new Map<string, string>();
  return new Map(departments.map((d) => {
    const kind = departmentKind(d, byCode);
    const depth = regionDepth(d.region, byCode);
    const code = `kind:${kind.key}:${depth}`;
    // One name per group: the first department's reading of it.
    if (!names.has(code)) names.set(code, `${kind.name}（${tierName(depth)}）`);
    return [d.code, { code, name: names.get(code)! }];
  }));
}
