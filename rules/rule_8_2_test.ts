import { deepEqual } from "node:assert/strict";
import { epochMs } from "./dates.ts";
import { alert } from "./rule_harness.ts";
import { at, ev, evaluateOn, received } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

const notice = (when: string, materials = ["申请书"]) => ev("correction_requested", when, { materials });

function outcome(events: CaseEvent[], asOf: string, rule: string) {
  const e = evaluateOn(events, asOf);
  return {
    alerts: e.result.alerts.filter((a) => a.rule === rule),
    manual: e.manual.filter((m) => m.rule === rule).map((m) => [m.kind, m.openedAt, m.closedAt]),
  };
}

Deno.test("8.2a: a notice on the 5th working day is timely even when that day is an adjusted Sunday", () => {
  // Received Monday 2024-09-23: the 5th working day after is Sunday 09-29 (调休上班).
  const events = [received("2024-09-23"), notice("2024-09-29 10:00")];
  deepEqual(outcome(events, "2024-10-31", "8.2a"), { alerts: [], manual: [] });
  deepEqual(outcome([received("2024-09-23"), notice("2024-09-27 10:00")], "2024-10-31", "8.2a").alerts, []);
});

Deno.test("8.2a: a notice the day after the 5th working day warns and opens manual supervision", () => {
  const events = [received("2024-09-23"), notice("2024-09-30 10:00")];
  deepEqual(outcome(events, "2024-09-30", "8.2a"), {
    alerts: [alert("8.2a", "warning", "2024-09-30")],
    manual: [["late_correction", epochMs(at("2024-09-30 10:00")), null]],
  });
});

Deno.test("8.2a counts across National Day: 10-10 is in time, 10-11 is late, a holiday notice is in time", () => {
  // Received Friday 2024-09-27: 5 working days are 09-29, 09-30, 10-08, 10-09, 10-10.
  deepEqual(outcome([received("2024-09-27"), notice("2024-10-05 10:00")], "2024-10-31", "8.2a").alerts, []);
  deepEqual(outcome([received("2024-09-27"), notice("2024-10-10 17:00")], "2024-10-31", "8.2a").alerts, []);
  deepEqual(outcome([received("2024-09-27"), notice("2024-10-11 08:00")], "2024-10-31", "8.2a").alerts, [
    alert("8.2a", "warning", "2024-10-11"),
  ]);
});

Deno.test("8.2a keeps one active warning for several late notices; a supervisor decision closes the manual item", () => {
  const events = [
    received("2024-09-23"),
    notice("2024-10-14 10:00"),
    notice("2024-10-21 10:00"),
    ev("review", "2024-10-22 10:00", { action: "judge", rule: "8.2a", reason: "情况属实", by: "监察员甲" }),
  ];
  deepEqual(outcome(events, "2024-10-31", "8.2a"), {
    alerts: [alert("8.2a", "warning", "2024-10-14")],
    manual: [["late_correction", epochMs(at("2024-10-14 10:00")), epochMs(at("2024-10-22 10:00"))]],
  });
});

Deno.test("8.2b: a later notice asking only for materials of the first notice raises nothing", () => {
  const events = [
    received("2024-10-08"),
    notice("2024-10-09 10:00", ["申请书", "营业执照"]),
    ev("correction_completed", "2024-10-10 10:00", {}),
    notice("2024-10-11 10:00", ["营业执照"]),
  ];
  deepEqual(outcome(events, "2024-10-31", "8.2b"), { alerts: [], manual: [] });
});

Deno.test("8.2b: a later notice listing a new material warns at that notice and opens manual supervision", () => {
  const events = [
    received("2024-10-08"),
    notice("2024-10-09 10:00", ["申请书"]),
    ev("correction_completed", "2024-10-10 10:00", {}),
    notice("2024-10-11 10:00", ["申请书"]),
    notice("2024-10-14 10:00", ["营业执照"]),
    notice("2024-10-15 10:00", ["身份证明"]),
  ];
  deepEqual(outcome(events, "2024-10-11", "8.2b"), { alerts: [], manual: [] });
  deepEqual(outcome(events, "2024-10-31", "8.2b"), {
    alerts: [alert("8.2b", "warning", "2024-10-14")],
    manual: [["new_materials", epochMs(at("2024-10-14 10:00")), null]],
  });
});
