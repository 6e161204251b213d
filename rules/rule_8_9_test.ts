import { deepEqual } from "node:assert/strict";
import { alert } from "./rule_harness.ts";
import { ev, evaluateOn, item, received } from "./test_fixtures.ts";
import type { Alert, CaseEvent } from "./types.ts";

const it = item({ specialProcedures: ["检验"] });

function alerts89(events: CaseEvent[], asOf: string): Alert[] {
  return evaluateOn([received("2024-10-08", it), ...events], asOf, it).result.alerts.filter((a) =>
    a.rule === "8.9"
  );
}

Deno.test("8.9: a special procedure the item allows raises nothing", () => {
  deepEqual(
    alerts89(
      [ev("special_started", "2024-10-09 10:00", { procedure: "检验", until: "2024-10-20" })],
      "2024-10-31",
    ),
    [],
  );
});

Deno.test("8.9: a procedure outside the item's process gets a red card at its start", () => {
  const events = [ev("special_started", "2024-10-09 10:00", { procedure: "鉴定", until: "2024-10-20" })];
  deepEqual(alerts89(events, "2024-10-08"), []);
  deepEqual(alerts89(events, "2024-10-09"), [alert("8.9", "red", "2024-10-09", null, "鉴定")]);
});

Deno.test("8.9: a run while the same procedure is open adds nothing; a later run is a new red card", () => {
  const events = [
    ev("special_started", "2024-10-09 10:00", { procedure: "鉴定", until: "2024-10-20" }),
    ev("special_started", "2024-10-10 10:00", { procedure: "鉴定", until: "2024-10-20" }),
    ev("special_started", "2024-10-10 11:00", { procedure: "听证", until: "2024-10-20" }),
    ev("special_completed", "2024-10-11 10:00", { procedure: "鉴定" }),
    ev("special_completed", "2024-10-12 10:00", { procedure: "鉴定" }),
    ev("special_started", "2024-10-14 10:00", { procedure: "鉴定", until: "2024-10-20" }),
  ];
  deepEqual(alerts89(events, "2024-10-31"), [
    alert("8.9", "red", "2024-10-09", null, "鉴定"),
    alert("8.9", "red", "2024-10-10", null, "听证"),
    alert("8.9", "red", "2024-10-14", null, "鉴定"),
  ]);
});
