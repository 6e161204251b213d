/**
 * The rankings page (`/reports?month=&unit=`), for a director's meeting: the weights in force, a bar
 * chart of the scores and a unit's 12-month line (ReportCharts island), and per level (regions,
 * departments within their region, departments of a kind) the month's table — score, rank in the
 * peer group, change of score and rank against the previous month (环比), the measures — each unit
 * linking to its cases of the month and to its own trend. Exports (XLSX of every level, CSV per
 * level); printable (static/css/report.css hides the forms and links and keeps the tables whole).
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { LEVEL_NAMES, percent, rankLabel } from "../reports/export.ts";
import { type Level, LEVELS } from "../reports/params.ts";
import { DEFINITIONS, RANKING_ORDER } from "../reports/rankings.ts";
import type { ReportRow, TrendPoint } from "../reports/rankings_query.ts";
import { formulaText } from "../reports/score.ts";
import type { WeightsInForce } from "../reports/weights_store.ts";
import { PrintButton } from "../../islands/PrintButton.tsx";
import { ReportCharts, type ReportChartsProps } from "../../islands/ReportCharts.tsx";
import { Island, Layout, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode ReportPage}. */
export interface ReportPageProps {
  month: string;
  previousMonth: string;
  from: string;
  to: string;
  levels: Record<Level, ReportRow[]>;
  weights: WeightsInForce;
  /** The unit whose 12 months are drawn, if any. */
  trend: { code: string; name: string; points: TrendPoint[] } | null;
  manifest: Manifest;
}

const num = (x: number | null | undefined) => (x === null || x === undefined ? "—" : String(x));
const pct = (x: number | null) => percent(x) || "—";
const fixed = (x: number | null) => (x === null ? "—" : x.toFixed(2));

/** A signed change: ▲ 1.25 / ▼ 2 / — (for ranks, a positive change means places gained). */
type Metrics = ReportRow["metrics"];

/** The unit's figures after its score: header, `data-metric`, phone-card label and format in one list. */
const METRIC_CELLS: { metric: keyof Metrics; label: string; show: (m: Metrics) => string | number }[] = [
  { metric: "completed", label: "办结", show: (m) => m.completed },
  { metric: "onTimeRate", label: "按时办结率", show: (m) => pct(m.onTimeRate) },
  { metric: "satisfactionRate", label: "满意率", show: (m) => pct(m.satisfactionRate) },
  { metric: "redsPer100", label: "每百件红牌", show: (m) => num(m.redsPer100) },
  { metric: "warningsPer100", label: "每百件预警", show: (m) => num(m.warningsPer100) },
  { metric: "abnormalPer100", label: "每百件异常评价", show: (m) => num(m.abnormalPer100) },
  { metric: "avgUsedRatio", label: "平均用时比", show: (m) => fixed(m.avgUsedRatio) },
  { metric: "active", label: "在办", show: (m) => m.active },
];

function Change({ value, digits }: { value: number | null; digits: number }) {
  if (value === null) return <span class="muted">—</span>;
  if (value === 0) return <span class="change-flat">持平</span>;
  const up = value > 0;
  return (
    <span class={up ? "change-up" : "change-down"}>
      {up ? "▲" : "▼"} {Math.abs(value).toFixed(digits)}
    </span>
  );
}

/** Where a unit's cases of the month are listed (the desk's /cases filters). */
export function casesHref(level: Level, code: string, from: string, to: string): string {
  const q = new URLSearchParams(level === "region" ? { region: code } : { department: code });
  q.set("receivedFrom", from);
  q.set("receivedTo", to);
  return `/cases?${q}`;
}

function RankingTable(
  { level, units, month, from, to }: {
    level: Level;
    units: ReportRow[];
    month: string;
    from: string;
    to: string;
  },
) {
  const q = new URLSearchParams({ month, level });
  let group: string | null | undefined = undefined;
  return (
    <section class="report-section" data-level={level} id={`level-${level}`}>
      <h2>
        {LEVEL_NAMES[level]}排名
        <a class="report-export" href={`/api/v1/reports/rankings.csv?${q}`}>导出CSV</a>
        <a class="report-export" href={`/api/v1/reports/rankings.xlsx?${q}`}>导出XLSX</a>
      </h2>
      {units.length === 0
        ? <p class="empty">您的权限范围内没有{LEVEL_NAMES[level]}。</p>
        : (
          <div class="table-scroll">
            <table class="data report-table">
              <thead>
                <tr>
                  <th class="num">排名</th>
                  <th>{level === "region" ? "地区" : "部门"}</th>
                  <th class="num">综合得分</th>
                  <th class="num">得分环比</th>
                  <th class="num">名次变化</th>
                  {METRIC_CELLS.map((cell) => <th key={cell.metric} class="num">{cell.label}</th>)}
                  <th class="no-print">办件</th>
                </tr>
              </thead>
              <tbody>
                {units.flatMap((u) => {
                  const rows = [];
                  if (u.peerGroup !== group) {
                    group = u.peerGroup;
                    rows.push(
                      <tr key={`g-${u.peerGroup}`} class="peer-group">
                        <th colSpan={14}>{u.peerGroupName ?? "本级汇总（不参与排名）"}</th>
                      </tr>,
                    );
                  }
                  const m = u.metrics;
                  rows.push(
                    <tr
                      key={u.code}
                      data-code={u.code}
                      data-rank={u.rank ?? ""}
                      data-score={u.score ?? ""}
                      data-peer-group={u.peerGroup ?? ""}
                      class={u.insufficient ? "insufficient" : undefined}
                    >
                      <td class="num" data-metric="rank" data-label="排名">{rankLabel(u)}</td>
                      <td class="unit" data-label={level === "region" ? "地区" : "部门"}>
                        <a href={`/reports?${new URLSearchParams({ month, unit: u.code })}#trend`}>
                          {u.name}
                        </a>
                      </td>
                      <td class="num score" data-metric="score" data-label="综合得分">{fixed(u.score)}</td>
                      <td class="num" data-metric="scoreChange" data-label="得分环比">
                        <Change value={u.scoreChange} digits={2} />
                      </td>
                      <td class="num" data-metric="rankChange" data-label="名次变化">
                        <Change value={u.rankChange} digits={0} />
                      </td>
                      {METRIC_CELLS.map((cell) => (
                        <td key={cell.metric} class="num" data-metric={cell.metric} data-label={cell.label}>
                          {cell.show(m)}
                        </td>
                      ))}
                      <td class="no-print" data-label="办件">
                        <a class="cases-link" href={casesHref(level, u.code, from, to)}>本月办件</a>
                      </td>
                    </tr>,
                  );
                  return rows;
                })}
              </tbody>
            </table>
          </div>
        )}
    </section>
  );
}

/** The chart data: the scores of the ranked level shown first, and the trend. */
function chartProps(p: ReportPageProps): ReportChartsProps {
  const level = LEVELS.find((l) => p.levels[l].some((u) => u.rank !== null)) ?? "department";
  const scored = p.levels[level].filter((u) => u.score !== null && u.peerGroup !== null).slice(0, 40);
  return {
    barTitle: `${LEVEL_NAMES[level]}综合得分（${p.month}）`,
    names: scored.map((u) => u.name),
    scores: scored.map((u) => u.score!),
    trend: p.trend
      ? {
        name: p.trend.name,
        months: p.trend.points.map((x) => x.month),
        scores: p.trend.points.map((x) => x.score),
        onTime: p.trend.points.map((
          x,
        ) => (x.onTimeRate === null ? null : Math.round(x.onTimeRate * 1000) / 10)),
      }
      : null,
  };
}

/** The rankings page. */
export function ReportPage(p: ReportPageProps) {
  const { month, from, to, weights, manifest } = p;
  const [y, m] = month.split("-").map(Number);
  const notice = `/reports/notice?${new URLSearchParams({ from, to })}`;
  return (
    <Layout title={`效率排名 ${month} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page report-page">
        <nav class="crumbs no-print">
          <a href="/">首页</a>
          <a href="/cases">办件列表</a>
          <a href={notice}>红牌通报</a>
        </nav>
        <h1>{y}年{m}月政务服务效率排名与评价</h1>
        <form class="report-form no-print" method="get" action="/reports">
          <label>
            月份 <input type="month" name="month" value={month} required />
          </label>
          <button type="submit">查询</button>
          <a href={`/api/v1/reports/rankings.xlsx?${new URLSearchParams({ month })}`} class="button-link">
            导出XLSX（全部层级）
          </a>
          <a href={notice}>查看本月红牌通报</a>
          <Island name="PrintButton" component={PrintButton} props={{}} manifest={manifest} />
        </form>
        <p class="muted">
          统计期间：{from} 至 {to}；环比对照 {p.previousMonth}。{RANKING_ORDER}
        </p>
        <p class="weights-in-force" data-weights={JSON.stringify(weights.weights)}>
          <strong>现行权重：</strong>
          {formulaText(weights.weights)}
          <span class="muted">
            {weights.setBy
              ? `（${weights.setBy} 于 ${weights.setAt?.slice(0, 16).replace("T", " ")} 设置）`
              : "（默认权重）"}
          </span>
        </p>
        <Island name="ReportCharts" component={ReportCharts} props={chartProps(p)} manifest={manifest} />
        {LEVELS.map((level) => (
          <RankingTable key={level} level={level} units={p.levels[level]} month={month} from={from} to={to} />
        ))}
        <section class="report-section report-definitions">
          <h2>指标说明</h2>
          <ul>
            {Object.entries(DEFINITIONS).map(([k, text]) => <li key={k}>{text}</li>)}
          </ul>
          <p class="muted">
            地区指标汇总该地区及其下级地区所有部门的数据。同类部门：按部门代码后缀（如 SCJGJ
            市场监督管理局）识别部门类别，同类且同级（市级与市级、县级与县级）的部门相互比较。
          </p>
        </section>
      </main>
    </Layout>
  );
}
