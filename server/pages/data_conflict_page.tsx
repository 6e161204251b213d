/**
 * Resolving a data conflict (裁定数据冲突): the claimants of one case number with the departments they
 * named and how many of their events are held, and the form to pick the rightful sender with a
 * reason. The decision is confirmed on the next page.
 *
 * @module
 */
import { CSRF_FIELD } from "../auth/middleware.ts";
import type { ConflictView } from "../supervision/data_conflict_view.ts";
import { Flash } from "../supervision/page_kit.tsx";
import { instant } from "./case_page.tsx";
import { Layout, type Manifest, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode DataConflictPage}. */
export interface DataConflictPageProps {
  conflict: ConflictView;
  csrf: string | null;
  manifest: Manifest;
  error?: string;
}

/** The resolution page. */
export function DataConflictPage({ conflict: c, csrf, manifest, error }: DataConflictPageProps) {
  const path = `/queue/conflicts/${encodeURIComponent(c.caseId)}`;
  return (
    <Layout title={`裁定数据冲突 · ${c.caseId} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/queue?kind=data_conflict">人工监察队列</a>
          <a href={`/cases/${encodeURIComponent(c.caseId)}`}>办件 {c.caseId}</a>
        </nav>
        <h1>裁定数据冲突：{c.caseId}</h1>
        <Flash error={error} />
        <p>
          自 {instant(c.openedAt)} 起，有多个报送方按不同部门报送了此办件编号。目前按{" "}
          <strong>{c.departmentName ?? c.department ?? "—"}</strong>{" "}
          计算，其他报送方的数据已暂存、未参与计算。请指定此办件编号的合法报送方：其暂存的数据将放行并重新计算，其他报送方的数据继续暂存并注明裁定。
        </p>
        <form method="post" action={`${path}/resolve`} class="panel-form" id="resolve-form">
          {csrf && <input type="hidden" name={CSRF_FIELD} value={csrf} />}
          <table class="data">
            <thead>
              <tr>
                <th>选择</th>
                <th>报送方</th>
                <th>报送的部门</th>
                <th>数据（条）</th>
                <th>其中暂存</th>
              </tr>
            </thead>
            <tbody>
              {c.claimants.map((k) => (
                <tr key={k.sender} data-sender={k.sender}>
                  <td data-label="选择">
                    <input
                      type="radio"
                      name="sender"
                      value={k.sender}
                      aria-label={`裁定属于 ${k.sender}`}
                      required
                    />
                  </td>
                  <td data-label="报送方">
                    {k.senderName && k.senderName !== k.sender ? `${k.senderName}（${k.sender}）` : k.sender}
                  </td>
                  <td data-label="报送的部门">{k.departments.map((d) => d.name ?? d.code).join("、")}</td>
                  <td data-label="数据（条）">{k.events}</td>
                  <td data-label="其中暂存" data-held={k.held}>{k.held}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <label class="wide">
            理由（必填）
            <input name="reason" maxLength={2000} required aria-label="理由" />
          </label>
          <button type="submit" class="primary">裁定</button>
        </form>
      </main>
    </Layout>
  );
}
