/**
 * The case list (办件时限一览): the departments' live countdown view — cases in scope sorted by the
 * working days they have left, filterable by department, status and red card. A plain GET form, no script.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { CASE_LIST_LIMIT, type CaseListFilter, type CaseListRow } from "./case_data.ts";
import { countdown, label, STATUS_LABELS } from "./case_labels.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** The status filter's choices. */
export const STATUS_FILTERS: [string, string][] = [
  ["open", "办理中（待受理、受理中）"],
  ["accepted", "受理中"],
  ["received", "待受理"],
  ["completed", "已办结"],
  ["rejected", "不予受理"],
  ["incomplete", "信息不全"],
  ["all", "全部"],
];

/** Props of {@linkcode CaseListPage}. */
export interface CaseListPageProps {
  rows: CaseListRow[];
  truncated: boolean;
  today: string;
  filter: CaseListFilter;
  departments: { code: string; name: string }[];
  canDecide: boolean;
  manifest: Manifest;
}

/** The case list. */
export function CaseListPage(
  { rows, truncated, today, filter, departments, canDecide, manifest }: CaseListPageProps,
) {
  return (
    <Layout title={`办件时限一览 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page">
        <nav class="crumbs">
          <a href="/">首页</a>
          {canDecide && <a href="/queue">人工监察队列</a>}
        </nav>
        <h1>办件时限一览</h1>
        <p class="muted">截至 {today}，按所剩时限由少到多排列。</p>
        <form method="get" action="/cases" class="filters">
          <label>
            部门
            <select name="department">
              <option value="">全部部门</option>
              {departments.map((d) => (
                <option key={d.code} value={d.code} selected={d.code === filter.department}>{d.name}</option>
              ))}
            </select>
          </label>
          <label>
            状态
            <select name="status">
              {STATUS_FILTERS.map(([v, text]) => (
                <option key={v} value={v} selected={v === filter.status}>{text}</option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" name="red" value="1" checked={filter.red} /> 仅看有红牌的办件
          </label>
          <button type="submit">筛选</button>
        </form>
        {rows.length === 0 ? <p class="empty">没有符合条件的办件。</p> : (
          <table class="data cases">
            <thead>
              <tr>
                <th>办件编号</th>
                <th>事项</th>
                <th>部门</th>
                <th>申请人</th>
                <th>收件日期</th>
                <th>状态</th>
                <th>办理期限</th>
                <th>所剩时限</th>
                <th>预警</th>
                <th>红牌</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const cd = countdown(r.status, r.remaining, r.paused);
                return (
                  <tr key={r.caseId} data-case={r.caseId}>
                    <td>
                      <a href={`/cases/${encodeURIComponent(r.caseId)}`}>{r.caseId}</a>
                    </td>
                    <td>{r.itemName ?? ""}</td>
                    <td>{r.departmentName ?? ""}</td>
                    <td>{r.applicant}</td>
                    <td class="nowrap">{r.receivedOn ?? ""}</td>
                    <td class="nowrap">{label(STATUS_LABELS, r.status)}</td>
                    <td class="nowrap">{r.deadline ?? ""}</td>
                    <td class={`countdown tone-${cd.tone}`} data-remaining={r.remaining ?? ""}>{cd.text}</td>
                    <td>{r.warnings || ""}</td>
                    <td>{r.red ? <span class="badge badge-red">{r.red}</span> : ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {truncated && <p class="muted">仅显示最紧迫的 {CASE_LIST_LIMIT} 件，请用筛选缩小范围。</p>}
      </main>
    </Layout>
  );
}
