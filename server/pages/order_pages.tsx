/**
 * The supervision order pages (督办): the list (supervisors: every order of the scope with the overdue
 * count per department; department staff: their department's orders), one order with its steps and
 * the forms its reader may use, the issuing form, and the orders section of the case page.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { actorLabel } from "../supervision/common.ts";
import { type OrderView, STATE_NAMES } from "../supervision/orders.ts";
import { Flash } from "../supervision/page_kit.tsx";
import { shanghaiMinute } from "../supervision/spot_check_export.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

const LEVELS: Record<string, string> = { warning: "预警", red: "红牌", spot_check: "抽查不合格" };
const ACTIONS: Record<string, string> = {
  issued: "下达督办",
  replied: "部门反馈",
  returned: "退回重办",
  accepted: "验收办结",
  overdue: "逾期未反馈",
};

/** `8.4 无依据收费 · 红牌` */
export function orderWhat(o: OrderView): string {
  if (o.level === "spot_check") return `随机抽查第 ${o.spotCheck} 号不合格`;
  return `${o.rule} ${o.ruleName} · ${LEVELS[o.level] ?? o.level}（${o.on}${
    o.subject ? `，${o.subject}` : ""
  }）`;
}

/** An order's state as a badge. */
export function StateBadge({ state }: { state: string }) {
  return <span class={`state state-${state}`} data-state={state}>{STATE_NAMES[state] ?? state}</span>;
}

function OrderTable({ orders, showCase = true }: { orders: OrderView[]; showCase?: boolean }) {
  return (
    <table class="data orders">
      <thead>
        <tr>
          <th>编号</th>
          {showCase && <th>办件</th>}
          <th>督办事由</th>
          <th>部门</th>
          <th>下达</th>
          <th>反馈期限</th>
          <th>状态</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr data-order={o.id} data-state={o.state} class={o.state === "overdue" ? "overdue" : ""}>
            <td data-label="编号">
              <a href={`/orders/${o.id}`}>第 {o.id} 号</a>
            </td>
            {showCase && (
              <td data-label="办件">
                <a href={`/cases/${encodeURIComponent(o.case)}`}>{o.case}</a>
              </td>
            )}
            <td data-label="督办事由">{orderWhat(o)}</td>
            <td data-label="部门">{o.departmentName ?? o.department ?? "—"}</td>
            <td data-label="下达">
              {actorLabel({ by: o.issuedBy, byOffice: o.issuedByOffice })} {shanghaiMinute(o.issuedAt)}
            </td>
            <td class="nowrap" data-label="反馈期限">{o.dueOn}</td>
            <td data-label="状态">
              <StateBadge state={o.state} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Props of {@linkcode OrderListPage}. */
export interface OrderListProps {
  orders: OrderView[];
  filter: { state: string; department?: string };
  departments: { code: string; name: string }[];
  /** Overdue orders now, per department (supervisors). */
  overdueByDepartment: { department: string; name: string; count: number }[] | null;
  isDepartment: boolean;
  manifest: Manifest;
  ok?: string;
}

const STATE_FILTERS: [string, string][] = [
  ["active", "未办结"],
  ["overdue", "逾期未反馈"],
  ["open", "待反馈"],
  ["replied", "已反馈待验收"],
  ["closed", "已办结"],
  ["", "全部"],
];

/** The order list. */
export function OrderListPage(props: OrderListProps) {
  return (
    <Layout title={`督办 · ${PRODUCT_NAME}`} manifest={props.manifest}>
      <main class="case-page supervision">
        <h1>{props.isDepartment ? "本部门督办事项" : "督办"}（{props.orders.length}）</h1>
        <Flash ok={props.ok} />
        <form method="get" action="/orders" class="filters panel-form">
          <label>
            状态
            <select name="state">
              {STATE_FILTERS.map(([v, l]) => (
                <option value={v} selected={v === props.filter.state}>{l}</option>
              ))}
            </select>
          </label>
          {!props.isDepartment && (
            <label>
              部门
              <select name="department">
                <option value="">全部部门</option>
                {props.departments.map((d) => (
                  <option value={d.code} selected={d.code === props.filter.department}>{d.name}</option>
                ))}
              </select>
            </label>
          )}
          <button type="submit">筛选</button>
        </form>
        {props.overdueByDepartment && props.overdueByDepartment.length > 0 && (
          <section id="overdue-by-department">
            <h2>逾期未反馈（按部门）</h2>
            <table class="data">
              <thead>
                <tr>
                  <th>部门</th>
                  <th>逾期督办</th>
                </tr>
              </thead>
              <tbody>
                {props.overdueByDepartment.map((d) => (
                  <tr class="overdue">
                    <td>
                      <a href={`/orders?state=overdue&department=${encodeURIComponent(d.department)}`}>
                        {d.name}
                      </a>
                    </td>
                    <td>{d.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        )}
        {props.orders.length === 0
          ? <p class="empty">没有符合条件的督办。</p>
          : <OrderTable orders={props.orders} />}
      </main>
    </Layout>
  );
}

/** Props of {@linkcode OrderPage}. */
export interface OrderPageProps {
  order: OrderView;
  canReply: boolean;
  canDecide: boolean;
  csrf: string | null;
  manifest: Manifest;
  ok?: string;
  error?: string;
}

const Csrf = ({ csrf }: { csrf: string | null }) =>
  csrf ? <input type="hidden" name={CSRF_FIELD} value={csrf} /> : null;

/** One order: facts, steps, and the reply / accept / return forms. */
export function OrderPage({ order: o, canReply, canDecide, csrf, manifest, ok, error }: OrderPageProps) {
  return (
    <Layout title={`督办第 ${o.id} 号 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/orders">督办列表</a>
          <a href={`/cases/${encodeURIComponent(o.case)}`}>办件 {o.case}</a>
          {o.spotCheck && canDecide && <a href={`/spot-checks/${o.spotCheck}`}>随机抽查第 {o.spotCheck} 号
          </a>}
        </nav>
        <h1>
          督办第 {o.id} 号 <StateBadge state={o.state} />
        </h1>
        <Flash ok={ok} error={error} />
        <dl class="facts">
          <dt>办件</dt>
          <dd>{o.case}</dd>
          <dt>被督办部门</dt>
          <dd>{o.departmentName ?? o.department ?? "—"}</dd>
          <dt>督办事由</dt>
          <dd>{orderWhat(o)}</dd>
          <dt>反馈期限</dt>
          <dd class={o.state === "overdue" ? "tone-red" : ""}>{o.dueOn} 前（{o.days} 个工作日）</dd>
          <dt>下达</dt>
          <dd>{actorLabel({ by: o.issuedBy, byOffice: o.issuedByOffice })}，{shanghaiMinute(o.issuedAt)}</dd>
          <dt>督办要求</dt>
          <dd>{o.text}</dd>
        </dl>
        <h2>办理经过</h2>
        <ol class="steps" id="steps">
          {o.steps.map((s) => (
            <li data-action={s.action}>
              <time>{shanghaiMinute(s.at)}</time>
              <strong>{ACTIONS[s.action] ?? s.action}</strong>
              {"　"}
              {actorLabel(s)}
              {s.dueOn && s.action !== "overdue" ? `，期限 ${s.dueOn}` : ""}
              {s.text && <p>{s.text}</p>}
            </li>
          ))}
        </ol>
        {canReply && (o.state === "open" || o.state === "overdue") && (
          <section id="reply">
            <h2>反馈整改情况</h2>
            <form method="post" action={`/orders/${o.id}/reply`} class="panel-form">
              <Csrf csrf={csrf} />
              <label class="wide">
                整改情况（必填）
                <textarea name="text" required maxLength={4000} />
              </label>
              <button type="submit" class="primary">提交反馈</button>
            </form>
          </section>
        )}
        {canDecide && o.state === "replied" && (
          <section id="decide">
            <h2>验收</h2>
            <form method="post" action={`/orders/${o.id}/accept`} class="panel-form" id="accept-form">
              <Csrf csrf={csrf} />
              <label class="wide">
                验收意见（可选）
                <textarea name="text" maxLength={4000} />
              </label>
              <button type="submit" class="primary">验收办结</button>
            </form>
            <form method="post" action={`/orders/${o.id}/return`} class="panel-form" id="return-form">
              <Csrf csrf={csrf} />
              <label class="wide">
                退回理由（必填）
                <textarea name="text" required maxLength={4000} />
              </label>
              <label>
                新的反馈期限（工作日）
                <input type="number" name="days" min={1} max={60} value="5" />
              </label>
              <button type="submit">退回重办</button>
            </form>
          </section>
        )}
      </main>
    </Layout>
  );
}

/** Props of {@linkcode NewOrderPage}. */
export interface NewOrderProps {
  /** The target, as the form's hidden fields. */
  target: Record<string, string>;
  /** What the order is about, for the heading. */
  what: string;
  text: string;
  days: string;
  csrf: string | null;
  manifest: Manifest;
  error?: string;
}

/** The issuing form. */
export function NewOrderPage(props: NewOrderProps) {
  return (
    <Layout title={`下达督办 · ${PRODUCT_NAME}`} manifest={props.manifest}>
      <main class="case-page supervision">
        <nav class="crumbs">
          <a href="/orders">督办列表</a>
          <a href={`/cases/${encodeURIComponent(props.target.case ?? "")}`}>办件 {props.target.case}</a>
        </nav>
        <h1>下达督办</h1>
        <Flash error={props.error} />
        <p>督办事由：{props.what}</p>
        <form method="post" action="/orders" class="panel-form" id="order-form">
          <Csrf csrf={props.csrf} />
          {Object.entries(props.target).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
          <label class="wide">
            督办要求（必填）
            <textarea name="text" required maxLength={4000}>{props.text}</textarea>
          </label>
          <label>
            反馈期限（工作日）
            <input type="number" name="days" min={1} max={60} value={props.days} />
          </label>
          <button type="submit" class="primary">下达督办</button>
        </form>
        <p class="muted">部门须于期限最后一个工作日结束前反馈；逾期未反馈的，自次一工作日 0 时起计为逾期。</p>
      </main>
    </Layout>
  );
}

/** The orders section of the case page. */
export function CaseOrders({ orders }: { orders: OrderView[] }) {
  return (
    <section id="orders">
      <h2>督办（{orders.length}）</h2>
      {orders.length === 0 ? <p class="empty">无</p> : <OrderTable orders={orders} showCase={false} />}
    </section>
  );
}

/** The link that opens the issuing form for an alert of the case page. */
export function OrderLink(
  { caseId, a }: { caseId: string; a: { rule: string; level: string; on: string; subject: string | null } },
) {
  const q = new URLSearchParams({ case: caseId, rule: a.rule, level: a.level, on: a.on });
  if (a.subject) q.set("subject", a.subject);
  return <a class="order-link" href={`/orders/new?${q}`}>下达督办</a>;
}
