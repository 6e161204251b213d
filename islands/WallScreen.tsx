/**
 * The hall's wall screen (1920×1080): clock, feed state, the big figures, departments, rules, trend
 * and the newest alerts (today's from the page, then live), all live from `/api/v1/stream?hall=…`.
 *
 * @module
 */
import { useEffect, useMemo } from "preact/hooks";
import { AlertTicker } from "./AlertTicker.tsx";
import { DepartmentTable } from "./DepartmentTable.tsx";
import { FeedStatusBadge } from "./FeedStatusBadge.tsx";
import { KpiTile } from "./KpiTile.tsx";
import { RuleBreakdown } from "./RuleBreakdown.tsx";
import { TrendChart } from "./TrendChart.tsx";
import { WallClock } from "./WallClock.tsx";
import { formatTime } from "./format.ts";
import { connectLiveFeed } from "./live_feed.ts";
import { createWallState } from "./wall_state.ts";
import { parseAlert, parseCounts, SSE_EVENTS, type WallScreenProps } from "../server/live/wire.ts";

/** The wall screen island. */
export function WallScreen(props: WallScreenProps) {
  const state = useMemo(() => createWallState(props.alerts ?? []), []);
  const names = useMemo(
    () => ({ departments: props.departments, items: props.items, regionName: props.hall.regionName }),
    [props],
  );
  useEffect(() =>
    connectLiveFeed({
      url: props.streamUrl,
      // Resume after the feed position the page's alerts were read at: nothing raised since is lost.
      lastEventId: props.feedPosition,
      onStatus: (s) => (state.status.value = s),
      on: {
        [SSE_EVENTS.counts]: (data) => {
          const msg = parseCounts(data);
          if (msg) state.onCounts(msg, Date.now());
        },
        [SSE_EVENTS.alert]: (data) => {
          const msg = parseAlert(data);
          if (msg) state.onAlert(msg, Date.now());
        },
      },
    }), [props.streamUrl]);

  const counts = state.counts.value;
  const t = counts?.totals;
  const updatedMs = counts ? Date.parse(counts.at) : NaN;
  return (
    <div class="wall">
      <header class="wall-header">
        <div class="wall-title">
          <h1>{props.hall.name}</h1>
          <div class="wall-subtitle">
            {props.hall.regionName && <span>{props.hall.regionName}</span>}
            <span>政务服务电子监察 · 监察台</span>
          </div>
        </div>
        <FeedStatusBadge
          status={state.status.value}
          updated={Number.isFinite(updatedMs) ? formatTime(updatedMs) : null}
        />
        <WallClock initialMs={props.renderedAt} />
      </header>
      <div class="kpis">
        <KpiTile label="在办件" value={t?.inProgress ?? null} tone="neutral" metric="inProgress" />
        <KpiTile label="今日到期" value={t?.dueToday ?? null} tone="due" metric="dueToday" />
        <KpiTile label="预警" value={t?.warnings ?? null} tone="warning" metric="warnings" />
        <KpiTile label="今日红牌" value={t?.redToday ?? null} tone="red" metric="redToday" />
        <div class="kpi-stack">
          <KpiTile label="本月红牌" value={t?.redMonth ?? null} tone="red" size="small" metric="redMonth" />
          <KpiTile
            label="本月异常评价"
            value={t?.abnormal ?? null}
            tone="warning"
            size="small"
            metric="abnormal"
          />
        </div>
      </div>
      <main class="wall-main">
        <DepartmentTable rows={counts?.byDepartment ?? null} regionName={props.hall.regionName} />
        <div class="wall-middle">
          <RuleBreakdown rows={counts?.byRule ?? null} />
          <TrendChart history={state.history} />
        </div>
        <AlertTicker alerts={state.alerts.value} names={names} />
      </main>
    </div>
  );
}
