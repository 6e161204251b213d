/**
 * The newest alerts, sliding in on top. The server has already masked the applicant's name; contact
 * details are never part of an alert.
 *
 * @module
 */
import type { AlertEntry } from "./wall_state.ts";
import { formatShortTime, shanghaiDate } from "./format.ts";

const LEVEL = { warning: "预警", red: "红牌" } as const;

/** Props of {@linkcode AlertTicker}. */
export interface AlertTickerProps {
  alerts: AlertEntry[];
  /** Department code → name. */
  departments: Record<string, string>;
}

/** One alert's row. */
function AlertRow({ a, departments }: { a: AlertEntry; departments: Record<string, string> }) {
  const today = shanghaiDate(a.receivedAt);
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
          <span>{departments[a.department] ?? a.department}</span>
          {a.item && <span>{a.item}</span>}
          {a.applicant && <span>申请人 {a.applicant}</span>}
        </div>
        <div class="alert-case">办件 {a.case}</div>
      </div>
    </li>
  );
}

/** The scrolling list of the newest alerts. */
export function AlertTicker({ alerts, departments }: AlertTickerProps) {
  return (
    <section class="panel panel-alerts">
      <h2>最新预警与红牌</h2>
      {alerts.length === 0 && <p class="empty">本次开屏以来暂无新的预警或红牌</p>}
      <ul class="alert-list" aria-live="polite">
        {alerts.map((a) => <AlertRow key={a.key} a={a} departments={departments} />)}
      </ul>
    </section>
  );
}
