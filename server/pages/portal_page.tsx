/**
 * The work portal's outbox (统一工作门户消息) for administrators: how many messages are pending, sent
 * and failed, the latest of them with their tries and last error, and a retry button on unsent ones.
 * Without a configured webhook the page says so: the messages wait here, nothing pretends to send.
 *
 * @module
 */
import { DataTable } from "./data_table.tsx";
import type { OutboxRow, OutboxState } from "../portal/outbox.ts";
import { AdminShell, Csrf, when } from "./admin_shell.tsx";
import type { Manifest } from "./layout.tsx";

/** Props of {@linkcode PortalPage}. */
export interface PortalPageProps {
  configured: boolean;
  maxAttempts: number;
  counts: { pending: number; retrying: number; sent: number; sentToday: number; failed: number };
  rows: OutboxRow[];
  state: OutboxState;
  csrf: string | null;
  manifest: Manifest;
  ok?: string;
}

const STATES: [OutboxState, string][] = [["pending", "待发送"], ["failed", "发送失败"], ["sent", "已发送"], [
  "all",
  "全部",
]];
const KINDS: Record<string, string> = { "8.1-warning": "8.1 预警", order: "督办" };

/** The outbox page. */
export function PortalPage(props: PortalPageProps) {
  const banner = props.ok ? { tone: "ok" as const, text: props.ok } : props.configured ? undefined : {
    tone: "warning" as const,
    text:
      "未配置统一工作门户接口地址（PORTAL_WEBHOOK_URL）：消息保存在此，尚未发送。配置后重启服务即开始投递。",
  };
  return (
    <AdminShell title="门户消息" section="/admin/portal" manifest={props.manifest} banner={banner}>
      <div class="supervision">
        <dl class="facts" id="portal-counts">
          <dt>待发送</dt>
          <dd data-count="pending">{props.counts.pending}（其中重试中 {props.counts.retrying}）</dd>
          <dt>已发送</dt>
          <dd data-count="sent">{props.counts.sent}（今日 {props.counts.sentToday}）</dd>
          <dt>发送失败</dt>
          <dd data-count="failed" class={props.counts.failed ? "tone-red" : ""}>{props.counts.failed}</dd>
          <dt>投递</dt>
          <dd>{props.configured ? `已启用，失败后退避重试，最多 ${props.maxAttempts} 次` : "未启用"}</dd>
        </dl>
        <nav class="crumbs">
          {STATES.map(([s, l]) => (
            <a href={`/admin/portal?state=${s}`} aria-current={s === props.state ? "page" : undefined}>{l}</a>
          ))}
        </nav>
        <DataTable
          heads={["编号", "类型", "办件", "部门", "消息", "状态", "尝试", "最近尝试", "下次尝试", "错误", ""]}
          count={props.rows.length}
          empty="没有消息。"
          id="outbox"
        >
          {props.rows.map((r) => (
            <tr data-id={r.id} data-state={r.state}>
              <td data-label="编号">{r.id}</td>
              <td class="nowrap" data-label="类型">{KINDS[r.kind] ?? r.kind}</td>
              <td data-label="办件">{r.case}</td>
              <td data-label="部门">{r.departmentName ?? r.department ?? "—"}</td>
              <td data-label="消息">{r.text}</td>
              <td data-label="状态">
                <span class={`state state-${r.state}`}>{STATES.find(([s]) => s === r.state)?.[1]}</span>
              </td>
              <td data-label="尝试">{r.attempts}</td>
              <td class="nowrap" data-label="最近尝试">{when(r.lastAttemptAt)}</td>
              <td class="nowrap" data-label="下次尝试">
                {r.state === "pending" ? when(r.nextAttemptAt) : "—"}
              </td>
              <td data-label="错误">{r.lastError ?? ""}</td>
              <td>
                {(r.state === "failed" || (r.state === "pending" && props.configured)) && (
                  <form method="post" action={`/admin/portal/${r.id}/retry`}>
                    <Csrf token={props.csrf} />
                    <button type="submit">{r.state === "failed" ? "重新发送" : "立即重试"}</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      </div>
    </AdminShell>
  );
}
