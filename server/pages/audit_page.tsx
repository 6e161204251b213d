/**
 * The audit trail for the provincial agency (`/audit`): who did what, when, from where — filtered by
 * actor, action (prefix, e.g. `item.` or `review`), and period; newest first, 100 a page, with the
 * chain check's result on top.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Layout, PRODUCT_NAME } from "./layout.tsx";
import { type PrincipalRole, ROLE_NAMES } from "../auth/roles.ts";
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

const OBJECTS: Record<string, string> = {
  item: "事项",
  department: "部门",
  hall: "大厅",
  region: "行政区划",
  calendar: "节假日安排",
  user: "用户账户",
  key: "接入密钥",
  display_token: "大屏令牌",
  login: "登录",
  case: "办件",
  order: "督办",
  spotcheck: "随机抽查",
  queue: "人工监察",
  portal: "门户推送",
  ranking: "排名",
  review: "监察处理",
};
const VERBS: Record<string, string> = {
  create: "创建",
  update: "修改",
  upsert: "导入或更新",
  import: "导入",
  revoke: "停用",
  use: "使用",
  success: "成功",
  failure: "失败",
  throttled: "限流",
  appeal: "申诉",
  explanation: "情况说明",
  review: "监察处理",
  record: "记录",
  accept: "验收",
  issue: "下达",
  overdue: "逾期",
  reply: "反馈",
  return: "退回",
  retry: "重试",
  assign: "分配",
  resolve_conflict: "处理数据冲突",
  weights: "权重调整",
  bootstrap: "初始化",
  result: "结果",
};

/** A batch import's target ("7 items", server/reference_io/save.ts) in words; any other as it is. */
const BATCH: Record<string, string> = {
  items: "事项",
  departments: "部门",
  halls: "大厅",
  regions: "行政区划",
};
function targetLabel(target: string): string {
  const m = /^(\d+) (items|departments|halls|regions)$/.exec(target);
  return m ? `${m[1]} 个${BATCH[m[2]]}` : target;
}

/** An action code in words ("item.upsert" → "事项·导入或更新"); an unknown code as it is. */
export function actionLabel(action: string): string {
  const [object, verb] = action.split(".", 2);
  const o = OBJECTS[object];
  if (!o) return action;
  if (verb === undefined) return o;
  return VERBS[verb] ? `${o}·${VERBS[verb]}` : action;
}

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
        <table class="data audit-table" id="audit">
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
                <td data-label="编号" class="num">{r.id}</td>
                <td data-label="时间" class="num">{when(r.at)}</td>
                <td data-label="操作人">{r.actor}（{ROLE_NAMES[r.role as PrincipalRole] ?? r.role}）</td>
                <td data-label="操作" title={r.action}>{actionLabel(r.action)}</td>
                <td data-label="对象">{targetLabel(r.target)}</td>
                <td data-label="详情">
                  {/* The stored record as it is (machine data), behind a Chinese label. */}
                  <details>
                    <summary>原始记录</summary>
                    <code>{JSON.stringify(r.detail)}</code>
                  </details>
                </td>
                <td data-label="来源地址">{r.ip === null ? "—" : r.ip === "unknown" ? "未知" : r.ip}</td>
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
