import assert from "node:assert/strict";
import {
  cardLine,
  chineseNumeral,
  groupByDepartment,
  noticeText,
  periodName,
  type RedCard,
  redCard,
} from "./notice.ts";

const card = (c: Partial<RedCard> & Pick<RedCard, "caseId" | "rule" | "on">): RedCard =>
  redCard({
    subject: null,
    department: "410100-SCJGJ",
    departmentName: "郑州市市场监督管理局",
    itemCode: "410000-TEST-0001",
    itemName: "食品经营许可",
    disposition: null,
    ...c,
  });

const CARDS = [
  card({ caseId: "Z2", rule: "8.1", on: "2026-11-12" }),
  card({ caseId: "Z1", rule: "8.10", on: "2026-11-05", disposition: "circulated_criticism" }),
  card({
    caseId: "L1",
    rule: "8.3",
    subject: "检验",
    on: "2026-11-20",
    department: "410300-SCJGJ",
    departmentName: "洛阳市市场监督管理局",
  }),
];

Deno.test("groupByDepartment puts the department with most red cards first, cards by date", () => {
  const groups = groupByDepartment(CARDS);
  assert.deepEqual(groups.map((g) => [g.code, g.count]), [["410100-SCJGJ", 2], ["410300-SCJGJ", 1]]);
  assert.deepEqual(groups[0].cards.map((c) => c.caseId), ["Z1", "Z2"]);
});

Deno.test("periodName names a whole month as a month, other periods by their days", () => {
  assert.equal(periodName({ from: "2026-11-01", to: "2026-11-30" }), "2026年11月");
  assert.equal(periodName({ from: "2026-11-03", to: "2026-11-20" }), "2026年11月3日至2026年11月20日");
  assert.equal(periodName({ from: "2026-11-03", to: "2026-11-03" }), "2026年11月3日");
});

Deno.test("chineseNumeral writes section numbers", () => {
  assert.deepEqual([1, 10, 12, 20, 21, 100, 105, 110].map(chineseNumeral), [
    "一",
    "十",
    "十二",
    "二十",
    "二十一",
    "一百",
    "一百零五",
    "一百一十",
  ]);
});

Deno.test("noticeText counts red cards by department and rule and lists each card", () => {
  const n = noticeText({ from: "2026-11-01", to: "2026-11-30" }, "全省", groupByDepartment(CARDS));
  assert.equal(n.title, "关于2026年11月政务服务电子监察红牌情况的通报");
  assert.match(n.opening, /共发出红牌3张，涉及2个部门/);
  assert.match(n.opening, /办理时限1张/);
  assert.equal(n.sections[0].heading, "一、郑州市市场监督管理局（2张）");
  assert.equal(n.sections[1].heading, "二、洛阳市市场监督管理局（1张）");
  assert.equal(
    n.sections[0].lines[0],
    "2026年11月5日，办件Z1（食品经营许可），8.10 受理意见红牌；已处理：通报批评。",
  );
  assert.match(n.sections[1].lines[0], /8\.3 程序时限（检验）红牌。$/);
});

Deno.test("noticeText of a period without red cards says so", () => {
  const n = noticeText({ from: "2026-11-03", to: "2026-11-04" }, "郑州市", []);
  assert.equal(n.title, "关于2026年11月3日至2026年11月4日政务服务电子监察红牌情况的通报");
  assert.match(n.opening, /郑州市政务服务电子监察系统未发出红牌/);
  assert.deepEqual(n.sections, []);
});

Deno.test("cardLine leaves out a fee event's id but keeps a procedure name", () => {
  assert.doesNotMatch(
    cardLine(card({ caseId: "F", rule: "8.4", subject: "fee-evt-0001", on: "2026-11-02" })),
    /fee-evt/,
  );
  assert.match(cardLine(card({ caseId: "P", rule: "8.9", subject: "听证", on: "2026-11-02" })), /（听证）/);
});
