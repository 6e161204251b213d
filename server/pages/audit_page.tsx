/**
 * The audit trail for the provincial agency (`/audit`): who did what, when, from where — filtered by
 * actor, action (prefix, e.g. `item.` or `review`), and period; newest first, 100 a page, with the
 * chain check's result on top.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Layout, PRODUCT_NAME } from "./layout.tsx";
import { when } from "./admin_shell.tsx";

/** One record as the page shows it. */
export interface AuditRow {
  id: number;
  at: Date | string;
  actor: string;
  role: string;
  action: string;
  target: string;
  detail: unknown;
  ip: string | null;
}

/** Props of {@linkcode AuditPage}. */
export interface AuditPageProps {
  rows: AuditRow[];
  filter: { actor: string; action: string; from: string; to: string };
  /** The `before` of the next page, or null. */
  next: number | null;
  chain: { ok: boolean; checked: number; firstBad?: { id: number; reason: string } };
  error?: string;
  manifest: Manifest;
}

const ACTIONS: [string, string][] = [
  ["", "全部"],
  ["review", "监察处理"],
  ["item.", "事项"],
  ["department.", "部门"],
  ["hall.", "大厅"],
  ["region.", "行政区划"],
  ["calendar.", "节假日安排"],
  ["user.", "用户账户"],
  ["key.", "接入密钥"],
  ["display_token.", "大屏令牌"],
  ["login", "登录"],
];

/** The audit trail page. */
export function AuditPage({ rows, filter, next, chain, error, manifest }: AuditPageProps) {
  const nextHref = next === null
    ? null
    : `/audit?${new URLSearchParams({ ...filter, before: String(next) })}`;
  return (
    <Layout title={`审计记录 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="admin-page audit-page">
        <h1>审计记录</h1>
        <p class={`admin-banner tone-${chain.ok ? "ok" : "error"}`} id="chain">
          {chain.ok
            ? `审计链完整：已校验 ${chain.checked} 条记录，哈希逐条相连。`
            : `审计链异常：第 ${chain.firstBad?.id} 条记录 ${chain.firstBad?.reason}。`}
        </p>
        <form class="audit-filter" method="get" action="/audit">
          <label>
            操作人
            <input name="actor" value={filter.actor} placeholder="用户名" />
          </label>
          <label>
            操作
            <select name="action">
              {ACTIONS.map(([v, l]) => <option key={v} value={v} selected={v === filter.action}>{l}</option>)}
              {!ACTIONS.some(([v]) => v === filter.action) && (
                <option value={filter.action} selected>{filter.action}</option>
              )}
            </select>
          </label>
          <label>
            自
            <input type="date" name="from" value={filter.from} />
          </label>
          <label>
            至
            <input type="date" name="to" value={filter.to} />
          </label>
          <button type="submit">筛选</button>
          <a href="/audit">清除</a>
        </form>
        {error && <p class="admin-banner tone-error" role="alert">{error}</p>}
        <table class="audit-table" id="audit">
          <thead>
            <tr>
              <th>#</th>
              <th>时间</th>
              <th>操作人</th>
              <th>操作</th>
              <th>对象</th>
              <th>详情</th>
              <th>来源地址</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-action={r.action}>
                <td class="num">{r.id}</td>
                <td class="num">{when(r.at)}</td>
                <td>{r.actor}（{r.role}）</td>
                <td>{r.action}</td>
                <td>{r.target}</td>
                <td>
                  <code>{JSON.stringify(r.detail)}</code>
                </td>
                <td>{r.ip ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p class="admin-hint">没有符合条件的记录。</p>}
        {nextHref && (
          <p>
            <a href={nextHref} rel="next">更早的记录 →</a>
          </p>
        )}
      </main>
    </Layout>
  );
}
