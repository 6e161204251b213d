/**
 * Figures per department, the most urgent first.
 *
 * @module
 */
import type { DepartmentCounts } from "../server/live/wire.ts";
import { formatCount, shortDepartmentName } from "./format.ts";

/** How many rows fit the panel at 1080 lines. */
export const MAX_DEPARTMENT_ROWS = 9;

/** Red cards first, then warnings, then what is due today, then the workload. */
export function byUrgency(a: DepartmentCounts, b: DepartmentCounts): number {
  return b.redToday - a.redToday || b.warnings - a.warnings || b.dueToday - a.dueToday ||
    b.inProgress - a.inProgress || a.name.localeCompare(b.name, "zh-CN");
}

const cell = (n: number, tone: string) => <td class={n > 0 ? `num ${tone}` : "num zero"}>{formatCount(n)}
</td>;

/** The per-department table (部门, 在办, 今日到期, 预警, 今日红牌). */
export function DepartmentTable(
  { rows, regionName }: { rows: DepartmentCounts[] | null; regionName: string | null },
) {
  const sorted = rows ? [...rows].sort(byUrgency) : [];
  const shown = sorted.slice(0, MAX_DEPARTMENT_ROWS);
  return (
    <section class="panel panel-departments">
      <h2>各部门办件</h2>
      <table class="dept-table">
        <thead>
          <tr>
            <th class="name">部门</th>
            <th>在办</th>
            <th>今日到期</th>
            <th>预警</th>
            <th>今日红牌</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((d) => (
            <tr key={d.department} data-department={d.department}>
              <td class="name">{shortDepartmentName(d.name, regionName)}</td>
              {cell(d.inProgress, "neutral")}
              {cell(d.dueToday, "due")}
              {cell(d.warnings, "warning")}
              {cell(d.redToday, "red")}
            </tr>
          ))}
        </tbody>
      </table>
      {rows && rows.length === 0 && <p class="empty">本大厅暂无在办件</p>}
      {!rows && <p class="empty">等待数据…</p>}
      {sorted.length > shown.length && <p class="more">另有 {sorted.length - shown.length} 个部门未显示</p>}
    </section>
  );
}
