/**
 * The overview's live rows: each `event: counts` of the scope carries per-department figures; a row
 * adds up its departments'. Red cards of the month move with today's (the month so far is the
 * server's figure before today plus today's live count). Pure, so it is tested without a browser.
 *
 * @module
 */
import type { CountsMessage } from "../server/live/wire.ts";
// Type-only: erased from the bundle, so the island loads nothing of the server.
import type { OverviewUnit } from "../server/reports/overview.ts";

/** One row as the island shows it: the server's overview row, one definition for both. */
export type OverviewRow = OverviewUnit;

/** The rows after a counts message, from the rows the page was rendered (or last fetched) with. */
export function applyCounts(
  base: readonly OverviewRow[],
  departmentUnit: Readonly<Record<string, string>>,
  counts: CountsMessage,
): OverviewRow[] {
  const live = new Map(base.map((r) => [r.code, { inProgress: 0, dueToday: 0, warnings: 0, redToday: 0 }]));
  for (const d of counts.byDepartment) {
    const row = live.get(departmentUnit[d.department] ?? "");
    if (!row) continue;
    row.inProgress += d.inProgress;
    row.dueToday += d.dueToday;
    row.warnings += d.warnings;
    row.redToday += d.redToday;
  }
  return base.map((r) => {
    const l = live.get(r.code)!;
    return { ...r, ...l, redMonth: Math.max(l.redToday, r.redMonth - r.redToday + l.redToday) };
  });
}

/** Which figures changed between two versions of a row (to flash them). */
export function changedFields(before: OverviewRow | undefined, after: OverviewRow): string[] {
  if (!before) return [];
  return (["inProgress", "dueToday", "warnings", "redToday", "redMonth"] as const).filter((k) =>
    before[k] !== after[k]
  );
}
