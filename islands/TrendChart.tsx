/**
 * Warnings and today's red cards over this screen's session, drawn by uPlot. uPlot gets column arrays,
 * and a burst of updates costs at most one `setData` per animation frame.
 *
 * @module
 */
import { effect, type Signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import type { History } from "./wall_state.ts";
import { countLabels, countRange, TIME_INCRS, timeLabels, timeRange, trendColumns } from "./trend_axis.ts";

/** How often the chart moves on to now while the figures do not change. */
const REDRAW_MS = 15_000;

const COLORS = { axis: "#aab8cc", grid: "#233047", warning: "#ffd21f", red: "#ff5a5f" };

function options(width: number, height: number, rem: number): uPlot.Options {
  const font = `${Math.round(rem * 1.05)}px "Noto Sans CJK SC", "Source Han Sans SC", sans-serif`;
  const stepped = uPlot.paths.stepped?.({ align: 1 });
  const axis = { stroke: COLORS.axis, font, grid: { stroke: COLORS.grid, width: 1 }, ticks: { show: false } };
  return {
    width,
    height,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      // From the data and the clock, not uPlot's min/max: it stretches a lone sample over a day.
      x: { time: true, range: (u) => timeRange(u.data[0], nowS()) },
      y: { range: (_u, _min, max) => countRange(max) },
    },
    axes: [
      {
        ...axis,
        size: rem * 2.4,
        space: rem * 6,
        incrs: TIME_INCRS,
        values: (_u, splits) => timeLabels(splits),
      },
      { ...axis, size: rem * 3.6, values: (_u, splits) => countLabels(splits) },
    ],
    series: [
      {},
      { label: "预警", stroke: COLORS.warning, width: 3, paths: stepped, fill: "rgba(255,210,31,0.10)" },
      { label: "今日红牌", stroke: COLORS.red, width: 3, paths: stepped, fill: "rgba(255,90,95,0.12)" },
    ],
  };
}

const nowS = () => Math.floor(Date.now() / 1000);
const columns = (h: History): uPlot.AlignedData => trendColumns(h, nowS());

/** The session trend chart. */
export function TrendChart({ history }: { history: Signal<History> }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const plot = new uPlot(options(el.clientWidth, el.clientHeight, rem), columns(history.value), el);
    let frame = 0;
    const stopEffect = effect(() => {
      const h = history.value;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => plot.setData(columns(h)));
    });
    // The figures held since the last change: move the chart on to now now and then.
    const redraw = setInterval(() => plot.setData(columns(history.peek())), REDRAW_MS);
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: el.clientHeight }));
    resize.observe(el);
    return () => {
      stopEffect();
      clearInterval(redraw);
      cancelAnimationFrame(frame);
      resize.disconnect();
      plot.destroy();
    };
  }, []);
  return (
    <section class="panel panel-trend">
      <h2>
        本次开屏以来趋势
        <span class="legend">
          <span class="legend-warning">预警</span>
          <span class="legend-red">今日红牌</span>
        </span>
      </h2>
      <div class="trend-chart" ref={box} />
    </section>
  );
}
