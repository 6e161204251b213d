/**
 * Rule 8.8 申请材料的监察: the latest materials list (each `materials_submitted` replaces the earlier
 * ones) must hold every required material and nothing outside the item's required and optional
 * materials. Otherwise a warning at that upload, and a red card if no consistent list is uploaded
 * within 3 working days after the warning.
 *
 * @module
 */
import { escalate } from "./escalation.ts";
import type { Rule } from "./projection.ts";
import { ofType } from "./timeline.ts";
import type { Item } from "./types.ts";

/** What is wrong with a materials list: required ones missing, and ones the item does not list. */
export function materialsProblems(
  item: Item,
  materials: readonly string[],
): { missing: string[]; extra: string[] } {
  const given = new Set(materials);
  const allowed = new Set([...item.materials.required, ...item.materials.optional]);
  return {
    missing: item.materials.required.filter((m) => !given.has(m)),
    extra: [...given].filter((m) => !allowed.has(m)),
  };
}

/** True when the list holds every required material and only listed ones. */
export function materialsConsistent(item: Item, materials: readonly string[]): boolean {
  // materialsProblems() finding nothing, without building its lists (asked at every upload of every
  // case evaluated; the lists are short).
  const { required, optional } = item.materials;
  for (const m of required) if (!materials.includes(m)) return false;
  for (const m of materials) if (!required.includes(m) && !optional.includes(m)) return false;
  return true;
}

/** Rule 8.8. A case with no materials list yet raises nothing: there is no list to judge. */
export const rule88: Rule = ({ item, timeline, calendar }) => {
  const changes = ofType(timeline, "materials_submitted").map((m) => ({
    ms: m.ms,
    date: m.date,
    holds: !materialsConsistent(item, m.materials),
  }));
  return { alerts: escalate("8.8", null, changes, calendar) };
};
