/**
 * The report page's charts, drawn by uPlot from column arrays: a bar chart of the units' scores
 * (one bar per unit, names under the bars) and one unit's 12-month line of score and on-time rate.
 * The server renders the frames; the charts appear once the island runs. Printable: the canvases are
 * drawn at their on-screen size and print as images.
 *
 * @module
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** Props of {@linkcode ReportCharts}. */
export interface ReportChartsProps {
  barTitle: string;
  names: string[];
  scores: number[];
  trend: { name: string; months: string[]; scores: (number | null)[]; onTime: (number | null)[] } | null;
}

const FONT = `13px "Noto Sans CJK SC", "Source Han Sans SC", sans-serif`;
const AXIS = { stroke: "#aab8cc", font: FONT, grid: { stroke: "#233047", width: 1 }, ticks: { show: false } };

/** Short labels for crowded bars: the name without its city prefix, at most 8 characters. */
export function shortName(name: string, crowded: boolean): string {
  const s = crowded ? name.replace(/^.{2,3}?[市省]/, "") : name;
  return s.length > 8 ? `${s.slice(0, 7)}…` : s;
}

function barOptions(width: number, p: ReportChartsProps): uPlot.Options {
  const crowded = p.names.length > 8;
  const bars = uPlot.paths.bars?.({ size: [0.6, 48], align: 0 });
  return {
    width,
    height: 300,
    // Room for the last slanted name on the right.
    padding: [12, crowded ? 56 : 12, 0, 0],
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.6, p.names.length - 0.4] }, y: { range: [0, 100] } },
    axes: [
      {
        ...AXIS,
        size: crowded ? 70 : 40,
        rotate: crowded ? -30 : 0,
        space: 10,
        incrs: [1],
        values: (_u, splits) =>
          splits.map((i) => (Number.isInteger(i) ? shortName(p.names[i] ?? "", crowded) : "")),
      },
      { ...AXIS, size: 44, values: (_u, splits) => splits.map((v) => String(v)) },
    ],
    series: [{}, {
      label: "综合得分",
      stroke: "#4fa3ff",
      fill: "rgba(79,163,255,0.55)",
      paths: bars,
      points: { show: false },
    }],
  };
}

function trendOptions(width: number, months: string[]): uPlot.Options {
  return {
    width,
    height: 260,
    legend: { show: true },
    cursor: { show: true, points: { show: true } },
    scales: { x: { time: false, range: [-0.3, months.length - 0.7] }, y: { range: [0, 100] } },
    axes: [
      {
        ...AXIS,
        size: 40,
        // Every month when there is room, every 2nd, 3rd or 6th on a phone ("26-01" needs ~36 px).
        space: 40,
        incrs: [1, 2, 3, 6],
        values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? months[i]?.slice(2) ?? "" : "")),
      },
      { ...AXIS, size: 44 },
    ],
    series: [
      { label: "月份", value: (_u, i) => (i === null ? "" : months[i] ?? "") },
      { label: "综合得分", stroke: "#4fa3ff", width: 3, spanGaps: false, points: { size: 7 } },
      { label: "按时办结率(%)", stroke: "#3ecf8e", width: 2, dash: [6, 4], points: { size: 6 } },
    ],
  };
}

function useChart(make: (width: number) => { opts: uPlot.Options; data: uPlot.AlignedData } | null) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const made = make(el.clientWidth || 600);
    if (!made) return;
    const plot = new uPlot(made.opts, made.data, el);
    el.dataset.drawn = "true";
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: el.clientWidth, height: made.opts.height })
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, []);
  return box;
}

/** The bar chart and the trend line. */
export function ReportCharts(p: ReportChartsProps) {
  const bars = useChart((w) =>
    p.names.length === 0 ? null : {
      opts: barOptions(w, p),
      data: [p.names.map((_, i) => i), p.scores],
    }
  );
  const line = useChart((w) =>
    p.trend === null ? null : {
      opts: trendOptions(w, p.trend.months),
      data: [p.trend.months.map((_, i) => i), p.trend.scores, p.trend.onTime],
    }
  );
  return (
    <div class="report-charts">
      <section class="report-chart">
        <h2>{p.barTitle}</h2>
        {p.names.length === 0
          ? <p class="empty">本月没有可计算得分的单位。</p>
          : <div class="chart-box" data-chart="scores" ref={bars} />}
      </section>
      <section class="report-chart" id="trend">
        <h2>{p.trend ? `${p.trend.name}近12个月得分与按时办结率` : "近12个月趋势"}</h2>
        {p.trend
          ? <div class="chart-box" data-chart="trend" ref={line} />
          : <p class="empty">点击表格中的单位名称查看其近12个月的得分与按时办结率。</p>}
      </section>
    </div>
  );
}
