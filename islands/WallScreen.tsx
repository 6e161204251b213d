/**
 * The hall's wall screen (1920×1080 and 3840×2160): clock, feed state, the big figures, departments,
 * rules, the server's trend (today by hour, 30 days by day) and the newest alerts (today's from the
 * page, then live), all live from `/api/v1/stream?hall=…`. When the feed drops, the figures dim and
 * say since when they are stale; once a night the screen reloads itself if the server answers.
 *
 * @module
 */
import { signal } from "@preact/signals";
import { useEffect, useMemo } from "preact/hooks";
import { AlertTicker } from "./AlertTicker.tsx";
import { DepartmentTable } from "./DepartmentTable.tsx";
import { FeedStatusBadge } from "./FeedStatusBadge.tsx";
import { KpiTile } from "./KpiTile.tsx";
import { RuleBreakdown } from "./RuleBreakdown.tsx";
import { ServerTrend } from "./ServerTrend.tsx";
import { WallClock } from "./WallClock.tsx";
import { formatShortTime, formatTime } from "./format.ts";
import { connectLiveFeed } from "./live_feed.ts";
import { createWallState } from "./wall_state.ts";
import { scheduleDailyReload } from "./daily_reload.ts";
import { shouldRefetch } from "./trend_series.ts";
import {
  type CountsMessage,
  parseAlert,
  parseCounts,
  SSE_EVENTS,
  type WallScreenProps,
  type WallTrend,
} from "../server/live/wire.ts";

const TREND_POLL_MS = 60_000;

/** The wall screen island. */
export function WallScreen(props: WallScreenProps) {
  const state = useMemo(() => createWallState(props.alerts ?? []), []);
  const trend = useMemo(() => signal<WallTrend | null>(props.trend ?? null), []);
  const staleSince = useMemo(() => signal<number | null>(null), []);
  const fetchedAt = useMemo(() => ({ ms: Date.now(), pending: false }), []);
  const refreshTrend = async (changed: boolean) => {
    if (!props.trendUrl || fetchedAt.pending || !shouldRefetch(fetchedAt.ms, Date.now(), changed)) return;
    fetchedAt.pending = true;
    try {
      const res = await fetch(props.trendUrl, { headers: { accept: "application/json" } });
      if (res.ok) {
        trend.value = await res.json() as WallTrend;
        fetchedAt.ms = Date.now();
      }
    } catch {
      // Offline: the stale banner says so; the next poll tries again.
    } finally {
      fetchedAt.pending = false;
    }
  };
  useEffect(() => {
    const poll = setInterval(() => refreshTrend(false), TREND_POLL_MS);
    const stopReload = scheduleDailyReload({
      probe: async () => (await fetch("/healthz", { cache: "no-store" })).ok,
      reload: () => location.reload(),
    });
    return () => {
      clearInterval(poll);
      stopReload();
    };
  }, []);
  const seen = useMemo(() => ({ totals: "" }), []);
  const changedTotals = (msg: CountsMessage) => {
    const key = JSON.stringify(msg.totals);
    const changed = key !== seen.totals;
    seen.totals = key;
    return changed;
  };
  const names = useMemo(
    () => ({ departments: props.departments, items: props.items, regionName: props.hall.regionName }),
    [props],
  );
  useEffect(() =>
    connectLiveFeed({
      url: props.streamUrl,
      // Resume after the feed position the page's alerts were read at: nothing raised since is lost.
      lastEventId: props.feedPosition,
      onStatus: (s) => {
        state.status.value = s;
        // Stale from the moment the feed is lost (or since the page, if it never came up).
        if (s === "live") staleSince.value = null;
        else if (staleSince.value === null) staleSince.value = Date.now();
      },
      on: {
        [SSE_EVENTS.counts]: (data) => {
          const msg = parseCounts(data);
          if (!msg) return;
          state.onCounts(msg, Date.now());
          refreshTrend(changedTotals(msg));
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
  const stale = state.status.value !== "live" && staleSince.value !== null;
  return (
    <div class={stale ? "wall is-stale" : "wall"} data-stale={stale ? "true" : "false"}>
      <header class="wall-header">
        <div class="wall-title">
          <h1>{props.hall.name}</h1>
          <div class="wall-subtitle">
            {props.hall.regionName && <span>{props.hall.regionName}</span>}
            <span>政务服务电子监察 · 监察台</span>
          </div>
        </div>
        <div class="wall-feed">
          <FeedStatusBadge
            status={state.status.value}
            updated={Number.isFinite(updatedMs) ? formatTime(updatedMs) : null}
          />
          {stale && (
            <div class="stale-banner" role="status">
              数据自 {formatShortTime(staleSince.value!)} 起未更新
            </div>
          )}
        </div>
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
          <ServerTrend trend={trend} />
        </div>
        <AlertTicker alerts={state.alerts.value} names={names} />
      </main>
    </div>
  );
}
