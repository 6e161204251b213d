/**
 * The spot-check pages (随机抽查): the list with the form that draws a sample, one spot check with its
 * sample, result forms and summary, and its printable report. Server-rendered forms, no script.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { actorLabel } from "../supervision/common.ts";
import { Flash } from "../supervision/page_kit.tsx";
import { RESULT_LABELS, shanghaiMinute } from "../supervision/spot_check_export.ts";
import type { SpotCheckListRow, SpotCheckView } from "../supervision/spot_checks.ts";
import { DataTable } from "./data_table.tsx";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** A code with its name, for the scope pickers. */
export interface Named {
  code: string;
  name: string;
}

/** Props of {@linkcode SpotCheckListPage}. */
export interface SpotCheckListProps {
  rows: SpotCheckListRow[];
  departments: Named[];
  regions: Named[];
  /** The form's values (defaults, or what was posted when it was refused). */
  form: { department?: string; region?: string; from: string; to: string; size: string; seed: string };
  csrf: string | null;
  manifest: Manifest;
  ok?: string;
  error?: string;
}

const scopeText = (s: { kind: string; code: string; name: string | null }) =>
  `${s.kind === "region" ? "地区" : "部门"}：${s.name ?? s.code}`;

/** The spot-check list and the draw form. */
export function SpotCheckListPage(props: SpotCheckListProps) {
  const { rows, form } = props;
  return (
    <Layout title={`随机抽查 · ${PRODUCT_NAME}`} manifest={props.manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/queue">人工监察队列</a>
          <a href="/orders">督办</a>
        </nav>
        <h1>随机抽查</h1>
        <Flash ok={props.ok} error={props.error} />
        <section>
          <h2>抽取样本</h2>
          <form method="post" action="/spot-checks" class="panel-form" id="draw-form">
            {props.csrf && <input type="hidden" name={CSRF_FIELD} value={props.csrf} />}
            <label>
              部门
              <select name="department">
                <option value="">（按地区抽查）</option>
                {props.departments.map((d) => (
                  <option value={d.code} selected={d.code === form.department}>{d.name}</option>
                ))}
              </select>
            </label>
            <label>
              或地区
              <select name="region">
                <option value="">（按部门抽查）</option>
                {props.regions.map((r) => (
                  <option value={r.code} selected={r.code === form.region}>{r.name}</option>
                ))}
              </select>
            </label>
            <label>
              收件日期自
              <input type="date" name="from" value={form.from} required />
            </label>
            <label>
              至
              <input type="date" name="to" value={form.to} required />
            </label>
            <label>
              抽取件数
              <input type="number" name="size" value={form.size} min={1} max={1000} required />
            </label>
            <label>
              随机种子
              <input name="seed" value={form.seed} maxLength={128} />
            </label>
            <button type="submit">抽取样本</button>
          </form>
          <p class="muted">
            样本可由任何持有种子的人复现：将该范围、该期间收件的办件按 SHA-256(种子 + ":" + 办件编号)
            的十六进制值升序排列，取前 n 件。种子随抽查记录保存。
          </p>
        </section>
        <section>
          <h2>抽查记录（{rows.length}）</h2>
          <DataTable
            heads={["编号", "范围", "收件期间", "样本/总数", "已检查", "不合格", "种子", "抽取人", "时间"]}
            count={rows.length}
            empty="尚无抽查记录。"
            id="spot-checks"
          >
            {rows.map((r) => (
              <tr data-id={r.id}>
                <td>
                  <a href={`/spot-checks/${r.id}`}>第 {r.id} 号</a>
                </td>
                <td>{scopeText(r.scope)}</td>
                <td class="nowrap">{r.from} 至 {r.to}</td>
                <td>{r.sampled}/{r.population}</td>
                <td>{r.checked}</td>
                <td class={r.nonconforming > 0 ? "tone-red" : ""}>{r.nonconforming}</td>
                <td>
                  <code>{r.seed}</code>
                </td>
                <td>{actorLabel({ by: r.createdBy, byOffice: r.createdByOffice })}</td>
                <td class="nowrap">{shanghaiMinute(r.createdAt)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      </main>
    </Layout>
  );
}

function Facts({ v }: { v: SpotCheckView }) {
  return (
    <dl class="facts">
      <dt>范围</dt>
      <dd>{scopeText(v.scope)}</dd>
      <dt>收件期间</dt>
      <dd>{v.from} 至 {v.to}</dd>
      <dt>总体/样本</dt>
      <dd>{v.population} 件中抽取 {v.sample.length} 件（要求 {v.size} 件）</dd>
      <dt>随机种子</dt>
      <dd>
        <code data-seed={v.seed}>{v.seed}</code>
      </dd>
      <dt>抽取人</dt>
      <dd>{actorLabel({ by: v.createdBy, byOffice: v.createdByOffice })}，{shanghaiMinute(v.createdAt)}</dd>
    </dl>
  );
}

function Summary({ v }: { v: SpotCheckView }) {
  const s = v.summary;
  return (
    <table class="data" id="summary">
      <thead>
        <tr>
          <th>部门</th>
          <th>抽取</th>
          <th>已检查</th>
          <th>不合格</th>
        </tr>
      </thead>
      <tbody>
        {s.byDepartment.map((d) => (
          <tr>
            <td>{d.name ?? d.department ?? "—"}</td>
            <td>{d.sampled}</td>
            <td>{d.checked}</td>
            <td>{d.nonconforming}</td>
          </tr>
        ))}
        <tr class="total">
          <td>合计</td>
          <td data-sampled={s.sampled}>{s.sampled}</td>
          <td data-checked={s.checked}>{s.checked}</td>
          <td data-nonconforming={s.nonconforming}>{s.nonconforming}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** The sample table's columns, shared by the page and the printed report. */
const SAMPLE_HEADS = ["序号", "办件编号", "部门", "结果", "说明", "检查人"];
const EMPTY_SAMPLE = "该范围、该期间没有收件，样本为空。";

/** One sampled case's cells, as the page (case linked, result coloured) and the report show them. */
function SampleCells({ s, link = false }: { s: SpotCheckView["sample"][number]; link?: boolean }) {
  return (
    <>
      <td data-label="序号">{s.position}</td>
      <td data-label="办件编号">
        {link ? <a href={`/cases/${encodeURIComponent(s.case)}`}>{s.case}</a> : s.case}
      </td>
      <td data-label="部门">{s.departmentName ?? s.department ?? "—"}</td>
      <td
        data-label="结果"
        class={link
          ? (s.result === "nonconforming" ? "tone-red" : s.result ? "tone-ok" : "muted")
          : undefined}
      >
        {s.result ? RESULT_LABELS[s.result] : "未检查"}
      </td>
      <td data-label="说明">{s.note}</td>
      <td data-label="检查人">
        {s.by ? `${actorLabel({ by: s.by, byOffice: s.byOffice })} ${shanghaiMinute(s.at)}` : ""}
      </td>
    </>
  );
}

/** Props of {@linkcode SpotCheckPage}. */
export interface SpotCheckPageProps {
  view: SpotCheckView;
  csrf: string | null;
  manifest: Manifest;
  /** Whether supervision orders can be opened from nonconforming results. */
  canOrder: boolean;
  /** Orders already opened from this spot check, by case. */
  orders: Map<string, { id: number; state: string }>;
  ok?: string;
  error?: string;
}

/** One spot check: facts, summary, the sample with its result forms. */
export function SpotCheckPage({ view: v, csrf, manifest, canOrder, orders, ok, error }: SpotCheckPageProps) {
  return (
    <Layout title={`随机抽查第 ${v.id} 号 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/spot-checks">随机抽查</a>
          <a href={`/spot-checks/${v.id}/print`}>打印报告</a>
          <a href={`/api/v1/spot-checks/${v.id}/export?format=xlsx`} download>导出 XLSX</a>
          <a href={`/api/v1/spot-checks/${v.id}/export?format=csv`} download>导出 CSV</a>
        </nav>
        <h1>随机抽查第 {v.id} 号</h1>
        <Flash ok={ok} error={error} />
        <Facts v={v} />
        <h2>汇总</h2>
        <Summary v={v} />
        <h2>样本（{v.sample.length}）</h2>
        <DataTable
          heads={[...SAMPLE_HEADS, "录入结果"]}
          count={v.sample.length}
          empty={EMPTY_SAMPLE}
          id="sample"
        >
          {v.sample.map((s) => {
            const order = orders.get(s.case);
            return (
              <tr data-case={s.case} data-result={s.result ?? ""}>
                <SampleCells s={s} link />
                <td data-label="录入结果">
                  <form
                    method="post"
                    action={`/spot-checks/${v.id}/results`}
                    class="decision result-form"
                  >
                    {csrf && <input type="hidden" name={CSRF_FIELD} value={csrf} />}
                    <input type="hidden" name="case" value={s.case} />
                    <select name="result" aria-label="结果">
                      <option value="conforming" selected={s.result !== "nonconforming"}>合格</option>
                      <option value="nonconforming" selected={s.result === "nonconforming"}>
                        不合格
                      </option>
                    </select>
                    <input
                      name="note"
                      maxLength={4000}
                      placeholder="说明（不合格必填）"
                      aria-label="说明"
                    />
                    <button type="submit">{s.result ? "更正" : "录入"}</button>
                  </form>
                  {s.result === "nonconforming" && canOrder && (order
                    ? (
                      <a class="order-link" href={`/orders/${order.id}`}>
                        已督办（第 {order.id} 号）
                      </a>
                    )
                    : (
                      <a
                        class="order-link"
                        href={`/orders/new?spotCheck=${v.id}&case=${encodeURIComponent(s.case)}`}
                      >
                        开具督办
                      </a>
                    ))}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </main>
    </Layout>
  );
}

/** The printable report (打印: the browser's print; the page is laid out for paper). */
export function SpotCheckPrintPage({ view: v, manifest, printedAt }: {
  view: SpotCheckView;
  manifest: Manifest;
  printedAt: string;
}) {
  return (
    <Layout title={`随机抽查报告第 ${v.id} 号 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page supervision print-report">
        <nav class="crumbs no-print">
          <a href={`/spot-checks/${v.id}`}>返回抽查</a>
          <span>使用浏览器的打印功能（Ctrl+P）打印本报告</span>
        </nav>
        <h1>政务服务随机抽查报告（第 {v.id} 号）</h1>
        <Facts v={v} />
        <h2>汇总</h2>
        <Summary v={v} />
        <h2>抽查明细</h2>
        <DataTable heads={SAMPLE_HEADS} count={v.sample.length} empty={EMPTY_SAMPLE} id="sample">
          {v.sample.map((s) => (
            <tr>
              <SampleCells s={s} />
            </tr>
          ))}
        </DataTable>
        <p class="muted">打印时间：{printedAt}。复现方法：按 SHA-256(种子:办件编号) 升序取前 {v.size} 件。</p>
      </main>
    </Layout>
  );
}
