/**
 * The words of demo cases: applicants, certificate face fields, evaluation reasons and appeal texts.
 *
 * @module
 */
import type { Applicant, EvaluationAnswers, Item } from "../../rules/types.ts";
import type { DemoItem } from "./henan_items.ts";
import { itemCity } from "./henan_items.ts";
import { companyName, landline, mobile, personName } from "./people.ts";
import type { Random } from "./random.ts";

const STREETS = [
  "花园路",
  "金水路",
  "中原路",
  "建设路",
  "人民路",
  "文化路",
  "解放路",
  "黄河路",
  "嵩山路",
  "农业路",
];

/** A new applicant for an item: a person or a company of one of its trades, with a contact. */
export function applicantFor(rng: Random, d: DemoItem): Applicant & { kind: "person" | "organization" } {
  const city = itemCity(d.item);
  if (d.applicant === "person") return { name: personName(rng), contact: mobile(rng), kind: "person" };
  const contact = rng.chance(0.7) ? mobile(rng) : landline(rng, city.areaCode);
  return { name: companyName(rng, city.name, rng.pick(d.trades)), contact, kind: "organization" };
}

/** The face fields of a certificate, every one filled (the caller may blank one). */
export function certificateFields(
  rng: Random,
  item: Item,
  holder: string,
  date: string,
): Record<string, string> {
  const city = itemCity(item).name;
  const out: Record<string, string> = {};
  for (const f of item.certificate?.fields ?? []) out[f] = fieldValue(rng, f, { city, holder, date });
  return out;
}

function fieldValue(rng: Random, field: string, c: { city: string; holder: string; date: string }): string {
  if (/日期/.test(field)) return c.date;
  if (/有效期/.test(field)) return `${Number(c.date.slice(0, 4)) + 5}${c.date.slice(4)}`;
  if (/编号|证号|字号|登记号|编码|代码|单元号/.test(field)) {
    return `${c.city.slice(0, 1) === "郑" ? "豫A" : "豫"}${rng.int(10_000_000, 99_999_999)}`;
  }
  if (/名称|权利人|经营者|持证人|姓名|单位|企业|业户|法定代表人|负责人/.test(field)) return c.holder;
  if (/地址|住所|坐落|场所|位置/.test(field)) return `${c.city}${rng.pick(STREETS)}${rng.int(1, 299)}号`;
  if (/面积|规模/.test(field)) return `${rng.int(80, 20_000)}平方米`;
  if (/性别/.test(field)) return rng.pick(["男", "女"]);
  if (/资本|价格/.test(field)) return `${rng.int(10, 5000)}万元`;
  if (/数量/.test(field)) return `${rng.int(1, 50)}千克`;
  if (/机关/.test(field)) return `${c.city}民政局婚姻登记处`;
  return "详见审批决定";
}

/** Unhappy answers, each with the rule it makes abnormal. */
const COMPLAINTS: { weight: number; answers: EvaluationAnswers }[] = [
  { weight: 30, answers: { satisfied: false, satisfactionReason: "办理时间过长，多次询问进度无人答复" } },
  { weight: 15, answers: { satisfied: false, satisfactionReason: "窗口人员对政策解释不清楚" } },
  { weight: 10, answers: { attitude: "bad", attitudeReason: "工作人员态度冷淡，不耐烦" } },
  { weight: 8, answers: { environment: "bad", environmentReason: "等候区座位不足，叫号系统故障" } },
  { weight: 10, answers: { extraMaterials: true } },
  { weight: 8, answers: { time: "over_promised" } },
  { weight: 6, answers: { visits: 3 } },
  { weight: 3, answers: { overcharged: true } },
  { weight: 10, answers: { other: "建议增加周末服务时间，方便上班族办理" } },
  { weight: 5, answers: { other: "希望网上办理流程再简化一些" } },
];

/** An applicant's evaluation: mostly satisfied, with a small share of complaints. */
export function evaluationAnswers(rng: Random, late: boolean): EvaluationAnswers {
  if (late && rng.chance(0.4)) {
    return { satisfied: false, satisfactionReason: "超过承诺时限才办结", time: "over_promised" };
  }
  if (rng.chance(0.93)) {
    return {
      satisfied: true,
      time: "within",
      visits: rng.weighted([0, 1], [3, 7]),
      attitude: "good",
      environment: "good",
    };
  }
  return rng.weighted(COMPLAINTS.map((c) => c.answers), COMPLAINTS.map((c) => c.weight));
}

/** Why a department appeals an abnormal finding (9.10). */
export const APPEAL_TEXTS = [
  "申请人不满意原因系对政策规定本身有意见，非窗口办理问题",
  "已电话回访，申请人表示误操作选择了不满意",
  "办理时限未超承诺，评价内容与事实不符",
];

/** Reasons of a rejection (不受理). */
export const REJECT_REASONS = [
  "申请事项不属于本部门职权范围",
  "申请人不具备申请资格",
  "申请材料存在虚假内容",
];
