/**
 * The case page (办件监察详情): header with the countdown, every alert with its rule's text, every
 * finding with its transitions, refused appeals, manual supervision items, supervisor decisions and
 * the timeline; decision forms for supervisors. Server-rendered, no script.
 *
 * @module
 */
import { DataTable } from "./data_table.tsx";
import type { Manifest } from "./layout.tsx";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { isRuleId, RULE_NAMES, ruleName } from "../../rules/names.ts";
import type { CasePageData } from "./case_data.ts";
import { buildTimeline } from "../../rules/timeline.ts";
import { projectedOf } from "../../rules/evaluate.ts";
import { alertKey } from "../../rules/alert_key.ts";
import { eventDetails } from "./case_events.ts";
import { ConfirmForm, DisposeForm, type FormContext, OutcomeForm, VoidForm } from "./case_forms.tsx";
import {
  ACTION_LABELS,
  countdown,
  DISPOSITION_LABELS,
  EVENT_LABELS,
  FINDING_STATE_LABELS,
  hasActiveWarning81,
  label,
  LEVEL_LABELS,
  MANUAL_KIND_LABELS,
  STATUS_LABELS,
} from "./case_labels.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";
import { CaseAnswers } from "./case_answers.tsx";
import { CaseOrders, OrderLink } from "./order_pages.tsx";

/** Props of {@linkcode CasePage}. */
export interface CasePageProps {
  data: CasePageData;
  /** Whether to show the decision forms (permission `cases:decide`). */
  canDecide: boolean;
  csrf: string | null;
  manifest: Manifest;
  /** A message above the page: a refused decision, or a recorded one. */
  message?: { tone: "error" | "ok"; text: string };
  /** Whether to show the explanation and appeal forms (department staff: `cases:explain`, `cases:appeal`). */
  canExplain?: boolean;
  canAppeal?: boolean;
}

/** `2024-10-15 09:30:00` in Shanghai time. */
export const instant = (ms: number | null | undefined) =>
  ms == null ? "" : shanghaiInstant(ms).slice(0, 19).replace("T", " ");

function RuleCell({ rule }: { rule: string }) {
  return (
    <>
      <span class="rule-id">{rule}</span> {ruleName(rule)}
    </>
  );
}

function Article({ rule }: { rule: string }) {
  if (!isRuleId(rule)) return null;
  const r = RULE_NAMES[rule];
  return (
    <details class="article">
      <summary>{r.title}</summary>
      <p>{r.article}</p>
    </details>
  );
}

/** The case page. */
export function CasePage(
  { data, canDecide, csrf, manifest, message, canExplain = false, canAppeal = false }: CasePageProps,
) {
  const ev = data.evaluation;
  const r = ev.result;
  const cd = countdown(r.status, r.remaining, r.paused, hasActiveWarning81(r.alerts));
  const ctx: FormContext = { caseId: data.caseId, csrf };
  // Dispositions are of red cards; the latest given counts.
  const dispositions = new Map(
    ev.dispositions.map((d) => [alertKey({ ...d, level: "red", case: data.caseId }), d]),
  );
  return (
    <Layout title={`办件 ${data.caseId} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page">
        <nav class="crumbs">
          <a href="/cases">办件列表</a>
          {canDecide && <a href="/queue">人工监察队列</a>}
        </nav>
        <header class="case-header">
          <h1>
            办件 <span class="case-id">{data.caseId}</span>
          </h1>
          <dl class="facts">
            <dt>事项</dt>
            <dd>{data.itemName ?? ev.itemCode ?? "—"}</dd>
            <dt>部门</dt>
            <dd>{data.departmentName ?? ev.department ?? "—"}</dd>
            <dt>大厅</dt>
            <dd>{data.hallName ?? ev.hall ?? "网上/其他渠道"}</dd>
            <dt>状态</dt>
            <dd data-status={r.status}>{label(STATUS_LABELS, r.status)}</dd>
            <dt>办理期限</dt>
            <dd>{r.deadline ?? (r.paused ? "暂停中，待恢复后确定" : "—")}</dd>
            <dt>所剩时限</dt>
            <dd class={`countdown tone-${cd.tone}`} data-remaining={r.remaining ?? ""}>{cd.text}</dd>
            <dt>计时</dt>
            <dd>{r.paused ? "暂停（补正或特别程序）" : "正常"}</dd>
          </dl>
        </header>
        {message && <p class={`notice notice-${message.tone}`} role="alert">{message.text}</p>}
        {ev.calendarMissing.length > 0 && (
          <p class="notice" role="alert" data-calendar-missing={ev.calendarMissing.join(",")}>
            {ev.calendarMissing.map((y) =>
              `${y}年`
            ).join("、")}节假日安排未载入，按周一至周五计算。
          </p>
        )}

        <section id="alerts">
          <h2>预警与红牌（{r.alerts.length}）</h2>
          <DataTable
            heads={[
              "规则",
              "对象",
              "级别",
              "发出",
              "解除",
              "作废",
              "处理",
              "规则条文",
              canDecide && "监察处理",
            ]}
            count={r.alerts.length}
          >
            {r.alerts.map((a, i) => {
              const d = dispositions.get(alertKey({ ...a, case: data.caseId }));
              return (
                <tr
                  key={i}
                  class={`alert-row level-${a.level}${a.voided ? " voided" : ""}`}
                  data-rule={a.rule}
                >
                  <td data-label="规则">
                    <RuleCell rule={a.rule} />
                  </td>
                  <td data-label="对象">{a.subject ?? ""}</td>
                  <td data-label="级别">
                    <span class={`badge badge-${a.level}`}>{LEVEL_LABELS[a.level]}</span>
                  </td>
                  <td data-label="发出" class="nowrap" title={instant(projectedOf(ev, a)?.raisedAt)}>
                    {a.on}
                  </td>
                  <td data-label="解除" class="nowrap">{a.resolved ?? ""}</td>
                  <td data-label="作废" class="nowrap">{a.voided ?? ""}</td>
                  <td data-label="处理">
                    {d ? `${label(DISPOSITION_LABELS, d.disposition)}（${d.by}，${dateIn(d.at)}）` : ""}
                  </td>
                  <td data-label="规则条文">
                    <Article rule={a.rule} />
                  </td>
                  {canDecide && (
                    <td data-label="监察处理">
                      {!a.voided && a.rule.startsWith("8.") && (
                        <>
                          <VoidForm ctx={ctx} rule={a.rule} subject={a.subject} />
                          {a.level === "red" && <DisposeForm ctx={ctx} rule={a.rule} subject={a.subject} />}
                        </>
                      )}
                      {!a.voided && <OrderLink caseId={data.caseId} a={a} />}
                    </td>
                  )}
                </tr>
              );
            })}
          </DataTable>
        </section>

        {data.orders && <CaseOrders orders={data.orders} />}

        <CaseAnswers data={data} ctx={ctx} canExplain={canExplain} canAppeal={canAppeal} />

        <section id="findings">
          <h2>办事评价结果（{ev.findings.length}）</h2>
          <DataTable heads={["规则", "评价日期", "当前状态", "经过", "规则条文"]} count={ev.findings.length}>
            {ev.findings.map((f, i) => {
              const state = f.transitions.at(-1)!.state;
              return (
                <tr key={i} class="finding" data-rule={f.rule} data-state={state}>
                  <td data-label="规则">
                    <RuleCell rule={f.rule} />
                  </td>
                  <td data-label="评价日期">{f.on}</td>
                  <td data-label="当前状态">{FINDING_STATE_LABELS[state]}</td>
                  <td data-label="经过">
                    <ol class="transitions">
                      {f.transitions.map((t, j) => (
                        <li key={j}>
                          {instant(t.at)} {FINDING_STATE_LABELS[t.state]}
                          {t.by ? `（${t.by}${t.reason ? `：${t.reason}` : ""}）` : ""}
                        </li>
                      ))}
                    </ol>
                  </td>
                  <td data-label="规则条文">
                    <Article rule={f.rule} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
          {ev.refusedAppeals.length > 0 && (
            <>
              <h3>未受理的申诉</h3>
              <ul class="refused">
                {ev.refusedAppeals.map((a) => (
                  <li key={a.eventId} data-rule={a.rule}>
                    <RuleCell rule={a.rule} />：{a.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>

        <section id="manual">
          <h2>人工监察（{ev.manual.length}）</h2>
          <DataTable
            heads={["规则", "事由", "启动", "结束", canDecide && "监察处理"]}
            count={ev.manual.length}
          >
            {ev.manual.map((m, i) => (
              <tr key={i} class="manual" data-kind={m.kind} data-open={m.closedAt === null ? "1" : "0"}>
                <td data-label="规则">
                  <RuleCell rule={m.rule} />
                </td>
                <td data-label="事由">
                  {label(MANUAL_KIND_LABELS, m.kind)}
                  {m.subject ? `（${m.subject}）` : ""}
                </td>
                <td data-label="启动">{instant(m.openedAt)}</td>
                <td data-label="结束">{m.closedAt === null ? "进行中" : instant(m.closedAt)}</td>
                {canDecide && (
                  <td data-label="监察处理">
                    {m.closedAt === null && m.kind === "feedback" && (
                      <OutcomeForm ctx={ctx} action="judge" rule={m.rule} subject={m.subject} />
                    )}
                    {m.closedAt === null && m.kind === "investigation" && (
                      <OutcomeForm
                        ctx={ctx}
                        action="close_investigation"
                        rule={m.rule}
                        subject={m.subject}
                      />
                    )}
                    {m.closedAt === null &&
                      (m.kind === "late_correction" || m.kind === "new_materials") && (
                      <>
                        <ConfirmForm ctx={ctx} rule={m.rule} subject={m.subject} />
                        <VoidForm ctx={ctx} rule={m.rule} subject={m.subject} />
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
        </section>

        <section id="reviews">
          <h2>监察处理记录（{ev.reviews.length}）</h2>
          <DataTable heads={["时间", "处理人", "处理", "规则", "结论", "理由"]} count={ev.reviews.length}>
            {ev.reviews.map((rv) => (
              <tr key={rv.eventId} class="review" data-event={rv.eventId}>
                <td data-label="时间">{instant(rv.at)}</td>
                <td data-label="处理人" class="by">{rv.office ? `${rv.office}（${rv.by}）` : rv.by}</td>
                <td data-label="处理">{label(ACTION_LABELS, rv.action)}</td>
                <td data-label="规则">
                  <RuleCell rule={rv.rule} />
                  {rv.subject ? `（${rv.subject}）` : ""}
                </td>
                <td data-label="结论">
                  {rv.disposition ? label(DISPOSITION_LABELS, rv.disposition) : ""}
                  {rv.abnormal === undefined ? "" : rv.abnormal ? "异常" : "不计异常"}
                  {!rv.applied && <span class="note">（未生效：{rv.note ?? "无对应对象"}）</span>}
                </td>
                <td data-label="理由" class="reason">{rv.reason}</td>
              </tr>
            ))}
          </DataTable>
        </section>

        <section id="timeline">
          <h2>办件过程（{ev.timeline.length}）</h2>
          <ol class="timeline">
            {ev.timeline.map((e) => (
              <li key={e.id} data-type={e.type}>
                <time datetime={e.at}>{instant(e.ms)}</time>
                <strong>{label(EVENT_LABELS, e.type)}</strong>
                <span class="details">{eventDetails(e, data.fullApplicant).join("；")}</span>
              </li>
            ))}
          </ol>
        </section>

        {data.quarantined.length > 0 && (
          <section id="quarantined">
            <h2>已隔离事件（{data.quarantined.length}）</h2>
            <p class="empty">已接收并保存，但不参与监察计算。</p>
            <ol class="timeline">
              {data.quarantined.map((q) => {
                const e = buildTimeline([q.event])[0];
                return (
                  <li key={q.id} data-type={q.type}>
                    <time datetime={q.at}>{instant(e.ms)}</time>
                    <strong>{label(EVENT_LABELS, q.type)}</strong>
                    <span class="details">{eventDetails(e, data.fullApplicant).join("；")}</span>
                    <span class="reason">已隔离：{q.reason}</span>
                  </li>
                );
              })}
            </ol>
          </section>
        )}
      </main>
    </Layout>
  );
}
