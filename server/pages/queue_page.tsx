/**
 * The manual supervision queue (人工监察队列): open items from 8.2a/8.2b, 9.9 feedback and 9.10
 * investigations, oldest first, with their age in working days and a link to the case.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { ruleName } from "../../rules/names.ts";
import type { QueueRow } from "./case_data.ts";
import { instant } from "./case_page.tsx";
import { label, MANUAL_KIND_LABELS } from "./case_labels.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** The queue page. */
export function QueuePage({ rows, manifest }: { rows: QueueRow[]; manifest: Manifest }) {
  return (
    <Layout title={`人工监察队列 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page">
        <nav class="crumbs">
          <a href="/">首页</a>
          <a href="/cases">办件列表</a>
        </nav>
        <h1>人工监察队列（{rows.length}）</h1>
        {rows.length === 0 ? <p class="empty">没有待处理的人工监察事项。</p> : (
          <table class="data queue">
            <thead>
              <tr>
                <th>办件编号</th>
                <th>规则</th>
                <th>事由</th>
                <th>部门</th>
                <th>启动时间</th>
                <th>已等待</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                <tr key={i} data-case={r.caseId} data-kind={r.kind}>
                  <td>
                    <a href={`/cases/${encodeURIComponent(r.caseId)}#manual`}>{r.caseId}</a>
                  </td>
                  <td>
                    <span class="rule-id">{r.rule}</span> {ruleName(r.rule)}
                  </td>
                  <td>{label(MANUAL_KIND_LABELS, r.kind)}{r.subject ? `（${r.subject}）` : ""}</td>
                  <td>{r.departmentName ?? ""}</td>
                  <td>{instant(r.openedAt)}</td>
                  <td class={r.ageWorkdays > 5 ? "tone-red" : ""} data-age={r.ageWorkdays}>
                    {r.ageWorkdays} 个工作日
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </Layout>
  );
}
