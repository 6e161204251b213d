/**
 * The "why and what to do" sentence of each rule's active alert (issue 10 item 4), built from the
 * case's own data: what is missing or wrong is named, the dates are the case's, and a warning says by
 * when it must be cleared before its red card (RULES.md §3 day counts).
 */
import assert from "node:assert/strict";
import { CALENDAR, ev, evaluateOn, item, received } from "../../rules/test_fixtures.ts";
import type { CaseEvent, Item } from "../../rules/types.ts";
import { type Guidance, guidance } from "./alert_guidance.ts";
import { isActive } from "../../rules/active_alerts.ts";

/** The guidance of the case's one active alert of `rule`, as of the end of `day`. */
function of(rule: string, events: CaseEvent[], day: string, it: Item = item()): Guidance {
  const evaluation = evaluateOn(events, day, it);
  const active = evaluation.result.alerts.filter((a) => a.rule === rule && isActive(a));
  assert.equal(active.length, 1, `one active ${rule} alert: ${JSON.stringify(evaluation.result.alerts)}`);
  return guidance(active[0], evaluation, it, CALENDAR, day);
}

Deno.test("8.7 names the missing contact and says by when it must be supplied before the red card", () => {
  const events = [received("2025-01-27 09:30", item(), { applicant: { name: "张三", kind: "person" } })];
  const g = of("8.7", events, "2025-01-27");
  assert.equal(g.why, "1 月 27 日起办件缺少必要要素：申请人联系方式");
  assert.equal(g.todo, "补充要素（申请人联系方式）");
  // Red at 00:00 of addWorkdays(01-27, 4) = Feb 8 (调休 Saturday): the last day is Feb 7.
  assert.equal(g.deadline, "须在 2 月 7 日（含）前补充要素（申请人联系方式），否则 2 月 8 日起亮红牌。");
});

Deno.test("8.7 names each step without a handler, and the missing reason of a rejection", () => {
  const steps = [
    received("2024-10-08"),
    ev("accepted", "2024-10-08 10:00", { handler: "赵六" }),
    ev("step", "2024-10-09", { name: "审查" }),
    ev("step", "2024-10-10", { name: "决定", handler: " " }),
  ];
  assert.equal(
    of("8.7", steps, "2024-10-10").why,
    "10 月 9 日起办件缺少必要要素：「审查」「决定」环节经办人",
  );
  const rejected = [received("2024-10-08"), ev("rejected", "2024-10-08 11:00", {})];
  const g = of("8.7", rejected, "2024-10-08");
  assert.equal(g.why, "10 月 8 日起办件缺少必要要素：不予受理原因");
  assert.equal(g.todo, "补充要素（不予受理原因）");
});

Deno.test("8.6 names the recorded step outside the item and the item's step that is missing", () => {
  const events = [
    received("2024-10-08"),
    ev("accepted", "2024-10-08 10:00", { handler: "赵六" }),
    ev("step", "2024-10-09", { name: "审查", handler: "李四" }),
    ev("step", "2024-10-09 11:00", { name: "会商", handler: "李四" }),
    ev("step", "2024-10-10", { name: "决定", handler: "王五" }),
    ev("completed", "2024-10-10 15:00", { result: "normal" }),
  ];
  const g = of("8.6", events, "2024-10-10");
  assert.match(g.why, /录入了事项以外的环节会商；缺少环节受理、送达$/);
  assert.equal(g.todo, "补齐环节信息");
  // addWorkdays(10-10, 4): Oct 11, 12 (调休 Saturday), 14, 15.
  assert.equal(g.deadline, "须在 10 月 14 日（含）前补齐环节信息，否则 10 月 15 日起亮红牌。");
});

Deno.test("8.8 names the missing required material and the one outside the list, with the list's date", () => {
  const it = item({ materials: { required: ["申请书", "营业执照"], optional: ["委托书"] } });
  const events = [
    received("2024-10-08", it),
    ev("materials_submitted", "2024-10-09", { materials: ["申请书", "身份证复印件"] }),
  ];
  assert.equal(
    of("8.8", events, "2024-10-09", it).why,
    "10 月 9 日提交的申请材料清单与事项材料清单不一致：缺少必需材料营业执照；含清单以外的材料身份证复印件",
  );
});

Deno.test("8.5a says by which day the certificate was due (inclusive) and what clears it", () => {
  const it = item({ certificate: { type: "营业执照", fields: ["名称"], nationallyDetermined: false } });
  const events = [
    received("2024-11-25", it),
    ev("accepted", "2024-11-25 10:00", { handler: "赵六" }),
    ev("completed", "2024-11-27", { result: "normal" }),
  ];
  // Warning at 00:00 of addWorkdays(11-27, 4) = Dec 3; the upload was due by Dec 2.
  const g = of("8.5a", events, "2024-12-03", it);
  assert.equal(g.why, "11 月 27 日办结后 3 个工作日内未上传证照（应于 12 月 2 日（含）前上传）");
  assert.equal(g.todo, "上传证照");
  assert.equal(g.deadline, "须在 12 月 6 日（含）前上传证照，否则 12 月 9 日起亮红牌。");
});

Deno.test("8.10 says by which day an acceptance opinion was due", () => {
  const events = [received("2024-10-08")];
  const g = of("8.10", events, "2024-10-11");
  assert.equal(
    g.why,
    "10 月 8 日收件，2 个工作日内未作出受理、不予受理或补正告知（应于 10 月 10 日（含）前作出）",
  );
  assert.equal(g.todo, "作出受理、不予受理或补正告知");
});

Deno.test("8.2b names the materials the later correction notice added to the first", () => {
  const events = [
    received("2024-10-08"),
    ev("correction_requested", "2024-10-08 11:00", { materials: ["身份证复印件"] }),
    ev("correction_completed", "2024-10-09", {}),
    ev("correction_requested", "2024-10-10", { materials: ["身份证复印件", "场地证明"] }),
  ];
  const g = of("8.2b", events, "2024-10-10");
  assert.equal(
    g.why,
    "10 月 10 日的补正告知列出了首次补正告知中没有的材料：场地证明（补正告知应一次性告知）",
  );
  assert.equal(g.todo, "已转人工监察，请提交情况说明");
  assert.equal(g.deadline, null, "8.2b has no red card: manual supervision decides");
});
