import { deepEqual } from "node:assert/strict";
import { alert } from "./rule_harness.ts";
import { ev, evaluateOn, received } from "./test_fixtures.ts";
import type { Alert, CaseEvent } from "./types.ts";

function alerts810(events: CaseEvent[], asOf: string): Alert[] {
  return evaluateOn(events, asOf).result.alerts.filter((a) => a.rule === "8.10");
}

// Received Thursday 2024-09-26 in the hall: 2 working days are 09-27 and Sunday 09-29 (调休).
const hall = received("2024-09-26 15:00");

Deno.test("8.10: an opinion on the 2nd working day (an adjusted Sunday) is in time", () => {
  deepEqual(alerts810([hall, ev("accepted", "2024-09-29 17:00", {})], "2024-10-31"), []);
  deepEqual(
    alerts810(
      [hall, ev("correction_requested", "2024-09-27 10:00", { materials: ["申请书"] })],
      "2024-10-31",
    ),
    [],
  );
});

Deno.test("8.10 warns at 00:00 of the 3rd working day and the opinion resolves it", () => {
  deepEqual(alerts810([hall], "2024-09-29"), []);
  deepEqual(alerts810([hall], "2024-09-30"), [alert("8.10", "warning", "2024-09-30")]);
  deepEqual(alerts810([hall, ev("rejected", "2024-09-30 10:00", { reason: "不予受理" })], "2024-10-31"), [
    alert("8.10", "warning", "2024-09-30", "2024-09-30"),
  ]);
});

Deno.test("8.10 red card on the 4th working day after the warning, past National Day", () => {
  // Warning 09-30; addWorkdays(09-30, 4) = 10-11.
  deepEqual(alerts810([hall], "2024-10-10"), [alert("8.10", "warning", "2024-09-30")]);
  deepEqual(alerts810([hall], "2024-10-11"), [
    alert("8.10", "warning", "2024-09-30", "2024-10-11"),
    alert("8.10", "red", "2024-10-11"),
  ]);
  // An opinion on the red card's day comes after 00:00: the red card stands.
  deepEqual(alerts810([hall, ev("accepted", "2024-10-11 09:00", {})], "2024-10-31").map((a) => a.level), [
    "warning",
    "red",
  ]);
  deepEqual(alerts810([hall, ev("accepted", "2024-10-10 17:00", {})], "2024-10-31"), [
    alert("8.10", "warning", "2024-09-30", "2024-10-10"),
  ]);
});

Deno.test("8.10 counts from a holiday receipt; channel other is not watched", () => {
  // Received online on 2024-10-05 (holiday): 2 working days are 10-08, 10-09; warning 10-10.
  const online = received("2024-10-05 10:00", undefined, { channel: "online" });
  deepEqual(alerts810([online], "2024-10-09"), []);
  deepEqual(alerts810([online], "2024-10-10"), [alert("8.10", "warning", "2024-10-10")]);
  deepEqual(alerts810([received("2024-10-05 10:00", undefined, { channel: "other" })], "2024-10-31"), []);
});
