/**
 * Rule 8.9 特别程序监察: a special procedure that the item's process does not allow gets a red card at
 * its start. Subject: the procedure's name.
 *
 * @module
 */
import type { ProjectedAlert, Rule } from "./projection.ts";

/**
 * Rule 8.9. One active red card per procedure: a second start while an earlier run of the same
 * procedure is still open is the same breach; a run started after the earlier ones ended is a new one.
 */
export const rule89: Rule = ({ item, clock }) => {
  const allowed = new Set<string>(item.specialProcedures);
  const busyUntil = new Map<string, number>();
  const alerts: ProjectedAlert[] = [];
  for (const run of clock.pauses) {
    if (run.kind !== "special" || allowed.has(run.procedure!)) continue;
    const procedure = run.procedure!;
    const busy = busyUntil.get(procedure) ?? -Infinity;
    if (busy <= run.fromAt) {
      alerts.push({ rule: "8.9", level: "red", subject: procedure, raisedAt: run.fromAt, resolvedAt: null });
    }
    busyUntil.set(procedure, Math.max(busy, run.toAt ?? Infinity));
  }
  return { alerts };
};
