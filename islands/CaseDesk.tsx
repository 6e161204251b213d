/**
 * The departments' live countdown desk (`/cases`): one page of the case list, kept current from the
 * live stream. Any `counts` or `changed` message of the user's scope (and each midnight, when every
 * countdown steps) reads the same page again from `GET /api/v1/cases`, so a new case appears, a
 * changed one moves to its place and a completed one leaves the "in progress" view without a reload.
 * The figures are the server's (the evaluator's, server/cases/list_query.ts); nothing is counted here.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import type { CaseListRow } from "../server/cases/list_query.ts";
import {
  countdown,
  hasActiveWarning81,
  label,
  LEVEL_LABELS,
  STATUS_LABELS,
} from "../server/pages/case_labels.ts";
import { isActive } from "../rules/active_alerts.ts";
import { ruleName } from "../rules/names.ts";
import { alertKey } from "../rules/alert_key.ts";
import { msToMidnight, timeLeftToday } from "./desk_time.ts";
import { formatTotal } from "./format.ts";
import { connectLiveFeed, type FeedStatus } from "./live_feed.ts";
import { SSE_EVENTS } from "../server/live/wire.ts";

/** One page of the list as the API answers it. */
export interface DeskPage {
  cases: CaseListRow[];
  next: string | null;
  prev: string | null;
  total: number;
  /** The total is a floor: the count stopped there (a search or a detailed filter). */
  totalCapped: boolean;
}

/** Props of {@linkcode CaseDesk}. */
export interface CaseDeskProps {
  page: DeskPage;
  /** The list's query string without `cursor` (filters, sort, limit). */
  query: string;
  cursor: string | null;
  streamUrl: string;
  /** The server's instant at render (epoch ms): the page's clock. */
  now: number;
  showDepartment: boolean;
}

/** The page's query asking for masked names, as the server rendered them. */
const maskedQuery = (query: string) => `${query}${query ? "&" : ""}names=masked`;

const withCursor = (base: string, query: string, cursor: string | null) =>
  `${base}?${query}${cursor ? `${query ? "&" : ""}cursor=${encodeURIComponent(cursor)}` : ""}`;

const STATUS_TEXT: Record<FeedStatus, string> = {
  connecting: "正在连接实时推送…",
  live: "实时更新中",
  reconnecting: "实时推送中断，正在重新连接…",
};

/** The countdown desk island. */
export function CaseDesk(props: CaseDeskProps) {
  const page = useSignal<DeskPage>(props.page);
  const status = useSignal<FeedStatus>("connecting");
  const now = useSignal(props.now);

  useEffect(() => {
    const skew = props.now - Date.now();
    const clock = () => Date.now() + skew;
    let pending: ReturnType<typeof setTimeout> | null = null;
    let controller: AbortController | null = null;
    const reload = () => {
      if (pending !== null) return;
      // Coalesce a burst of messages into one read.
      pending = setTimeout(async () => {
        pending = null;
        controller?.abort();
        controller = new AbortController();
        try {
          const res = await fetch(withCursor("/api/v1/cases", maskedQuery(props.query), props.cursor), {
            signal: controller.signal,
            headers: { accept: "application/json" },
          });
          if (res.ok) page.value = await res.json();
        } catch {
          // Aborted by a newer read, or offline: the next message reads again.
        }
      }, 150);
    };
    const tick = setInterval(() => (now.value = clock()), 30_000);
    let midnight: ReturnType<typeof setTimeout>;
    const atMidnight = () => {
      midnight = setTimeout(() => {
        now.value = clock();
        reload();
        atMidnight();
      }, msToMidnight(clock()) + 1000);
    };
    atMidnight();
    const disconnect = connectLiveFeed({
      url: props.streamUrl,
      onStatus: (s) => (status.value = s),
      on: { [SSE_EVENTS.counts]: reload, [SSE_EVENTS.changed]: reload, [SSE_EVENTS.alert]: reload },
    });
    return () => {
      disconnect();
      clearInterval(tick);
      clearTimeout(midnight);
      if (pending !== null) clearTimeout(pending);
      controller?.abort();
    };
  }, [props.query, props.cursor, props.streamUrl]);

  const p = page.value;
  return (
    <div class="case-desk">
      <p class="desk-summary">
        <span>
          共{" "}
          <strong
            data-total={p.total}
            data-capped={p.totalCapped ? "" : undefined}
            title={p.totalCapped
              ? `至少 ${formatTotal(p.total, false)} 件（只计数到此），可缩小筛选条件`
              : undefined}
          >
            {formatTotal(p.total, p.totalCapped)}
          </strong>{" "}
          件，本页 {p.cases.length} 件
        </span>
        <span class={`feed-state feed-${status.value}`} role="status">{STATUS_TEXT[status.value]}</span>
      </p>
      {p.cases.length === 0 ? <p class="empty">没有符合条件的办件。</p> : (
        <table class="data cases">
          <thead>
            <tr>
              <th>办件编号</th>
              <th>事项</th>
              {props.showDepartment && <th>部门</th>}
              <th>申请人</th>
              <th>收件日期</th>
              <th>状态</th>
              <th>办理期限</th>
              <th>所剩时限</th>
              <th>当前预警/红牌</th>
            </tr>
          </thead>
          <tbody>
            {p.cases.map((r) => (
              <CaseRow key={r.case} row={r} now={now.value} showDepartment={props.showDepartment} />
            ))}
          </tbody>
        </table>
      )}
      <nav class="pager" aria-label="翻页">
        {p.prev
          ? <a rel="prev" href={withCursor("/cases", props.query, p.prev)}>‹ 上一页</a>
          : <span class="muted">已是第一页</span>}
        {p.next
          ? <a rel="next" href={withCursor("/cases", props.query, p.next)}>下一页 ›</a>
          : <span class="muted">已是最后一页</span>}
      </nav>
    </div>
  );
}

function CaseRow(
  { row: r, now, showDepartment }: { row: CaseListRow; now: number; showDepartment: boolean },
) {
  const cd = countdown(r.status, r.remaining, r.paused, hasActiveWarning81(r.alerts));
  const running = r.status === "accepted" && !r.paused;
  const active = r.alerts.filter(isActive);
  return (
    <tr
      data-case={r.case}
      data-remaining={r.remaining ?? ""}
      data-status={r.status}
      data-paused={r.paused ? "true" : "false"}
      class={`case-row tone-row-${cd.tone}`}
    >
      <td data-label="办件编号">
        <a href={`/cases/${encodeURIComponent(r.case)}`} class="case-id">{r.case}</a>
      </td>
      <td data-label="事项">{r.itemName ?? r.itemCode ?? ""}</td>
      {showDepartment && <td data-label="部门">{r.departmentName ?? r.department ?? ""}</td>}
      <td data-label="申请人">{r.applicant ?? ""}</td>
      <td data-label="收件日期" class="nowrap">{r.receivedOn ?? ""}</td>
      <td data-label="状态" class="nowrap">{label(STATUS_LABELS, r.status)}</td>
      <td data-label="办理期限" class="nowrap">{r.deadline ?? (r.paused ? "暂停中" : "")}</td>
      <td data-label="所剩时限" class={`countdown tone-${cd.tone}`} data-remaining={r.remaining ?? ""}>
        {cd.text}
        {running && r.remaining === 0 && <span class="due-clock">（{timeLeftToday(now)}）</span>}
      </td>
      <td data-label="当前预警/红牌" class="alerts-cell">
        {active.map((a) => (
          <span
            key={alertKey({ ...a, case: r.case })}
            class={`badge ${a.level === "red" ? "badge-red" : "badge-warning"}`}
            title={`${a.on} ${ruleName(a.rule)}`}
          >
            {LEVEL_LABELS[a.level]} {a.rule}
          </span>
        ))}
      </td>
    </tr>
  );
}
