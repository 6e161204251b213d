/**
 * The supervisor's decision forms on the case page. Each posts to `POST /cases/:case/reviews` (a plain
 * form post, no script) with the session's CSRF token in the `_csrf` field.
 *
 * @module
 */
import { CSRF_FIELD } from "../auth/middleware.ts";

/** What every decision form needs. */
export interface FormContext {
  caseId: string;
  /** The session's CSRF token; null for callers without a session (API keys need none). */
  csrf: string | null;
}

interface DecisionProps {
  ctx: FormContext;
  action: "judge" | "close_investigation" | "confirm" | "void" | "dispose";
  rule: string;
  subject: string | null;
  submit: string;
  /** Extra fields between the hidden ones and the reason. */
  children?: preact.ComponentChildren;
}

function Decision({ ctx, action, rule, subject, submit, children }: DecisionProps) {
  return (
    <form
      method="post"
      action={`/cases/${encodeURIComponent(ctx.caseId)}/reviews`}
      class="decision"
      data-action={action}
      data-rule={rule}
    >
      {ctx.csrf && <input type="hidden" name={CSRF_FIELD} value={ctx.csrf} />}
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="rule" value={rule} />
      {subject !== null && <input type="hidden" name="subject" value={subject} />}
      {children}
      <input name="reason" required maxLength={2000} placeholder="理由（必填）" aria-label="理由" />
      <button type="submit">{submit}</button>
    </form>
  );
}

/** Void an alert (with a reason). */
export function VoidForm({ ctx, rule, subject }: { ctx: FormContext; rule: string; subject: string | null }) {
  return <Decision ctx={ctx} action="void" rule={rule} subject={subject} submit="作废" />;
}

/** Confirm an 8.2a/8.2b warning as valid: closes its manual item, keeps the warning (with a reason). */
export function ConfirmForm(
  { ctx, rule, subject }: { ctx: FormContext; rule: string; subject: string | null },
) {
  return <Decision ctx={ctx} action="confirm" rule={rule} subject={subject} submit="确认预警有效" />;
}

/** Give a red card its disposition (article 11). */
export function DisposeForm(
  { ctx, rule, subject }: { ctx: FormContext; rule: string; subject: string | null },
) {
  return (
    <Decision ctx={ctx} action="dispose" rule={rule} subject={subject} submit="记录处理">
      <select name="disposition" aria-label="处理方式">
        <option value="circulated_criticism">通报批评</option>
        <option value="accountability">追责</option>
      </select>
    </Decision>
  );
}

/** Judge 9.9 feedback, or close an investigation, as abnormal or not. */
export function OutcomeForm(
  { ctx, action, rule, subject }: {
    ctx: FormContext;
    action: "judge" | "close_investigation";
    rule: string;
    subject: string | null;
  },
) {
  return (
    <Decision
      ctx={ctx}
      action={action}
      rule={rule}
      subject={subject}
      submit={action === "judge" ? "记录研判" : "记录核实结论"}
    >
      <select name="abnormal" aria-label="结论">
        <option value="true">纳入异常办件</option>
        <option value="false">不计异常</option>
      </select>
    </Decision>
  );
}
