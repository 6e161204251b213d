/**
 * The wall screen's trend from the server: today by hour and the last 30 days by day — warnings
 * raised, red cards, completed cases — two uPlot charts fed with column arrays. The figures come
 * with the page and are refetched as they change, so every screen of a hall shows the same, also
 * after a reload.
 *
 * @module
 */
import { effect, type Signal } from "@preact/signals";
import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import type { WallTrend } from "../server/live/wire.ts";
import { countRange } from "./trend_axis.ts";
import { dayColumns, dayLabels, hourColumns, hourLabels, slotRange } from "./trend_series.ts";

const COLORS = { axis: "#aab8cc", grid: "#233047", warning: "#ffd21f", red: "#ff5a5f", done: "#3ddc84" };

const nowHour = () => Number(new Date(Date.now() + 8 * 3_600_000).toISOString().slice(11, 13));

function options(
  width: number,
  height: number,
  rem: number,
  slots: number,
  labels: (splits: number[]) => string[],
): uPlot.Options {
  const font = `${Math.round(rem * 0.95)}px "Noto Sans CJK SC", "Source Han Sans SC", sans-serif`;
  const axis = { stroke: COLORS.axis, font, grid: { stroke: COLORS.grid, width: 1 }, ticks: { show: false } };
  const line = (label: string, stroke: string) => ({
    label,
    stroke,
    width: Math.max(2, rem * 0.18),
    points: { size: rem * 0.45 },
  });
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    padding: [rem * 0.4, rem * 0.6, 0, 0],
    scales: {
      x: { time: false, range: () => slotRange(slots) },
      y: {
        range: (u) =>
          countRange(Math.max(0, ...u.data.slice(1).flatMap((s) => (s as number[]).filter(Number.isFinite)))),
      },
    },
    axes: [
      { ...axis, size: rem * 2, space: rem * 1.2, incrs: [1], values: (_u, splits) => labels(splits) },
      {
        ...axis,
        size: rem * 3.2,
        values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : "")),
      },
    ],
    series: [{}, line("预警", COLORS.warning), line("红牌", COLORS.red), line("办结", COLORS.done)],
  };
}

function Chart(
  { trend, kind, current }: { trend: Signal<WallTrend | null>; kind: "hours" | "days"; current: boolean },
) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const remOf = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const columns = (t: WallTrend | null): uPlot.AlignedData =>
      t ? (kind === "hours" ? hourColumns(t, nowHour()) : dayColumns(t)) : [[], [], [], []];
    const labels = (splits: number[]) =>
      kind === "hours" ? hourLabels(splits) : dayLabels(splits, trend.peek()?.days.date ?? []);
    const slots = kind === "hours" ? 24 : (trend.peek()?.days.date.length ?? 30);
    let rem = remOf();
    const build = () =>
      new uPlot(options(el.clientWidth, el.clientHeight, rem, slots, labels), columns(trend.peek()), el);
    let plot = build();
    el.dataset.drawn = "true";
    let frame = 0;
    const stop = effect(() => {
      const t = trend.value;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => plot.setData(columns(t)));
    });
    const resize = new ResizeObserver(() => {
      // The wall's type scales with the display: a new size of type needs new axes, not just a new size.
      const now = remOf();
      if (now !== rem) {
        rem = now;
        plot.destroy();
        plot = build();
      } else plot.setSize({ width: el.clientWidth, height: el.clientHeight });
    });
    resize.observe(el);
    return () => {
      stop();
      cancelAnimationFrame(frame);
      resize.disconnect();
      plot.destroy();
    };
  }, []);
  return <div class={current ? "trend-chart is-current" : "trend-chart"} data-trend={kind} ref={box} />;
}

/** How long each view stays before the other takes its place. */
export const ROTATE_MS = 15_000;

/** The trend panel: today by hour and the last 30 days by day, taking turns in one frame. */
export function ServerTrend({ trend }: { trend: Signal<WallTrend | null> }) {
  const [view, setView] = useState<"hours" | "days">("hours");
  useEffect(() => {
    const id = setInterval(() => setView((v) => (v === "hours" ? "days" : "hours")), ROTATE_MS);
    return () => clearInterval(id);
  }, []);
  const t = trend.value;
  const sum = (a: number[] | undefined) => (a ?? []).reduce((x, y) => x + y, 0);
  return (
    <section class="panel panel-trend" data-view={view}>
      <h2>
        <span class="trend-tabs">
          <span class={view === "hours" ? "trend-tab is-current" : "trend-tab"}>
            今日按小时 <b data-sum="today-completed">办结 {sum(t?.hours.completed)}</b>
          </span>
          <span class={view === "days" ? "trend-tab is-current" : "trend-tab"}>
            近30日 <b data-sum="days-completed">办结 {sum(t?.days.completed)}</b>
          </span>
        </span>
      </h2>
      <div class="legend trend-legend">
        <span class="legend-warning">预警</span>
        <span class="legend-red">红牌</span>
        <span class="legend-done">办结</span>
      </div>
      <div class="trend-frame">
        <Chart trend={trend} kind="hours" current={view === "hours"} />
        <Chart trend={trend} kind="days" current={view === "days"} />
      </div>
    </section>
  );
}
