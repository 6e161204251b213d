/**
 * The manual supervision queue (人工监察队列) as the agency works it: filters and sort, the follow-up
 * of supervision orders, every open item with its age, review deadline (overdue in red) and
 * assignee, and one form for decisions on the selected items (one reason for all) or their
 * assignment. Server-rendered; the decision is confirmed on the next page.
 *
 * @module
 */
import { ruleName } from "../../rules/names.ts";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { Flash } from "../supervision/page_kit.tsx";
import {
  answersOf,
  QUEUE_ACTIONS,
  type QueueAppeal,
  type QueueFilter,
  type QueueItem,
} from "../supervision/queue.ts";
import type { Explanation } from "../cases/answers.ts";
import { instant } from "./case_page.tsx";
import { label, QUEUE_KIND_LABELS } from "./case_labels.ts";
import { DataTable } from "./data_table.tsx";
import { Layout, type Manifest, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode SupervisionQueuePage}. */
export interface SupervisionQueueProps {
  items: QueueItem[];
  /** Department explanations by case (server/cases/answers.ts); each row shows those of its rule. */
  answers: Map<string, Explanation[]>;
  /** Staff appeals (9.10) by case; each row shows those of its rule. */
  appeals: Map<string, QueueAppeal[]>;
  filter: QueueFilter;
  departments: { code: string; name: string }[];
  regions: { code: string; name: string }[];
  supervisors: { username: string; name: string }[];
  me: string;
  orders: { replied: number; overdue: number };
  csrf: string | null;
  manifest: Manifest;
  ok?: string;
  error?: string;
}

/** The queue table's columns (each cell carries its column's name as `data-label` for phones). */
const QUEUE_HEADS = ["选择", "办件编号", "规则", "事由", "部门", "启动时间", "已等待", "审核期限", "承办人"];

const SORTS: [string, string][] = [["oldest", "等待最久在前"], ["newest", "最新在前"], [
  "due",
  "审核期限最近在前",
]];

function Answers({ list }: { list: Explanation[] }) {
  if (list.length === 0) return null;
  return (
    <ul class="answers" data-answers={list.length}>
      {list.map((e) => (
        <li key={e.id}>
          部门情况说明（{e.byName ? `${e.byName}（${e.by}）` : e.by}，{instant(e.at.getTime())}）：{e.text}
        </li>
      ))}
    </ul>
  );
}

function Appeals({ list }: { list: QueueAppeal[] }) {
  if (list.length === 0) return null;
  return (
    <ul class="answers" data-appeals={list.length}>
      {list.map((a, i) => <li key={i}>部门申诉（{a.by}，{instant(Date.parse(a.at))}）：{a.text}</li>)}
    </ul>
  );
}

/** The queue page. */
export function SupervisionQueuePage(props: SupervisionQueueProps) {
  const f = props.filter;
  const overdue = props.items.filter((i) => i.reviewOverdue).length;
  return (
    <Layout title={`人工监察队列 · ${PRODUCT_NAME}`} manifest={props.manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/cases">办件列表</a>
          <a href="/spot-checks">随机抽查</a>
          <a href="/orders">督办</a>
        </nav>
        <h1>人工监察队列（{props.items.length}）</h1>
        <Flash ok={props.ok} error={props.error} />
        <p id="order-follow-up">
          督办跟进：<a href="/orders?state=replied">待验收 {props.orders.replied} 件</a>
          {"　"}
          <a href="/orders?state=overdue" class={props.orders.overdue ? "tone-red" : ""}>
            逾期未反馈 {props.orders.overdue} 件
          </a>
          {"　"}
          {overdue > 0 && <span class="tone-red">超过审核期限 {overdue} 项</span>}
        </p>
        <form method="get" action="/queue" class="panel-form" id="queue-filters">
          <label>
            类别
            <select name="kind">
              <option value="">全部</option>
              {Object.entries(QUEUE_KIND_LABELS).map(([k, l]) => (
                <option value={k} selected={k === f.kind}>{l}</option>
              ))}
            </select>
          </label>
          <label>
            地区
            <select name="region">
              <option value="">全部</option>
              {props.regions.map((r) => (
                <option value={r.code} selected={r.code === f.region}>{r.name}</option>
              ))}
            </select>
          </label>
          <label>
            部门
            <select name="department">
              <option value="">全部</option>
              {props.departments.map((d) => (
                <option value={d.code} selected={d.code === f.department}>{d.name}</option>
              ))}
            </select>
          </label>
          <label>
            已等待至少（工作日）
            <input type="number" name="minAge" min={0} max={999} value={f.minAge ? String(f.minAge) : ""} />
          </label>
          <label class="check">
            <input type="checkbox" name="overdue" value="1" checked={f.overdue} /> 只看超过审核期限的
          </label>
          <label>
            承办人
            <select name="assignee">
              <option value="">全部</option>
              <option value={props.me} selected={f.assignee === props.me}>我承办的</option>
              <option value="none" selected={f.assignee === "none"}>未分配</option>
              {props.supervisors.filter((s) => s.username !== props.me).map((s) => (
                <option value={s.username} selected={f.assignee === s.username}>
                  {s.name}（{s.username}）
                </option>
              ))}
            </select>
          </label>
          <label>
            排序
            <select name="sort">
              {SORTS.map(([v, l]) => (
                <option key={v} value={v} selected={v === (f.sort ?? "oldest")}>{l}</option>
              ))}
            </select>
          </label>
          <button type="submit">筛选</button>
        </form>
        {props.items.length === 0
          ? <p class="empty">没有符合条件的人工监察事项。</p>
          : (
            <form method="post" action="/queue/decide" id="queue-form">
              {props.csrf && <input type="hidden" name={CSRF_FIELD} value={props.csrf} />}
              <DataTable heads={QUEUE_HEADS} count={props.items.length} class="queue">
                {props.items.map((r) => (
                  <tr
                    key={r.id}
                    class={r.reviewOverdue ? "overdue-review" : undefined}
                    data-id={r.id}
                    data-case={r.caseId}
                    data-kind={r.kind}
                  >
                    <td data-label="选择">
                      <input
                        type="checkbox"
                        name="items"
                        value={String(r.id)}
                        aria-label={`选择 ${r.caseId}`}
                      />
                    </td>
                    <td data-label="办件">
                      <a href={`/cases/${encodeURIComponent(r.caseId)}#manual`}>{r.caseId}</a>
                    </td>
                    <td data-label="规则">
                      {r.rule
                        ? (
                          <>
                            <span class="rule-id">{r.rule}</span> {ruleName(r.rule)}
                          </>
                        )
                        : "—"}
                    </td>
                    <td data-label="事由">
                      {label(QUEUE_KIND_LABELS, r.kind)}
                      {r.subject ? `（${r.subject}）` : ""}
                      <Answers list={answersOf(r, props.answers, props.appeals).explanations} />
                      <Appeals list={answersOf(r, props.answers, props.appeals).appeals} />
                      {r.kind === "data_conflict" && (
                        <a
                          class="button resolve-conflict"
                          href={`/queue/conflicts/${encodeURIComponent(r.caseId)}`}
                        >
                          裁定
                        </a>
                      )}
                    </td>
                    <td data-label="部门">{r.departmentName ?? r.department ?? "—"}</td>
                    <td class="nowrap" data-label="启动">{instant(r.openedAt)}</td>
                    <td data-age={r.ageWorkdays} data-label="已等待">{r.ageWorkdays} 个工作日</td>
                    <td
                      class={`nowrap ${r.reviewOverdue ? "tone-red" : ""}`}
                      data-label="审核期限"
                      data-due={r.reviewDueOn}
                    >
                      {r.reviewDueOn}
                      {r.reviewOverdue ? "（已超期）" : ""}
                    </td>
                    <td data-label="承办人">
                      {r.assignee
                        ? (r.assigneeName ? `${r.assigneeName}（${r.assignee}）` : r.assignee)
                        : "未分配"}
                    </td>
                  </tr>
                ))}
              </DataTable>
              <div class="panel-form" id="bulk">
                <label>
                  对所选事项
                  <select name="action" aria-label="处理">
                    {Object.entries(QUEUE_ACTIONS).map(([k, a]) => (
                      <option key={k} value={k}>{a.label}</option>
                    ))}
                  </select>
                </label>
                <label class="wide">
                  理由（必填，所选事项共用）
                  <input name="reason" maxLength={2000} aria-label="理由" />
                </label>
                <button type="submit" class="primary">处理所选事项</button>
                <label>
                  分配给
                  <select name="assignee" aria-label="承办人">
                    <option value="">（不指定）</option>
                    {props.supervisors.map((s) => (
                      <option key={s.username} value={s.username}>{s.name}（{s.username}）</option>
                    ))}
                  </select>
                </label>
                <label>
                  审核期限
                  <input type="date" name="dueOn" aria-label="审核期限" />
                </label>
                <button type="submit" formaction="/queue/assign" id="assign-button">分配 / 设定期限</button>
              </div>
              <p class="muted">
                处理只作用于与所选处理相符的事项（如"确认预警有效"只作用于
                8.2a/8.2b），其余保持不变并在结果中列出。
              </p>
            </form>
          )}
      </main>
    </Layout>
  );
}
