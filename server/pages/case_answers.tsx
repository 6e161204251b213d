/**
 * The case page's "原因与处理" section: for each active alert, why it was raised and what clears it by
 * when (server/pages/alert_guidance.ts); for each finding, its 9.10 appeal window; the department's
 * explanations (情况说明) on both, with who and when — and, for the department's staff, the forms to
 * add an explanation and to file the appeal (plain form posts with the CSRF token).
 *
 * @module
 */
import { ruleName } from "../../rules/names.ts";
import { alertKey } from "../../rules/alert_key.ts";
import type { Explanation } from "../cases/answers.ts";
import type { CasePageData } from "./case_data.ts";
import type { FormContext } from "./case_forms.tsx";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { FINDING_STATE_LABELS, LEVEL_LABELS } from "./case_labels.ts";
import { md } from "./alert_guidance.ts";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";

/** Props of {@linkcode CaseAnswers}. */
export interface CaseAnswersProps {
  data: CasePageData;
  ctx: FormContext;
  canExplain: boolean;
  canAppeal: boolean;
}

function Explanations({ list }: { list: Explanation[] }) {
  if (list.length === 0) return null;
  return (
    <ul class="explanations">
      {list.map((e) => (
        <li key={e.id} data-explanation={e.id}>
          <span class="muted">
            情况说明 · {e.byName ?? e.by}（{e.by}）·{" "}
            {shanghaiInstant(e.at.getTime()).slice(0, 16).replace("T", " ")}
          </span>
          <p>{e.text}</p>
        </li>
      ))}
    </ul>
  );
}

function Hidden({ ctx, fields }: { ctx: FormContext; fields: Record<string, string> }) {
  return (
    <>
      {ctx.csrf && <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />}
      {Object.entries(fields).map(([k, v]) => <input key={k} type="hidden" name={k} value={v} />)}
    </>
  );
}

function ExplainForm({ ctx, fields }: { ctx: FormContext; fields: Record<string, string> }) {
  return (
    <details class="answer-form">
      <summary>提交情况说明</summary>
      <form method="post" action={`/cases/${encodeURIComponent(ctx.caseId)}/explanations`} class="explain">
        <Hidden ctx={ctx} fields={fields} />
        <label>
          情况说明
          <textarea name="text" rows={3} maxLength={2000} required placeholder="说明原因及已采取的措施" />
        </label>
        <button type="submit">提交情况说明</button>
      </form>
    </details>
  );
}

/** The section. */
export function CaseAnswers({ data, ctx, canExplain, canAppeal }: CaseAnswersProps) {
  const today = dateIn(data.now);
  const of = (kind: string, rule: string, on: string, subject = "", level = "") =>
    data.explanations.filter((e) =>
      e.kind === kind && e.rule === rule && e.on === on && e.subject === subject && e.level === level
    );
  if (data.guidance.length === 0 && data.findings.length === 0 && data.explanations.length === 0) return null;
  return (
    <section id="answers">
      <h2>原因与处理</h2>
      {data.guidance.map(({ alert: a, guidance: g }) => (
        <article
          key={alertKey({ ...a, case: data.caseId })}
          class={`answer level-${a.level}`}
          data-rule={a.rule}
          data-level={a.level}
        >
          <h3>
            <span class={`badge badge-${a.level}`}>{LEVEL_LABELS[a.level]}</span> {a.rule} {ruleName(a.rule)}
            {a.subject && <span class="muted">（{a.subject}）</span>}
          </h3>
          <p class="why">{g.why}。</p>
          <p class="todo">
            <strong>处理：</strong>
            {g.todo}。{g.deadline}
          </p>
          <Explanations list={of("alert", a.rule, a.on, a.subject ?? "", a.level)} />
          {canExplain && (
            <ExplainForm
              ctx={ctx}
              fields={{ kind: "alert", rule: a.rule, subject: a.subject ?? "", level: a.level, on: a.on }}
            />
          )}
        </article>
      ))}
      {data.findings.map(({ finding: f, appeal: w }) => {
        const state = f.transitions.at(-1)!.state;
        return (
          <article key={`${f.rule}|${f.on}`} class="answer finding" data-finding={f.rule} data-state={state}>
            <h3>
              {f.rule} {ruleName(f.rule)}{" "}
              <span class="muted">· {FINDING_STATE_LABELS[state]}（评价于 {md(f.on, today)}）</span>
            </h3>
            {w && (
              <p class="appeal-window">
                {w.open
                  ? `可于 ${md(w.until, today)}（含）前申诉（${
                    md(w.judged, today)
                  }判定为异常，10 个工作日内）。`
                  : state === "abnormal"
                  ? `申诉期限已过：${md(w.judged, today)}判定为异常，应在 ${md(w.until, today)}（含）前申诉。`
                  : ""}
              </p>
            )}
            <Explanations list={of("finding", f.rule, f.on)} />
            {canExplain && <ExplainForm ctx={ctx} fields={{ kind: "finding", rule: f.rule, on: f.on }} />}
            {canAppeal && w?.open && (
              <details class="answer-form" open>
                <summary>申诉（9.10）</summary>
                <form
                  method="post"
                  action={`/cases/${encodeURIComponent(ctx.caseId)}/appeals`}
                  class="appeal"
                >
                  <Hidden ctx={ctx} fields={{ rule: f.rule }} />
                  <label>
                    申诉理由
                    <textarea
                      name="text"
                      rows={3}
                      maxLength={2000}
                      required
                      placeholder="说明评价与事实不符之处"
                    />
                  </label>
                  <button type="submit">提交申诉</button>
                </form>
              </details>
            )}
          </article>
        );
      })}
    </section>
  );
}
