import assert from "node:assert/strict";
import { BUILTIN_CALENDAR_DATA } from "../../rules/builtin_calendar.ts";
import { Calendar } from "../../rules/calendar.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T12:00:00+08:00";
const t = await openTestApp(NOW);

const events = [
  receivedEvent("K1-r", "K1", "2026-02-24T09:00:00+08:00"),
  { id: "K1-a", case: "K1", type: "accepted", at: "2026-02-24T10:00:00+08:00" },
] as CaseEvent[];

Deno.test("GET /calendar lists the seeded built-in years and the missing year around today", async () => {
  const body = await (await t.send("GET", "/api/v1/calendar")).json();
  assert.deepEqual(
    body.years.map((y: { year: number }) => y.year),
    Object.keys(BUILTIN_CALENDAR_DATA.years).map(Number),
  );
  assert.deepEqual(body.missing, [2027]);
  const y2024 = await (await t.send("GET", "/api/v1/calendar/2024")).json();
  assert.deepEqual(y2024.holidays, [...BUILTIN_CALENDAR_DATA.years["2024"].holidays].sort());
  assert.equal((await t.send("GET", "/api/v1/calendar/2031")).status, 404);
});

Deno.test("PUT /calendar/:year refuses a malformed year with the calendar's message", async () => {
  const res = await t.send("PUT", "/api/v1/calendar/2027", { holidays: ["2026-10-01"], workdays: [] });
  assert.equal(res.status, 400);
  assert.match((await res.json()).error, /2027\.holidays: "2026-10-01" is not a date in 2027/);
  const res2 = await t.send("PUT", "/api/v1/calendar/2027", { holidays: "none" });
  assert.equal(res2.status, 400);
  await res2.body?.cancel();
});

Deno.test("PUT /calendar/:year stores the year and recalculates the open cases with it", async () => {
  assert.equal((await t.send("POST", "/api/v1/events", events)).status, 200);
  const before = await (await t.send("GET", "/api/v1/cases/K1")).json();
  assert.ok(before.deadline, "the case has a deadline");

  // An administrator declares the deadline day a holiday: the deadline moves one working day on.
  const year = BUILTIN_CALENDAR_DATA.years["2026"];
  const holiday = before.deadline;
  const corrected = { holidays: [...year.holidays, holiday], workdays: year.workdays, source: "测试更正" };
  const res = await t.send("PUT", "/api/v1/calendar/2026", corrected);
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.equal(answer.year, 2026);
  assert.ok(answer.recalculated >= 1);

  const calendar = new Calendar({ years: { ...BUILTIN_CALENDAR_DATA.years, "2026": corrected } });
  const want = evaluateCase({
    caseId: "K1",
    events,
    item: () => TEST_ITEM,
    calendar,
    asOf: Date.parse(NOW),
  }).result;
  const after = await (await t.send("GET", "/api/v1/cases/K1")).json();
  assert.notEqual(after.deadline, before.deadline);
  assert.deepEqual(after, JSON.parse(JSON.stringify(want)));
  const list = await (await t.send("GET", "/api/v1/cases?status=accepted")).json();
  assert.equal(list.cases.find((c: { case: string }) => c.case === "K1").deadline, want.deadline);
  const stored = await (await t.send("GET", "/api/v1/calendar/2026")).json();
  assert.equal(stored.source, "测试更正");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
