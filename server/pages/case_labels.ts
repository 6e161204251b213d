/**
 * Chinese labels of the case pages: statuses, event types, alert levels, finding states, supervisor
 * actions, and the countdown text (所剩时限) shown to departments and supervisors.
 *
 * @module
 */
import type { ManualEntry } from "../../rules/projection.ts";
import { isActive } from "../../rules/active_alerts.ts";
import type { Alert, CaseStatus, EventType, FindingState } from "../../rules/types.ts";

/** Case statuses. */
export const STATUS_LABELS: Record<CaseStatus, string> = {
  received: "待受理",
  accepted: "受理中",
  rejected: "不予受理",
  completed: "已办结",
  incomplete: "信息不全",
};

/** Event types, as the timeline names them. */
export const EVENT_LABELS: Record<EventType, string> = {
  received: "收件",
  correction_requested: "补正告知",
  correction_completed: "补正材料确认",
  accepted: "受理",
  rejected: "不予受理",
  special_started: "特别程序开始",
  special_completed: "特别程序完成",
  step: "办理环节",
  fee: "收费",
  materials_submitted: "提交申请材料",
  completed: "办结",
  certificate_determined: "证照信息确定",
  certificate_uploaded: "证照上传",
  amended: "信息更正",
  evaluation: "办事评价",
  appeal: "申诉",
  second_evaluation: "二次评价",
  review: "监察处理",
};

/** Alert levels. */
export const LEVEL_LABELS: Record<"warning" | "red", string> = { warning: "预警", red: "红牌" };

/** Finding states (RULES.md §4). */
export const FINDING_STATE_LABELS: Record<FindingState, string> = {
  pending: "待研判",
  abnormal: "异常",
  appealed: "已申诉",
  overturned: "申诉改判",
  upheld: "维持异常",
  investigating: "待核实",
  dismissed: "不计异常",
};

/** Supervisor actions. */
export const ACTION_LABELS = {
  judge: "研判反馈",
  close_investigation: "核实结论",
  confirm: "确认有效",
  void: "作废",
  dispose: "红牌处理",
} as const;

/** Red-card dispositions (article 11). */
export const DISPOSITION_LABELS = {
  circulated_criticism: "通报批评",
  accountability: "追责",
} as const;

/** Why a manual supervision item is queued. */
export const MANUAL_KIND_LABELS: Record<ManualEntry["kind"], string> = {
  late_correction: "未及时补正告知",
  new_materials: "二次补正告知新增材料",
  feedback: "其他问题反馈待研判",
  investigation: "申诉后未二次评价，待核实",
};

/** Queue item kinds: the evaluator's, and data conflicts opened by ingestion (server/write/data_conflicts.ts). */
export const QUEUE_KIND_LABELS: Record<string, string> = {
  ...MANUAL_KIND_LABELS,
  data_conflict: "数据冲突：另一报送方按其他部门报送同一办件编号，待裁定",
};

/** Intake channels. */
export const CHANNEL_LABELS: Record<string, string> = { online: "网上", hall: "大厅", other: "其他" };

/** The label of a key that may be unknown (older data): the key itself then. */
export function label(map: Record<string, string>, key: string | null | undefined): string {
  if (key == null) return "";
  return Object.hasOwn(map, key) ? map[key] : key;
}

/** The countdown of a case in words, and how urgent it is (for the colour). */
export interface Countdown {
  text: string;
  tone: "ok" | "due" | "warning" | "red" | "muted";
}

/**
 * 所剩时限 N 个工作日 / 今日到期 / 已超期 N 个工作日, for the case's status and pause state.
 * `remaining` is RULES.md's remaining(D): 0 on the deadline day, negative once overdue. The warning
 * colour follows the case's own active 8.1 warning (the evaluator decides when it is raised; the
 * threshold is not repeated here).
 */
export function countdown(
  status: string,
  remaining: number | null,
  paused: boolean,
  warned: boolean,
): Countdown {
  if (status === "received") return { text: "待受理，未开始计时", tone: "muted" };
  if (status === "incomplete") return { text: "信息不全，未计时", tone: "muted" };
  if (remaining === null) return { text: paused ? "暂停计时" : "—", tone: "muted" };
  if (status === "completed" || status === "rejected") {
    if (remaining < 0) return { text: `超期办结（超期 ${-remaining} 个工作日）`, tone: "red" };
    return {
      text: remaining === 0 ? "按时办结（到期当日）" : `按时办结（提前 ${remaining} 个工作日）`,
      tone: "ok",
    };
  }
  const base = remaining > 0
    ? `所剩时限 ${remaining} 个工作日`
    : remaining === 0
    ? "今日到期"
    : `已超期 ${-remaining} 个工作日`;
  const text = paused ? `暂停计时（${base}）` : base;
  const tone = remaining < 0 ? "red" : remaining === 0 ? "due" : warned ? "warning" : "ok";
  return { text, tone };
}

/** Whether a case's alerts hold an active 8.1 warning (the countdown's warning colour). */
export function hasActiveWarning81(alerts: readonly Alert[]): boolean {
  return alerts.some((a) => a.rule === "8.1" && a.level === "warning" && isActive(a));
}
