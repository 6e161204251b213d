/** The wall screen's trend from the counters (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
import assert from "node:assert/strict";
import { ingestEvents } from "../write/ingest.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";

const t = await openTestApp("2026-11-20T09:00:00+08:00");
const at = (d: string, h: string) => `${d}T${h}:00+08:00`;
const flow = (id: string, start: string, end: string, endHour: string) => [
  receivedEvent(`${id}-r`, id, at(start, "09:00")),
  { id: `${id}-a`, case: id, type: "accepted", at: at(start, "09:30") },
  ...TEST_ITEM.steps.map((name, i) => ({
    id: `${id}-s${i}`,
    case: id,
    type: "step",
    at: at(end, "08:0" + i),
    name,
  })),
  { id: `${id}-c`, case: id, type: "completed", at: at(end, endHour), result: "normal" },
];
t.setNow("2026-12-01T16:00:00+08:00");
const r = await ingestEvents(t.deps, [
  ...flow("T1", "2026-11-24", "2026-11-25", "10:00"),
  ...flow("T2", "2026-11-30", "2026-12-01", "10:20"),
  ...flow("T3", "2026-11-30", "2026-12-01", "14:05"),
  // Received long ago and still open: its 8.1 warning and red card are raised by the clock.
  receivedEvent("T4-r", "T4", at("2026-11-02", "09:00")),
  { id: "T4-a", case: "T4", type: "accepted", at: at("2026-11-02", "09:30") },
], "setup");
assert.equal(r.refused.length, 0, JSON.stringify(r.refused));

Deno.test("the trend counts completions by hour today and by day over 30 days, and alerts by when raised", async () => {
  const res = await t.send("GET", "/api/v1/trend?hall=410100-HALL", undefined, {
    authorization: t.auth.province,
  });
  assert.equal(res.status, 200, await res.clone().text());
  const body = await res.json();
  assert.equal(body.today, "2026-12-01");
  assert.equal(body.hours.hour.length, 24);
  assert.equal(body.hours.completed[10], 1);
  assert.equal(body.hours.completed[14], 1);
  assert.equal(body.hours.completed.reduce((a: number, b: number) => a + b, 0), 2);
  assert.equal(body.days.date.length, 30);
  assert.equal(body.days.date[0], "2026-11-02");
  assert.equal(body.days.date.at(-1), "2026-12-01");
  assert.equal(body.days.completed.at(-1), 2);
  assert.equal(body.days.completed[body.days.date.indexOf("2026-11-25")], 1);
  const warnings = body.days.warnings.reduce((a: number, b: number) => a + b, 0);
  const reds = body.days.reds.reduce((a: number, b: number) => a + b, 0);
  assert.ok(warnings >= 1 && reds >= 1, JSON.stringify(body.days));
  // A time-driven alert is raised at 00:00 of its day.
  const redDay = body.days.date[body.days.reds.findIndex((n: number) => n > 0)];
  if (redDay === "2026-12-01") assert.ok(body.hours.reds[0] >= 1);
});

Deno.test("asking for two scopes at once answers 400", async () => {
  const res = await t.send("GET", "/api/v1/trend?hall=410100-HALL&department=410100-SCJGJ", undefined, {
    authorization: t.auth.province,
  });
  assert.equal(res.status, 400);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
