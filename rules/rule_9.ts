/**
 * Article 9: applicant evaluations (9.1–9.9) and the appeal and second evaluation of 9.10
 * (RULES.md §4).
 *
 * Readings fixed here, where RULES.md is silent:
 * - A reason counts when it holds more than white space; so does 9.9's `other` text.
 * - 9.9 is judged once: the first `review` judge of rule 9.9 after the evaluation decides; a judge
 *   without `abnormal`, or before the evaluation, does nothing.
 * - One appeal per finding: an appeal is accepted only while its finding is `abnormal` and no later
 *   than the end of `addWorkdays(J, 10)`; any other appeal (late, repeated, of a finding that is pending,
 *   dismissed or absent) is refused with a reason and changes nothing.
 * - The first `second_evaluation` after the appeal and within its window decides; one that arrives
 *   before any appeal, or after the window, is ignored. It re-reads the appealed rule only: for 9.9 a
 *   second evaluation that again gives `other` text upholds the finding.
 * - An investigation is closed once, by the first `close_investigation` of that rule after it opened.
 *
 * @module
 */
import { startOfDay } from "./dates.ts";
import type {
  FindingTransition,
  ManualEntry,
  ProjectedFinding,
  RefusedAppeal,
  Rule,
  RuleContext,
} from "./projection.ts";
import { ofType, type TimedOf } from "./timeline.ts";
import type { EvaluationAnswers, IsoDate, Item } from "./types.ts";

/** The evaluation rules 9.1–9.9 in article order. */
export const EVALUATION_RULES = ["9.1", "9.2", "9.3", "9.4", "9.5", "9.6", "9.7", "9.8", "9.9"] as const;

const said = (text: string | undefined): boolean => (text ?? "").trim() !== "";

/** True when the answers make the case abnormal under `rule` (missing answers take their defaults). */
export function triggers(rule: string, a: EvaluationAnswers, item: Item): boolean {
  switch (rule) {
    case "9.1":
      return a.satisfied === false && said(a.satisfactionReason);
    case "9.2":
      return a.extraMaterials === true;
    case "9.3":
      return a.overcharged === true;
    case "9.4":
      return a.forcedIntermediary === true && item.intermediaryFree;
    case "9.5":
      return a.time === "over_promised" || a.time === "over_statutory";
    case "9.6":
      return (a.visits ?? item.promisedVisits) > item.promisedVisits;
    case "9.7":
      return a.attitude === "bad" && said(a.attitudeReason);
    case "9.8":
      return a.environment === "bad" && said(a.environmentReason);
    case "9.9":
      return said(a.other);
    default:
      return false;
  }
}

/** The evaluation rules the answers trigger, in article order. */
export function triggeredRules(a: EvaluationAnswers, item: Item): string[] {
  return EVALUATION_RULES.filter((rule) => triggers(rule, a, item));
}

/** The last day an appeal of a finding judged abnormal on J is in time: `addWorkdays(J, 10)`. */
export function appealDeadline(ctx: Pick<RuleContext, "calendar">, judged: IsoDate): IsoDate {
  return ctx.calendar.addWorkdays(judged, 10);
}

type Appeal = TimedOf<"appeal">;

/** Rule 9: findings of the first evaluation, 9.9 judgments, appeals, second evaluations, investigations. */
export const rule9: Rule = (ctx) => {
  const evaluation = ofType(ctx.timeline, "evaluation")[0];
  const appeals = ofType(ctx.timeline, "appeal");
  const refusedAppeals: RefusedAppeal[] = [];
  const refuse = (a: Appeal, reason: string) => refusedAppeals.push({ eventId: a.id, rule: a.rule, reason });
  if (!evaluation) {
    for (const a of appeals) refuse(a, "本办件尚无评价，没有可申诉的异常评价");
    return { refusedAppeals };
  }
  const reviews = ofType(ctx.timeline, "review");
  const findings: ProjectedFinding[] = [];
  const manual: ManualEntry[] = [];
  // Where in the timeline each finding became abnormal (an index, so ties at one instant keep order).
  const abnormalSince = new Map<string, { index: number; date: IsoDate }>();
  const indexOf = (e: { id: string }) => ctx.timeline.findIndex((x) => x.id === e.id);
  let dismissedAt = Infinity;

  for (const rule of triggeredRules(evaluation, ctx.item)) {
    const finding: ProjectedFinding = { rule, on: evaluation.date, transitions: [] };
    findings.push(finding);
    if (rule !== "9.9") {
      finding.transitions.push({ state: "abnormal", at: evaluation.ms, eventId: evaluation.id });
      abnormalSince.set(rule, { index: indexOf(evaluation), date: evaluation.date });
      continue;
    }
    finding.transitions.push({ state: "pending", at: evaluation.ms, eventId: evaluation.id });
    const judge = reviews.find((r) =>
      r.action === "judge" && r.rule === "9.9" && r.abnormal !== undefined && r.ms >= evaluation.ms
    );
    manual.push({
      rule,
      kind: "feedback",
      subject: null,
      openedAt: evaluation.ms,
      closedAt: judge?.ms ?? null,
    });
    if (!judge) continue;
    finding.transitions.push(decision(judge, judge.abnormal ? "abnormal" : "dismissed"));
    if (judge.abnormal) abnormalSince.set(rule, { index: indexOf(judge), date: judge.date });
    else dismissedAt = indexOf(judge);
  }

  const appealed = new Set<string>();
  for (const appeal of appeals) {
    const finding = findings.find((f) => f.rule === appeal.rule);
    const since = abnormalSince.get(appeal.rule);
    if (!finding) refuse(appeal, `没有可申诉的异常评价：本办件未因规则${appeal.rule}被评为异常`);
    else if (appealed.has(appeal.rule)) refuse(appeal, "该异常评价已申诉，每项异常评价只能申诉一次");
    else if (dismissedAt < indexOf(appeal)) refuse(appeal, "该评价反馈已判定为不属于异常，无需申诉");
    else if (!since || since.index > indexOf(appeal)) refuse(appeal, "该评价反馈尚未被判定为异常，不能申诉");
    else if (appeal.date > appealDeadline(ctx, since.date)) {
      refuse(appeal, `申诉已超过期限：应在${appealDeadline(ctx, since.date)}（含）前提出`);
    } else {
      appealed.add(appeal.rule);
      afterAppeal(ctx, finding, appeal, manual);
    }
  }
  return { findings, manual, refusedAppeals };
};

/** 9.10 after an accepted appeal: the second evaluation decides, else an investigation does. */
function afterAppeal(ctx: RuleContext, finding: ProjectedFinding, appeal: Appeal, manual: ManualEntry[]) {
  finding.transitions.push({ state: "appealed", at: appeal.ms, eventId: appeal.id });
  const windowEnd = ctx.calendar.addWorkdays(appeal.date, 10);
  const second = ofType(ctx.timeline, "second_evaluation")
    .find((s) => s.ms >= appeal.ms && s.date <= windowEnd);
  if (second) {
    const state = triggers(finding.rule, second, ctx.item) ? "upheld" : "overturned";
    finding.transitions.push({ state, at: second.ms, eventId: second.id });
    return;
  }
  const openedAt = startOfDay(ctx.calendar.addWorkdays(appeal.date, 11));
  finding.transitions.push({ state: "investigating", at: openedAt });
  const close = ofType(ctx.timeline, "review").find((r) =>
    r.action === "close_investigation" && r.rule === finding.rule && r.abnormal !== undefined &&
    r.ms >= openedAt
  );
  manual.push({
    rule: finding.rule,
    kind: "investigation",
    subject: null,
    openedAt,
    closedAt: close?.ms ?? null,
  });
  if (close) finding.transitions.push(decision(close, close.abnormal ? "upheld" : "dismissed"));
}

function decision(r: TimedOf<"review">, state: FindingTransition["state"]): FindingTransition {
  return { state, at: r.ms, eventId: r.id, by: r.by, reason: r.reason };
}
