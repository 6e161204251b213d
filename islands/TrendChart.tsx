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
import { formatShortTime } from "./format.ts";

/** The narrowest time span shown, so the first samples do not stretch across the whole chart. */
const MIN_SPAN_S = 5 * 60;

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
      x: { time: true, range: (_u, min, max) => [Math.min(min, max - MIN_SPAN_S), max] },
      y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.25))] },
    },
    axes: [
      { ...axis, size: rem * 2.4, values: (_u, splits) => splits.map((s) => formatShortTime(s * 1000)) },
      {
        ...axis,
        size: rem * 3.6,
        values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : "")),
      },
    ],
    series: [
      {},
      { label: "预警", stroke: COLORS.warning, width: 3, paths: stepped, fill: "rgba(255,210,31,0.10)" },
      { label: "今日红牌", stroke: COLORS.red, width: 3, paths: stepped, fill: "rgba(255,90,95,0.12)" },
    ],
  };
}

const columns = (h: History): uPlot.AlignedData => [h.at, h.warnings, h.red];

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
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: el.clientHeight }));
    resize.observe(el);
    return () => {
      stopEffect();
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
