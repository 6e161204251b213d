/**
 * Rule 8.7 业务办理信息完整性监察: the case's required elements — applicant name and contact, each
 * step's handler, the reason of a rejection (不受理原因), the reason of an abnormal completion
 * (非正常办结原因) — must not be missing (absent or blank).
 *
 * *Decision*: one 8.7 alert (subject null) covers every missing element. It is raised when the first
 * element goes missing, turns red if anything is still missing 3 working days after the warning, and is
 * resolved when `amended` events (or later step events) leave nothing missing. An element that goes
 * missing while the warning is active joins it and does not restart the 3 days.
 *
 * @module
 */
import { escalate } from "./escalation.ts";
import type { Rule, RuleContext } from "./projection.ts";
import { nextSteps, type RecordedStep } from "./rule_8_6.ts";

/** An element rule 8.7 requires. */
export type Element =
  | "applicant_name"
  | "applicant_contact"
  | "step_handler"
  | "rejection_reason"
  | "abnormal_reason";

/** The missing elements after one event of the timeline. */
export interface ElementsAfter {
  ms: number;
  date: string;
  missing: Element[];
}

const blank = (s: string | undefined): boolean => (s ?? "").trim() === "";

/**
 * The missing elements after each event, in timeline order. `amended.applicant` replaces the name or
 * contact it carries; `amended.steps` replaces the steps; `amended.reason` supplies the reason of the
 * rejection or abnormal completion recorded before it.
 */
export function missingElements(ctx: Pick<RuleContext, "timeline" | "received">): ElementsAfter[] {
  let name: string | undefined;
  let contact: string | undefined;
  let received = false;
  let steps: readonly RecordedStep[] = [];
  let rejectionReason = false;
  let abnormalReason = false;
  let stepHandlerBlank = false;
  const out: ElementsAfter[] = [];
  for (const e of ctx.timeline) {
    const before = steps;
    steps = nextSteps(steps, e);
    if (steps !== before) stepHandlerBlank = steps.some((s) => blank(s.handler));
    if (e === ctx.received) {
      received = true;
      ({ name, contact } = ctx.received.applicant);
    } else if (e.type === "rejected") rejectionReason = blank(e.reason);
    else if (e.type === "completed" && e.result === "abnormal") abnormalReason = blank(e.reason);
    else if (e.type === "amended") {
      if (e.applicant?.name !== undefined) name = e.applicant.name;
      if (e.applicant?.contact !== undefined) contact = e.applicant.contact;
      if (!blank(e.reason)) rejectionReason = abnormalReason = false;
    }
    const missing: Element[] = [];
    if (received && blank(name)) missing.push("applicant_name");
    if (received && blank(contact)) missing.push("applicant_contact");
    if (stepHandlerBlank) missing.push("step_handler");
    if (rejectionReason) missing.push("rejection_reason");
    if (abnormalReason) missing.push("abnormal_reason");
    out.push({ ms: e.ms, date: e.date, missing });
  }
  return out;
}

/** Rule 8.7: one alert, subject null, for whatever is missing. */
export const rule87: Rule = (ctx) => {
  const changes = missingElements(ctx).map((s) => ({ ms: s.ms, date: s.date, holds: s.missing.length > 0 }));
  return { alerts: escalate("8.7", null, changes, ctx.calendar) };
};
