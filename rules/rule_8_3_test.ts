import { deepEqual } from "node:assert/strict";
import { alert } from "./rule_harness.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { Alert, CaseEvent, SpecialProcedure } from "./types.ts";

const it = item({ specialProcedures: ["批前公示", "检验", "鉴定"] });

function alerts(events: CaseEvent[], asOf: string, rule: string): Alert[] {
  const all = [received("2024-09-02", it), ev("accepted", "2024-09-02 10:00", {}), ...events];
  return evaluateOn(all, asOf, it).result.alerts.filter((a) => a.rule === rule);
}
const start = (when: string, procedure: SpecialProcedure, until: string) =>
  ev("special_started", when, { procedure, until });
const done = (when: string, procedure: SpecialProcedure) => ev("special_completed", when, { procedure });

Deno.test("8.3p warns at 00:00 of the 2nd working day after the notice period, an adjusted Sunday", () => {
  // T = Thursday 2024-09-26: addWorkdays(T, 2) = Sunday 09-29 (调休), addWorkdays(T, 3) = 09-30.
  const events = [start("2024-09-10 10:00", "批前公示", "2024-09-26")];
  deepEqual(alerts(events, "2024-09-28", "8.3p"), []);
  deepEqual(alerts(events, "2024-09-29", "8.3p"), [alert("8.3p", "warning", "2024-09-29", null, "批前公示")]);
  deepEqual(alerts(events, "2024-09-30", "8.3p"), [
    alert("8.3p", "warning", "2024-09-29", "2024-09-30", "批前公示"),
    alert("8.3p", "red", "2024-09-30", null, "批前公示"),
  ]);
});

Deno.test("8.3p red card waits for the first working day after National Day", () => {
  // T = Friday 2024-09-27: warning on 09-30, red card on 10-08.
  const events = [start("2024-09-10 10:00", "批前公示", "2024-09-27")];
  deepEqual(alerts(events, "2024-09-29", "8.3p"), []);
  deepEqual(alerts(events, "2024-10-07", "8.3p"), [alert("8.3p", "warning", "2024-09-30", null, "批前公示")]);
  deepEqual(alerts(events, "2024-10-08", "8.3p").map((a) => [a.level, a.on]), [
    ["warning", "2024-09-30"],
    ["red", "2024-10-08"],
  ]);
  // Completed during the holiday: the warning is resolved then and no red card follows.
  deepEqual(alerts([...events, done("2024-10-03 10:00", "批前公示")], "2024-10-31", "8.3p"), [
    alert("8.3p", "warning", "2024-09-30", "2024-10-03", "批前公示"),
  ]);
});

Deno.test("8.3 warns on the last working day before L and reds on the working day after L", () => {
  // L = 2024-10-08, the first working day after National Day: warning 09-30, red card 10-09.
  const events = [start("2024-09-10 10:00", "检验", "2024-10-08")];
  deepEqual(alerts(events, "2024-09-29", "8.3"), []);
  deepEqual(alerts(events, "2024-09-30", "8.3"), [alert("8.3", "warning", "2024-09-30", null, "检验")]);
  deepEqual(alerts(events, "2024-10-08", "8.3"), [alert("8.3", "warning", "2024-09-30", null, "检验")]);
  deepEqual(alerts(events, "2024-10-09", "8.3"), [
    alert("8.3", "warning", "2024-09-30", "2024-10-09", "检验"),
    alert("8.3", "red", "2024-10-09", null, "检验"),
  ]);
  deepEqual(alerts([...events, done("2024-10-08 17:00", "检验")], "2024-10-31", "8.3"), [
    alert("8.3", "warning", "2024-09-30", "2024-10-08", "检验"),
  ]);
  deepEqual(alerts([...events, done("2024-09-29 17:00", "检验")], "2024-10-31", "8.3"), []);
});

Deno.test("8.3 over the Spring Festival 2025: L on an adjusted Saturday", () => {
  // L = Saturday 2025-02-08 (调休): warning Friday 02-07, red card Monday 02-10.
  const events = [start("2025-01-06 10:00", "鉴定", "2025-02-08")];
  deepEqual(alerts(events, "2025-02-06", "8.3"), []);
  deepEqual(alerts(events, "2025-02-07", "8.3"), [alert("8.3", "warning", "2025-02-07", null, "鉴定")]);
  deepEqual(alerts(events, "2025-02-09", "8.3").length, 1);
  deepEqual(alerts(events, "2025-02-10", "8.3").map((a) => [a.level, a.on]), [
    ["warning", "2025-02-07"],
    ["red", "2025-02-10"],
  ]);
  // L = 2025-02-05, the first working day after the holiday: the last working day before is 01-27.
  const short = [start("2025-01-06 10:00", "鉴定", "2025-02-05")];
  deepEqual(alerts(short, "2025-01-26", "8.3"), []);
  deepEqual(alerts(short, "2025-01-27", "8.3").map((a) => a.on), ["2025-01-27"]);
});

Deno.test("8.3 keeps one alert per procedure and treats procedures separately", () => {
  const events = [
    start("2024-10-08 10:00", "检验", "2024-10-15"),
    start("2024-10-08 11:00", "鉴定", "2024-10-15"),
    done("2024-10-14 16:00", "鉴定"),
  ];
  deepEqual(alerts(events, "2024-10-31", "8.3"), [
    alert("8.3", "warning", "2024-10-14", "2024-10-16", "检验"),
    alert("8.3", "warning", "2024-10-14", "2024-10-14", "鉴定"),
    alert("8.3", "red", "2024-10-16", null, "检验"),
  ]);
  // A second run of 检验 while the first is still open is the same breach.
  const twice = [...events.slice(0, 1), start("2024-10-09 10:00", "检验", "2024-10-15")];
  deepEqual(alerts(twice, "2024-10-31", "8.3").map((a) => [a.level, a.on]), [
    ["warning", "2024-10-14"],
    ["red", "2024-10-16"],
  ]);
});

Deno.test("8.3 raises an alert that was due before the procedure started at the start", () => {
  const events = [start("2024-10-15 10:00", "检验", "2024-10-15")];
  deepEqual(alerts(events, "2024-10-15", "8.3"), [alert("8.3", "warning", "2024-10-15", null, "检验")]);
  deepEqual(alerts(events, "2024-10-16", "8.3").map((a) => [a.level, a.on]), [
    ["warning", "2024-10-15"],
    ["red", "2024-10-16"],
  ]);
});
