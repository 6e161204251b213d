/**
 * Active warnings and today's red cards by rule, as bars. Bars are SVG attributes, not inline styles,
 * so a strict Content-Security-Policy does not strip them from the server-rendered page.
 *
 * @module
 */
import type { RuleCounts } from "../server/live/wire.ts";
import { formatCount } from "./format.ts";

/** Up to this many rules, one column with bars; beyond, two columns of figures without bars. */
export const ONE_COLUMN_ROWS = 7;
/**
 * How many rules the panel shows: two columns of {@linkcode ONE_COLUMN_ROWS}, room for every alert
 * rule of the regulation (8.1 … 8.10, fourteen in all), so the panel keeps its height whatever the
 * figures and the trend chart below keeps its share.
 */
export const MAX_RULE_ROWS = 2 * ONE_COLUMN_ROWS;

/** The rules with a warning or a red card today, red cards first, then warnings; and how many are left out. */
export function visibleRules(
  rows: readonly RuleCounts[],
  max = MAX_RULE_ROWS,
): { shown: RuleCounts[]; hidden: number } {
  const active = rows.filter((r) => r.warnings > 0 || r.redToday > 0)
    .sort((a, b) =>
      b.redToday - a.redToday || b.warnings - a.warnings ||
      a.rule.localeCompare(b.rule, "en", { numeric: true })
    );
  return { shown: active.slice(0, max), hidden: Math.max(0, active.length - max) };
}

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

const RuleName = ({ r }: { r: RuleCounts }) => (
  <div class="rule-name">
    <span class="rule-id">{r.rule}</span>
    {r.name}
  </div>
);

/** Rules with anything to show, red cards first. */
export function RuleBreakdown({ rows }: { rows: RuleCounts[] | null }) {
  const { shown, hidden } = visibleRules(rows ?? []);
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
      {shown.length <= ONE_COLUMN_ROWS
        ? (
          <ul class="rule-list">
            {shown.map((r) => (
              <li key={r.rule} data-rule={r.rule}>
                <RuleName r={r} />
                <Bar value={r.warnings} max={max} tone="warning" />
                <Bar value={r.redToday} max={max} tone="red" />
              </li>
            ))}
          </ul>
        )
        : (
          // Column by column, so the order (red cards first) reads top to bottom, then on the right.
          <div class="rule-columns">
            {[shown.slice(0, Math.ceil(shown.length / 2)), shown.slice(Math.ceil(shown.length / 2))].map((
              half,
              i,
            ) => (
              <ul class="rule-list compact" key={i}>
                {half.map((r) => (
                  <li key={r.rule} data-rule={r.rule}>
                    <RuleName r={r} />
                    <span class={r.warnings > 0 ? "rule-num warning" : "rule-num zero"}>
                      {formatCount(r.warnings)}
                    </span>
                    <span class={r.redToday > 0 ? "rule-num red" : "rule-num zero"}>
                      {formatCount(r.redToday)}
                    </span>
                  </li>
                ))}
              </ul>
            ))}
          </div>
        )}
      {rows && shown.length === 0 && <p class="empty calm">暂无预警和红牌</p>}
      {!rows && <p class="empty">等待数据…</p>}
      {hidden > 0 && <p class="more">另有 {hidden} 条规则未显示</p>}
    </section>
  );
}
