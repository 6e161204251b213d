import assert from "node:assert/strict";
import { buildClock } from "./clock.ts";
import { isRuleId, RULE_IDS, RULE_NAMES, ruleName } from "./names.ts";
import type { RuleContext } from "./projection.ts";
import { RULES } from "./registry.ts";
import { CALENDAR, ev, item, received } from "./test_fixtures.ts";
import { buildTimeline, firstOf } from "./timeline.ts";
import type { CaseEvent, Item } from "./types.ts";

const CERT = { type: "许可证", fields: ["编号", "名称"], nationallyDetermined: false };

/** Cases that between them break every rule of article 8 and give an abnormal evaluation. */
function battery(): { it: Item; events: CaseEvent[] }[] {
  const it = item({ specialProcedures: ["批前公示"], certificate: CERT });
  const national = item({ certificate: { ...CERT, nationallyDetermined: true } });
  return [
    {
      it,
      events: [
        received("2024-10-08", it, { channel: "online", applicant: { name: "张三", kind: "person" } }),
        ev("materials_submitted", "2024-10-08", { materials: ["营业执照"] }),
        ev("accepted", "2024-10-08 10:00", {}),
        ev("step", "2024-10-08 10:00", { name: "受理" }),
        ev("fee", "2024-10-09", { kind: "charge", amount: 10 }),
        ev("completed", "2024-11-29", { result: "normal" }),
        ev("certificate_uploaded", "2024-12-10", { fields: { 编号: "1" } }),
        ev("evaluation", "2024-12-11", {
          satisfied: false,
          satisfactionReason: "太慢",
          extraMaterials: true,
          overcharged: true,
          forcedIntermediary: true,
          time: "over_promised",
          visits: 5,
          attitude: "bad",
          attitudeReason: "态度差",
          environment: "bad",
          environmentReason: "环境差",
          other: "其他问题",
        }),
      ],
    },
    {
      it,
      events: [
        received("2024-10-08", it, { channel: "hall" }),
        ev("correction_requested", "2024-10-21", { materials: ["申请书"] }),
        ev("correction_completed", "2024-10-22", {}),
        ev("correction_requested", "2024-10-23", { materials: ["营业执照"] }),
        ev("correction_completed", "2024-10-24", {}),
        ev("accepted", "2024-10-24 10:00", {}),
        ev("special_started", "2024-10-25", { procedure: "批前公示", until: "2024-10-28" }),
        ev("special_started", "2024-10-25", { procedure: "检验", until: "2024-10-30" }),
      ],
    },
    {
      it: national,
      events: [received("2024-10-08", national), ev("certificate_determined", "2024-10-09", {})],
    },
  ];
}

/** Every rule id a rule function emits over the battery (alerts, findings, manual items). */
function idsOf(rule: (ctx: RuleContext) => ReturnType<typeof RULES[number]>): Set<string> {
  const ids = new Set<string>();
  for (const { it, events } of battery()) {
    const timeline = buildTimeline(events);
    const rec = firstOf(timeline, "received")!;
    const clock = buildClock(timeline, it, CALENDAR);
    const out = rule({ caseId: "C1", item: it, calendar: CALENDAR, timeline, received: rec, clock });
    for (const x of [...out.alerts ?? [], ...out.findings ?? [], ...out.manual ?? []]) ids.add(x.rule);
  }
  return ids;
}

Deno.test("every rule in the registry emits only rule ids that have a name", () => {
  for (const [i, rule] of RULES.entries()) {
    const ids = idsOf(rule);
    assert.ok(ids.size > 0, `registry entry ${i} emitted nothing over the battery`);
    for (const id of ids) assert.ok(isRuleId(id), `rule id ${id} (registry entry ${i}) has no name`);
  }
});

Deno.test("every 9.x rule, 9.1 to 9.10, has a name, a title and its article text", () => {
  for (let n = 1; n <= 10; n++) {
    const id = `9.${n}`;
    assert.ok(isRuleId(id), id);
    const { name, title, article } = RULE_NAMES[id];
    assert.ok(name && title && article.endsWith("。"), id);
  }
});

Deno.test("short names are at most 6 characters and distinct", () => {
  const names = RULE_IDS.map((id) => RULE_NAMES[id].name);
  for (const n of names) assert.ok([...n].length >= 2 && [...n].length <= 6, n);
  assert.equal(new Set(names).size, names.length);
  assert.deepStrictEqual(Object.keys(RULE_NAMES), [...RULE_IDS]);
});

Deno.test("ruleName() gives the short name, and the id itself for an unknown rule", () => {
  assert.equal(ruleName("8.1"), "办理时限");
  assert.equal(ruleName("8.5a"), "证照上传");
  assert.equal(ruleName("8.10"), "受理意见");
  assert.equal(ruleName("7.1"), "7.1");
  assert.equal(isRuleId("toString"), false);
});

Deno.test("article texts quote the regulation's own wording for each item", () => {
  assert.match(RULE_NAMES["8.4"].article, /无依据收费/);
  assert.match(RULE_NAMES["8.5b"].article, /国家部委确定/);
  for (const id of RULE_IDS.filter((x) => x.startsWith("8."))) {
    assert.match(RULE_NAMES[id].article, /监察系统发(出预警|出?红牌)/, id);
  }
});

Deno.test("the battery breaks every rule of article 8, so the registry check above covers them all", () => {
  const emitted = new Set(RULES.flatMap((rule) => [...idsOf(rule)]));
  assert.deepStrictEqual(RULE_IDS.filter((id) => id.startsWith("8.") && !emitted.has(id)), []);
});
