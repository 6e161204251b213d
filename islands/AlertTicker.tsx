/**
 * The newest alerts, sliding in on top. The server has already masked the applicant's name; contact
 * details are never part of an alert.
 *
 * @module
 */
import type { AlertEntry } from "./wall_state.ts";
import { formatShortTime, shanghaiDate, shortDepartmentName } from "./format.ts";

const LEVEL = { warning: "预警", red: "红牌" } as const;

/** How to name departments and items (code → name). */
export interface Names {
  departments: Record<string, string>;
  items: Record<string, string>;
  regionName: string | null;
}

/** One alert's row. */
function AlertRow({ a, names }: { a: AlertEntry; names: Names }) {
  const today = shanghaiDate(a.receivedAt);
  const department = a.department
    ? shortDepartmentName(names.departments[a.department] ?? a.department, names.regionName)
    : "";
  return (
    <li class={`alert alert-${a.level}`} data-case={a.case} data-level={a.level}>
      <div class="alert-side">
        <span class="alert-level">{LEVEL[a.level]}</span>
        <span class="alert-time">
          {a.on && a.on !== today ? a.on.slice(5) : formatShortTime(a.receivedAt)}
        </span>
      </div>
      <div class="alert-main">
        <div class="alert-rule">
          <span class="rule-id">{a.rule}</span>
          {a.name}
        </div>
        <div class="alert-detail">
          {department}
          {a.item && ` · ${names.items[a.item] ?? a.item}`}
        </div>
        <div class="alert-case">
          <span>办件 {a.case}</span>
          {a.applicant && <span>申请人 {a.applicant}</span>}
        </div>
      </div>
    </li>
  );
}

/** The scrolling list of the newest alerts. */
export function AlertTicker({ alerts, names }: { alerts: AlertEntry[]; names: Names }) {
  return (
    <section class="panel panel-alerts">
      <h2>最新预警与红牌</h2>
      {alerts.length === 0 && <p class="empty">今日暂无预警或红牌</p>}
      <ul class="alert-list" aria-live="polite">
        {alerts.map((a) => <AlertRow key={a.key} a={a} names={names} />)}
      </ul>
    </section>
  );
}
