/**
 * The rules' Chinese names for the product: a short name for the wall screen and lists, a longer
 * title, and the regulation's own text (河南省政务服务电子监察工作规则(试行), articles 8 and 9) that
 * each rule implements, quoted from `regulation.zh.txt` with the line breaks of the source removed.
 *
 * @module
 */

/** Every rule id of RULES.md, in article order. */
export const RULE_IDS = [
  "8.1",
  "8.2a",
  "8.2b",
  "8.3p",
  "8.3",
  "8.4",
  "8.5a",
  "8.5b",
  "8.5c",
  "8.6",
  "8.7",
  "8.8",
  "8.9",
  "8.10",
  "9.1",
  "9.2",
  "9.3",
  "9.4",
  "9.5",
  "9.6",
  "9.7",
  "9.8",
  "9.9",
  "9.10",
] as const;
/** A rule id (the regulation's article and item number, RULES.md). */
export type RuleId = typeof RULE_IDS[number];

/** The rules whose alerts name a special procedure as their subject (8.4's names a fee event's id). */
export const PROCEDURE_SUBJECT_RULES: ReadonlySet<string> = new Set<RuleId>(["8.3p", "8.3", "8.9"]);

/** How the product names a rule. */
export interface RuleName {
  /** Short name (at most 6 characters), distinct across rules: the wall screen's label. */
  name: string;
  /** Longer title, after the regulation's headings. */
  title: string;
  /** The regulation's text for this rule. */
  article: string;
}

/** The name, title and article text of every rule. */
export const RULE_NAMES: Record<RuleId, RuleName> = {
  "8.1": {
    name: "办理时限",
    title: "业务办理时限监察",
    article:
      "当业务办理所剩时限小于等于2个工作日,监察系统发出预警(省政务服务统一工作门户同步发出系统消息提醒);当业务办理用时超过承诺时限,监察系统发红牌。",
  },
  "8.2a": {
    name: "补正告知",
    title: "一次性补正告知监察（未及时告知）",
    article:
      "当需要申请人补正材料时,未及时发出一次性补正告知通知书的,视为异常情况,监察系统发出预警,启动人工监察;",
  },
  "8.2b": {
    name: "二次补正",
    title: "一次性补正告知监察（二次告知新增材料）",
    article:
      "同一办件二次发出补正告知通知书的,且告知内容所涉及材料不在第一次补正通知书中的,视为异常情况,监察系统发出预警,启动人工监察。",
  },
  "8.3p": {
    name: "公示时限",
    title: "特别程序时限监察（批前公示）",
    article:
      "当有批前公示程序时,公示期到期后1个工作日内未完成公示程序的,监察系统发出预警,公示期到期后2个工作日内未完成公示程序的,监察系统发红牌;",
  },
  "8.3": {
    name: "程序时限",
    title: "特别程序时限监察（其他特别程序）",
    article:
      "当有其他特别程序时,法定约定时限结束前1个工作日未完成特别程序的,监察系统发出预警;超出法定约定时限未完成特别程序的,监察系统发红牌。",
  },
  "8.4": {
    name: "收费监察",
    title: "收费（税）监察",
    article:
      "对政务服务中出现的收费(税)及减免(缓)情况进行监察,无依据收费(税)、乱收费(税)和不符合规定减免(缓)的,监察系统发出红牌。",
  },
  "8.5a": {
    name: "证照上传",
    title: "证照监察（办结后上传证照）",
    article:
      "办件完成后,按照国家和省电子证照数据采集相关要求上传证照资料信息至省电子证照库并进行共享。办结后3个工作日内未上传的,视为异常情况,监察系统发出预警;预警发出后3个工作日内仍未上传的,监察系统发红牌。",
  },
  "8.5b": {
    name: "部委证照",
    title: "证照监察（国家部委确定的证照信息）",
    article: "若部分证照资料信息由国家部委确定,需在信息确定后3个工作日内上传,否则监察系统发红牌。",
  },
  "8.5c": {
    name: "照面信息",
    title: "证照监察（照面信息完整性）",
    article:
      "按照证照照面信息进行信息完整性监察,信息不完整的,视为异常情况,监察系统发出预警;预警发出后3个工作日内未补充完整的,监察系统发红牌。",
  },
  "8.6": {
    name: "流程环节",
    title: "流程环节完整性监察",
    article:
      "办件完成后,按照省政务服务平台办件数据采集要求上传办件数据。上传数据中实际办理业务环节名称与省政务服务事项管理系统中的环节名称不一致的,视为异常情况,监察系统发出预警;预警发出后3个工作日内未补齐流程环节信息的,监察系统发红牌。",
  },
  "8.7": {
    name: "信息完整",
    title: "业务办理信息完整性监察",
    article:
      "上传办件数据中业务办理过程基本信息、非正常办结原因、不受理原因、申请人/申请单位名称、申请人/申请单位联系方式等要素信息不完整的,视为异常情况,监察系统发出预警;预警发出后3个工作日内未补齐相关要素的,监察系统发红牌。",
  },
  "8.8": {
    name: "申请材料",
    title: "申请材料的监察",
    article:
      "对上传办件数据中业务办理申请材料进行监察,未提交必要材料的,或者提交申请材料超出省政务服务事项管理系统规定材料范围的,视为异常情况,监察系统发出预警;预警发出后3个工作日内未重新上传申请材料列表的,监察系统发红牌。",
  },
  "8.9": {
    name: "程序异常",
    title: "特别程序异常监察",
    article:
      "对业务办理过程中出现特别程序的业务进行监察,以省政务服务事项管理系统中录入的办理流程为依据,对不允许实施特别程序但实际业务办理时出现特别程序的,视为异常情况,监察系统发红牌。",
  },
  "8.10": {
    name: "受理意见",
    title: "收件到出具受理意见时限监察",
    article:
      "对于申请人通过河南政务服务网和实体政务服务大厅提交的办件,收件后2个工作日内未给出受理意见的,视为异常情况,监察系统发出预警;预警发出后3个工作日内仍未给出受理意见的,监察系统发红牌。",
  },
  "9.1": {
    name: "满意度",
    title: "满意度评价",
    article: '满意度评价分为满意和不满意两档,默认评价为"满意",评价为"不满意"且给出适当理由的纳入异常办件。',
  },
  "9.2": {
    name: "多收材料",
    title: "申请材料评价",
    article:
      '申请材料评价以办事指南所需材料列表作为依据。申请人在评价表中填写是否多收取申请材料,默认评价为"否",评价为"是"的纳入异常办件。',
  },
  "9.3": {
    name: "多收费",
    title: "收费评价",
    article:
      '收费评价以办事指南收费标准作为依据。申请人在评价表中填写是否多收费,默认评价为"否",评价为"是"的纳入异常办件。',
  },
  "9.4": {
    name: "强制中介",
    title: "中介服务评价",
    article:
      '中介服务评价以法定不涉及中介的政务服务事项作为评价内容。申请人在评价表中填写是否被强制要求通过中介办理,默认评价为"否",评价为"是"的纳入异常办件。',
  },
  "9.5": {
    name: "超时办理",
    title: "办理时限评价",
    article:
      "办理时限评价以办事指南中的承诺办结时限和法定办理时限为依据。申请人在评价表中填写相应选项,评价为超过承诺时限和法定时限的纳入异常办件。",
  },
  "9.6": {
    name: "跑动次数",
    title: "窗口跑动次数评价",
    article:
      "窗口跑动次数评价以办事指南中的承诺跑动次数为依据。申请人在评价表中填写符合受理条件后的实际窗口跑动次数,评价为窗口跑动次数超过承诺次数的纳入异常办件。",
  },
  "9.7": {
    name: "服务态度",
    title: "服务态度评价",
    article:
      '服务态度评价分为态度好和态度差两档,默认评价为"态度好",评价为"态度差"且给出适当理由的纳入异常办件。',
  },
  "9.8": {
    name: "办事环境",
    title: "办事环境评价",
    article:
      '办事环境评价分为环境好和环境差两档,默认评价为"环境好",评价为"环境差"且给出适当理由的纳入异常办件。',
  },
  "9.9": {
    name: "其他问题",
    title: "其他问题评价",
    article:
      "申请人可自主对办事过程中遇到的其他问题进行反馈和评价。电子监察机构根据反馈问题和评价结果判断是否纳入异常办件。",
  },
  "9.10": {
    name: "申诉复评",
    title: "异常办件申诉及二次评价",
    article:
      "出现异常办件时,相关工作人员可在被判定为异常状态10个工作日内,通过省网上政务服务平台电子监察系统发起申诉。申请人可在申诉后10个工作日内,通过河南政务服务网及其移动端查看申诉内容进行二次评价。电子监察系统将根据二次评价数据重新进行考核;未收到二次评价的,电子监察机构将视情调查核实。",
  },
};

/** True for a known rule id. */
export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULE_NAMES, id);
}

/** The short name of a rule; an unknown id is returned as it is. */
export function ruleName(id: string): string {
  return isRuleId(id) ? RULE_NAMES[id].name : id;
}
