import assert from "node:assert/strict";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { epochMs } from "../../rules/dates.ts";
import { parseEvent } from "../../rules/event_schema.ts";
import { demoCases } from "./cases.ts";

const NOW = epochMs("2024-10-16T15:00:00+08:00");
const calendar = builtinCalendar();
const plans = demoCases({ now: NOW, cases: 400, seed: 5, calendar });

Deno.test("demo cases are valid events, none after now, with unique ids and one received each", () => {
  const ids = new Set<string>();
  for (const events of plans) {
    assert.equal(events.filter((e) => e.type === "received").length, 1, events[0].case);
    for (const e of events) {
      const parsed = parseEvent(JSON.parse(JSON.stringify(e)), { now: NOW });
      assert.ok(parsed.ok, JSON.stringify(parsed));
      assert.ok(epochMs(e.at) <= NOW, `${e.id} at ${e.at}`);
      assert.ok(!ids.has(e.id), `duplicate id ${e.id}`);
      ids.add(e.id);
    }
  }
});

Deno.test("demo cases are received on the last 30 working days, numbered by region, date and serial", () => {
  const first = calendar.addWorkdays("2024-10-16", -29);
  for (const events of plans) {
    const r = events.find((e) => e.type === "received")!;
    const date = r.at.slice(0, 10);
    assert.ok(calendar.isWorkday(date) && date >= first && date <= "2024-10-16", `${r.case} on ${date}`);
    assert.match(r.case, new RegExp(`^41\\d{4}${date.replaceAll("-", "")}\\d{5}$`));
  }
});

Deno.test("the same seed and instant give the same cases; another seed others", () => {
  assert.deepEqual(demoCases({ now: NOW, cases: 50, seed: 5, calendar }), plans.slice(0, 50));
  assert.notDeepEqual(demoCases({ now: NOW, cases: 50, seed: 6, calendar }), plans.slice(0, 50));
});

Deno.test("an hour later the same seed gives the same events plus the hour's, never changed ones", () => {
  const later = demoCases({ now: NOW + 3600_000, cases: 400, seed: 5, calendar }).flat();
  const byId = new Map(later.map((e) => [e.id, e]));
  const before = plans.flat();
  for (const e of before) assert.deepEqual(byId.get(e.id), e);
  assert.ok(later.length > before.length);
  assert.ok(
    later.every((e) => byId.get(e.id) === e && (before.some((b) => b.id === e.id) || epochMs(e.at) > NOW)),
  );
});
