/**
 * Active warnings and today's red cards by rule, as bars. Bars are SVG attributes, not inline styles,
 * so a strict Content-Security-Policy does not strip them from the server-rendered page.
 *
 * @module
 */
import type { RuleCounts } from "./wall_types.ts";
import { formatCount } from "./format.ts";

/** How many rules fit the panel. */
export const MAX_RULE_ROWS = 7;

function Bar({ value, max, tone }: { value: number; max: number; tone: "warning" | "red" }) {
  const width = max > 0 ? Math.max(value > 0 ? 2 : 0, (value / max) * 100) : 0;
  return (
    <div class={`rule-bar rule-bar-${tone}`}>
      <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
        <rect class="track" x="0" y="0" width="100" height="10" />
        <rect class="fill" x="0" y="0" width={width.toFixed(2)} height="10" />
      </svg>
      <span class={value > 0 ? "rule-num" : "rule-num zero"}>{formatCount(value)}</span>
    </div>
  );
}

/** Rules with anything to show, red cards first. */
export function RuleBreakdown({ rows }: { rows: RuleCounts[] | null }) {
  const active = (rows ?? []).filter((r) => r.warnings > 0 || r.redToday > 0)
    .sort((a, b) => b.redToday - a.redToday || b.warnings - a.warnings || a.rule.localeCompare(b.rule));
  const shown = active.slice(0, MAX_RULE_ROWS);
  const max = Math.max(1, ...shown.map((r) => Math.max(r.warnings, r.redToday)));
  return (
    <section class="panel panel-rules">
      <h2>
        按规则分布
        <span class="legend">
          <span class="legend-warning">预警</span>
          <span class="legend-red">今日红牌</span>
        </span>
      </h2>
      <ul class="rule-list">
        {shown.map((r) => (
          <li key={r.rule} data-rule={r.rule}>
            <div class="rule-name">
              <span class="rule-id">{r.rule}</span>
              {r.name}
            </div>
            <Bar value={r.warnings} max={max} tone="warning" />
            <Bar value={r.redToday} max={max} tone="red" />
          </li>
        ))}
      </ul>
      {rows && active.length === 0 && <p class="empty calm">暂无预警和红牌</p>}
      {!rows && <p class="empty">等待数据…</p>}
      {active.length > shown.length && <p class="more">另有 {active.length - shown.length} 条规则</p>}
    </section>
  );
}
