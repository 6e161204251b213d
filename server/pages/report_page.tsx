/**
 * The rankings page (`/reports`): a month picker (a plain GET form), the department and region
 * rankings of the caller's scope, the metrics' definitions, and links to the CSV exports and the
 * month's red-card notice. Printable (static/css/report.css).
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { LEVEL_NAMES, percent } from "../reports/export.ts";
import type { Level } from "../reports/params.ts";
import { DEFINITIONS, type Metrics, type RankedUnit, RANKING_ORDER } from "../reports/rankings.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode ReportPage}. */
export interface ReportPageProps {
  month: string;
  from: string;
  to: string;
  rankings: Record<Level, RankedUnit[]>;
  manifest: Manifest;
}

const num = (x: number | null) => (x === null ? "—" : String(x));
const pct = (x: number | null) => percent(x) || "—";

/** The columns of a rankings table: heading, metric, how to show it. */
const COLUMNS: [string, keyof Metrics, (x: number | null) => string][] = [
  ["办结件数", "completed", num],
  ["按时办结率", "onTimeRate", pct],
  ["平均用时比", "avgUsedRatio", (x) => (x === null ? "—" : x.toFixed(2))],
  ["在办件数", "active", num],
  ["每百件预警", "warningsPer100", num],
  ["每百件红牌", "redsPer100", num],
  ["评价件数", "evaluated", num],
  ["每百件异常评价", "abnormalPer100", num],
  ["满意率", "satisfactionRate", pct],
];

function RankingTable({ level, units, month }: { level: Level; units: RankedUnit[]; month: string }) {
  const q = new URLSearchParams({ month, level });
  return (
    <section class="report-section" data-level={level}>
      <h2>
        {LEVEL_NAMES[level]}排名
        <a class="report-export" href={`/api/v1/reports/rankings.csv?${q}`}>导出CSV</a>
      </h2>
      {units.length === 0
        ? <p class="empty">您的权限范围内没有{LEVEL_NAMES[level]}。</p>
        : (
          <table class="data report-table">
            <thead>
              <tr>
                <th>排名</th>
                <th>{LEVEL_NAMES[level]}</th>
                {COLUMNS.map(([h]) => <th key={h} class="num">{h}</th>)}
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr key={u.code} data-code={u.code}>
                  <td class="num">{u.rank ?? "—"}</td>
                  <td>{u.name}</td>
                  {COLUMNS.map(([h, key, show]) => (
                    <td key={h} class="num" data-metric={key}>{show(u.metrics[key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

/** The rankings page. */
export function ReportPage({ month, from, to, rankings, manifest }: ReportPageProps) {
  const [y, m] = month.split("-").map(Number);
  return (
    <Layout title={`效率排名 ${month} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page report-page">
        <nav class="crumbs no-print">
          <a href="/">首页</a>
          <a href="/cases">办件列表</a>
          <a href={`/reports/notice?${new URLSearchParams({ from, to })}`}>红牌通报</a>
        </nav>
        <h1>{y}年{m}月政务服务效率排名与评价</h1>
        <form class="report-form no-print" method="get" action="/reports">
          <label>
            月份 <input type="month" name="month" value={month} required />
          </label>
          <button type="submit">查询</button>
          <a href={`/reports/notice?${new URLSearchParams({ from, to })}`}>查看本月红牌通报</a>
        </form>
        <p class="muted">统计期间：{from} 至 {to}。{RANKING_ORDER}</p>
        <RankingTable level="department" units={rankings.department} month={month} />
        <RankingTable level="region" units={rankings.region} month={month} />
        <section class="report-section report-definitions">
          <h2>指标说明</h2>
          <ul>
            {Object.entries(DEFINITIONS).map(([k, text]) => <li key={k}>{text}</li>)}
          </ul>
          <p class="muted">地区指标汇总该地区及其下级地区所有部门的数据。</p>
        </section>
      </main>
    </Layout>
  );
}
