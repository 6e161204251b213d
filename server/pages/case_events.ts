/**
 * The key fields of a timeline event in Chinese, for the case page. The applicant's contact is shown
 * only to callers who see the full applicant (server/auth/scope.ts `seesFullApplicant`); everyone
 * else gets a masked name and no contact.
 *
 * @module
 */
import type { TimedEvent } from "../../rules/timeline.ts";
import type { EvaluationAnswers } from "../../rules/types.ts";
import { maskName } from "../privacy.ts";
import { ACTION_LABELS, CHANNEL_LABELS, DISPOSITION_LABELS, label } from "./case_labels.ts";

const FEE_KINDS: Record<string, string> = { charge: "收费", reduction: "减收", exemption: "免收" };
const TIME_ANSWERS: Record<string, string> = {
  within: "承诺时限内",
  over_promised: "超过承诺时限",
  over_statutory: "超过法定时限",
};
const yesNo = (b: boolean) => (b ? "是" : "否");

/** An applicant's name and contact as the caller may see them. */
function applicant(
  a: { name?: string; contact?: string; kind?: string } | undefined,
  full: boolean,
): string[] {
  if (!a) return [];
  const out: string[] = [];
  if (a.name !== undefined) {
    out.push(
      `申请人：${full ? a.name : maskName(a.name, a.kind === "organization" ? "organization" : "person")}`,
    );
  }
  if (a.contact !== undefined) out.push(full ? `联系方式：${a.contact}` : "联系方式：（已隐藏）");
  return out;
}

/** The answers of an evaluation, in the order of RULES.md §4. */
export function answerLines(e: EvaluationAnswers): string[] {
  const out: string[] = [];
  if (e.satisfied !== undefined) out.push(`满意度：${e.satisfied ? "满意" : "不满意"}`);
  if (e.satisfactionReason) out.push(`不满意理由：${e.satisfactionReason}`);
  if (e.extraMaterials !== undefined) out.push(`多收材料：${yesNo(e.extraMaterials)}`);
  if (e.overcharged !== undefined) out.push(`多收费：${yesNo(e.overcharged)}`);
  if (e.forcedIntermediary !== undefined) out.push(`强制中介：${yesNo(e.forcedIntermediary)}`);
  if (e.time !== undefined) out.push(`办理时限：${label(TIME_ANSWERS, e.time)}`);
  if (e.visits !== undefined) out.push(`窗口跑动：${e.visits} 次`);
  if (e.attitude !== undefined) out.push(`服务态度：${e.attitude === "good" ? "好" : "差"}`);
  if (e.attitudeReason) out.push(`态度差理由：${e.attitudeReason}`);
  if (e.environment !== undefined) out.push(`办事环境：${e.environment === "good" ? "好" : "差"}`);
  if (e.environmentReason) out.push(`环境差理由：${e.environmentReason}`);
  if (e.other) out.push(`其他问题：${e.other}`);
  return out.length ? out : ["全部默认评价"];
}

/** The key fields of one event, one short line each. */
export function eventDetails(e: TimedEvent, full: boolean): string[] {
  switch (e.type) {
    case "received":
      return [
        `事项：${e.item}`,
        `渠道：${label(CHANNEL_LABELS, e.channel)}${e.hall ? `（${e.hall}）` : ""}`,
        ...applicant(e.applicant, full),
      ];
    case "correction_requested":
      return [`补正材料：${e.materials.join("、") || "—"}`];
    case "accepted":
      return e.handler ? [`经办人：${e.handler}`] : [];
    case "rejected":
      return [`不予受理原因：${e.reason || "（未填写）"}`];
    case "special_started":
      return [`程序：${e.procedure}`, `法定/约定截止：${e.until}`];
    case "special_completed":
      return [`程序：${e.procedure}`];
    case "step":
      return [`环节：${e.name}`, `经办人：${e.handler || "（未填写）"}`];
    case "fee":
      return [
        `${label(FEE_KINDS, e.kind)}：${e.amount} 元`,
        `依据：${e.basis || "（未填写）"}`,
      ];
    case "materials_submitted":
      return [`材料：${e.materials.join("、") || "—"}`];
    case "completed":
      return [
        `结果：${e.result === "normal" ? "正常办结" : "非正常办结"}`,
        ...(e.result === "abnormal" ? [`原因：${e.reason || "（未填写）"}`] : []),
      ];
    case "certificate_uploaded":
      return [`照面信息：${Object.entries(e.fields).map(([k, v]) => `${k}=${v}`).join("；") || "—"}`];
    case "amended":
      return [
        ...applicant(e.applicant, full),
        ...(e.steps ? [`环节：${e.steps.map((s) => s.name).join("、")}`] : []),
        ...(e.reason ? [`原因：${e.reason}`] : []),
      ];
    case "evaluation":
    case "second_evaluation":
      return answerLines(e);
    case "appeal":
      return [`申诉规则：${e.rule}`, `申诉内容：${e.text}`];
    case "review":
      return [
        `${label(ACTION_LABELS, e.action)}：${e.rule}${e.subject ? `（${e.subject}）` : ""}`,
        ...(e.abnormal === undefined ? [] : [`结论：${e.abnormal ? "异常" : "不计异常"}`]),
        ...(e.disposition ? [`处理：${label(DISPOSITION_LABELS, e.disposition)}`] : []),
        `处理人：${e.by}`,
        `理由：${e.reason}`,
      ];
    default:
      return [];
  }
}
