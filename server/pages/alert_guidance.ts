/**
 * Why an active alert was raised and what clears it, in concrete words built from the case's own data
 * (issue 10 item 4): the evaluator's facts (its result, its timeline, the alerts it projects if nothing
 * more happens — `Evaluation.upcoming`), the item and the calendar. Pure: no I/O, no clock; nothing
 * here decides when an alert is due, it only reads what the rules decided.
 *
 * @module
 */
import type { Calendar } from "../../rules/calendar.ts";
import { dateIn } from "../../rules/dates.ts";
import type { Evaluation } from "../../rules/evaluate.ts";
import { CORRECTION_WORKDAYS } from "../../rules/rule_8_2.ts";
import { OPINION_WORKDAYS } from "../../rules/rule_8_10.ts";
import { GRACE_WORKDAYS } from "../../rules/escalation.ts";
import { feeOffence } from "../../rules/rule_8_4.ts";
import { nextSteps, type RecordedStep } from "../../rules/rule_8_6.ts";
import { type Element, missingElements } from "../../rules/rule_8_7.ts";
import { materialsProblems } from "../../rules/rule_8_8.ts";
import type { TimedEvent, TimedOf } from "../../rules/timeline.ts";
import type { Alert, Item } from "../../rules/types.ts";

/** What the case page says about one active alert. */
export interface Guidance {
  /** Why, with the case's dates and figures. */
  why: string;
  /** What clears it (上传证照 / 补齐环节信息 / 补充要素 …). */
  todo: string;
  /** When a red card follows if nothing is done (the evaluator's projection), as a sentence; or null. */
  deadline: string | null;
}

/** "11 月 27 日" (the year when it is not the year of `ref`). */
export function md(date: string, ref?: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const year = ref && ref.slice(0, 4) !== date.slice(0, 4) ? `${y} 年 ` : "";
  return `${year}${m} 月 ${d} 日`;
}

const FEE_WHY = {
  no_standard: "事项无收费标准，却收取了费用（无依据收费）",
  no_basis: "收费未注明依据",
  over_max: "收费超过事项规定的最高标准（乱收费）",
  unfounded_relief: "减免收费未注明依据（不符合规定减免）",
} as const;

/** The steps recorded for the case after its whole timeline (rules/rule_8_6.ts). */
const recordedSteps = (timeline: readonly TimedEvent[]) =>
  timeline.reduce<readonly RecordedStep[]>((steps, e) => nextSteps(steps, e), []);

const ELEMENT_NAMES: Record<Exclude<Element, "step_handler">, string> = {
  applicant_name: "申请人姓名",
  applicant_contact: "申请人联系方式",
  rejection_reason: "不予受理原因",
  abnormal_reason: "非正常办结原因",
};

/** The elements rule 8.7 finds missing now, named; a blank handler names its steps. */
function missingNow(timeline: readonly TimedEvent[]): string[] {
  const received = timeline.find((e): e is TimedOf<"received"> => e.type === "received");
  if (!received) return [];
  const missing = missingElements({ timeline, received }).at(-1)?.missing ?? [];
  return missing.map((m) => {
    if (m !== "step_handler") return ELEMENT_NAMES[m];
    const steps = recordedSteps(timeline).filter((s) => (s.handler ?? "").trim() === "").map((s) =>
      `「${s.name}」`
    );
    return `${[...new Set(steps)].join("")}环节经办人`;
  });
}

/** How the recorded steps differ from the item's (rule 8.6). */
function stepsDiffer(item: Item | null, timeline: readonly TimedEvent[]): string {
  const recorded = new Set(recordedSteps(timeline).map((s) => s.name));
  const expected = item?.steps ?? [];
  const parts = [
    `${[...recorded].filter((n) => !expected.includes(n)).join("、")}`,
    `${expected.filter((n) => !recorded.has(n)).join("、")}`,
  ];
  return [parts[0] && `录入了事项以外的环节${parts[0]}`, parts[1] && `缺少环节${parts[1]}`]
    .filter(Boolean).join("；");
}

/** What is wrong with the latest materials list (rule 8.8), with its date. */
function materialsDiffer(item: Item | null, timeline: readonly TimedEvent[], today: string): string {
  const latest = timeline.findLast((e) => e.type === "materials_submitted");
  if (!item || latest?.type !== "materials_submitted") return "申请材料清单与事项材料清单不一致";
  const { missing, extra } = materialsProblems(item, latest.materials);
  return `${md(latest.date, today)}提交的申请材料清单与事项材料清单不一致：${
    [
      missing.length ? `缺少必需材料${missing.join("、")}` : "",
      extra.length ? `含清单以外的材料${extra.join("、")}` : "",
    ].filter(Boolean).join("；")
  }`;
}

const TODO: Record<string, string> = {
  "8.1": "办结",
  "8.2a": "已转人工监察，请提交情况说明",
  "8.2b": "已转人工监察，请提交情况说明",
  "8.3p": "公示期满后及时录入特别程序结束",
  "8.3": "特别程序完成后及时录入特别程序结束",
  "8.4": "核实收费并提交情况说明，多收的费用应予退还",
  "8.5a": "上传证照",
  "8.5b": "上传证照",
  "8.5c": "补齐照面信息后重新上传证照",
  "8.6": "补齐环节信息",
  "8.7": "补充要素",
  "8.8": "补交或更正申请材料清单",
  "8.9": "提交情况说明（该特别程序不在事项允许范围内）",
  "8.10": "作出受理、不予受理或补正告知",
};

/** The guidance for an active alert of the case. */
export function guidance(
  a: Alert,
  ev: Evaluation,
  item: Item | null,
  calendar: Calendar,
  today: string,
): Guidance {
  const r = ev.result;
  const dateOf = (type: string) => ev.timeline.find((e) => e.type === type)?.date ?? null;
  const received = dateOf("received");
  const accepted = dateOf("accepted");
  const completed = dateOf("completed");
  const red = a.level === "warning"
    ? ev.upcoming.find((u) => u.rule === a.rule && u.level === "red" && u.subject === a.subject)
    : undefined;
  const redDate = red ? dateIn(red.raisedAt) : null;
  const missing = a.rule === "8.7" ? missingNow(ev.timeline).join("、") : "";
  const todo = missing ? `补充要素（${missing}）` : TODO[a.rule] ?? "提交情况说明";
  const lastDay = redDate ? md(calendar.addWorkdays(redDate, -1), today) : null;
  const deadline = redDate ? `须在 ${lastDay}（含）前${todo}，否则 ${md(redDate, today)}起亮红牌。` : null;
  const n = item?.promisedDays;
  let why: string;
  switch (a.rule) {
    case "8.1": {
      const used = n !== undefined && r.remaining !== null ? n - r.remaining : null;
      const base = `承诺 ${n ?? "—"} 个工作日，${accepted ? md(accepted, today) : "—"}受理，已用 ${
        used ?? "—"
      } 个工作日`;
      why = a.level === "warning"
        ? `${base}，所剩 ${r.remaining ?? "—"} 个（${md(a.on, today)}起预警）${
          r.paused ? "，目前暂停计时" : ""
        }`
        : `${base}，办理期限 ${r.deadline ? md(r.deadline, today) : "—"}，${
          r.remaining !== null && r.remaining < 0 ? `已超期 ${-r.remaining} 个工作日` : "超过承诺时限"
        }（${md(a.on, today)}起红牌）`;
      break;
    }
    case "8.2a":
      why = `${received ? md(received, today) : "—"}收件，${
        md(a.on, today)
      }才发出补正告知，超过收件后 ${CORRECTION_WORKDAYS} 个工作日（应于 ${
        received ? md(calendar.addWorkdays(received, CORRECTION_WORKDAYS), today) : "—"
      }（含）前告知）`;
      break;
    case "8.2b": {
      // The first later notice asking for what the first did not list (rules/rule_8_2.ts).
      const [first, ...later] = ev.timeline.filter((e) => e.type === "correction_requested");
      const listed = new Set(first?.type === "correction_requested" ? first.materials : []);
      const added = later.flatMap((n) => n.type === "correction_requested" ? n.materials : [])
        .filter((m) => !listed.has(m));
      why = `${md(a.on, today)}的补正告知列出了首次补正告知中没有的材料${
        added.length ? `：${[...new Set(added)].join("、")}` : ""
      }（补正告知应一次性告知）`;
      break;
    }
    case "8.3p":
    case "8.3": {
      const started = ev.timeline.findLast((e) => e.type === "special_started" && e.procedure === a.subject);
      const until = started?.type === "special_started" ? started.until : null;
      why = `特别程序「${a.subject ?? ""}」${a.rule === "8.3p" ? "公示期" : "法定或约定期限"}至 ${
        until ? md(until, today) : "—"
      }，尚未录入结束`;
      break;
    }
    case "8.4": {
      const fee = ev.timeline.find((e) => e.id === a.subject);
      const offence = fee?.type === "fee" && item ? feeOffence(item, fee) : null;
      why = `${md(a.on, today)}${fee?.type === "fee" ? `收费 ${fee.amount} 元：` : "的收费："}${
        offence ? FEE_WHY[offence] : "不符合收费规定"
      }`;
      break;
    }
    case "8.5a":
      why = `${completed ? md(completed, today) : "—"}办结后 ${GRACE_WORKDAYS} 个工作日内未上传证照（应于 ${
        completed ? md(calendar.addWorkdays(completed, GRACE_WORKDAYS), today) : "—"
      }（含）前上传）`;
      break;
    case "8.5b": {
      const q = dateOf("certificate_determined");
      why = `国家部委 ${q ? md(q, today) : "—"}确定证照信息后 ${GRACE_WORKDAYS} 个工作日内未上传证照（应于 ${
        q ? md(calendar.addWorkdays(q, GRACE_WORKDAYS), today) : "—"
      }（含）前上传）`;
      break;
    }
    case "8.5c": {
      const upload = ev.timeline.findLast((e) => e.type === "certificate_uploaded");
      const fields = upload?.type === "certificate_uploaded" ? upload.fields : {};
      const missing = (item?.certificate?.fields ?? []).filter((f) => !String(fields[f] ?? "").trim());
      why = `${md(a.on, today)}上传的证照缺少照面信息：${missing.join("、") || "—"}`;
      break;
    }
    case "8.6":
      why = `办结时录入的办理环节与事项规定的环节（${(item?.steps ?? []).join("、")}）不一致${
        stepsDiffer(item, ev.timeline).replace(/^(?=.)/, "：")
      }`;
      break;
    case "8.7":
      why = `${md(a.on, today)}起办件缺少必要要素：${missing || "—"}`;
      break;
    case "8.8":
      why = materialsDiffer(item, ev.timeline, today);
      break;
    case "8.9":
      why = `启用了事项不允许的特别程序「${a.subject ?? ""}」`;
      break;
    case "8.10":
      why = `${
        received ? md(received, today) : "—"
      }收件，${OPINION_WORKDAYS} 个工作日内未作出受理、不予受理或补正告知（应于 ${
        received ? md(calendar.addWorkdays(received, OPINION_WORKDAYS), today) : "—"
      }（含）前作出）`;
      break;
    default:
      why = `${md(a.on, today)}发出`;
  }
  return { why, todo, deadline };
}
