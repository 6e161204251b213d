/**
 * The countdown desk shows exactly the evaluator's numbers: every row's `data-remaining` on `/cases`
 * and every row of `GET /api/v1/cases` equals `GET /api/v1/cases/:case` (the case evaluated afresh) —
 * for cases paused before and after their deadline, running across the National Day holiday, and
 * completed early or late; on the day of ingestion and days later without the cases being evaluated
 * again (the stored countdown), and after the scheduler's transitions.
 */
import assert from "node:assert/strict";
import { startScheduler } from "../write/scheduler.ts";
import { openTestApp, receivedEvent } from "../testing.ts";

const t = await openTestApp("2024-10-10T16:00:00+08:00");
const at = (d: string) => `${d}T10:00:00+08:00`;
const accepted = (c: string, d: string) => [
  receivedEvent(`${c}-r`, c, `${d}T09:00:00+08:00`),
  { id: `${c}-a`, case: c, type: "accepted", at: at(d), handler: "赵六" },
];
const events = [
  // Paused before its deadline (2024-10-08 would be day 10), still paused.
  ...accepted("PB", "2024-09-20"),
  { id: "PB-p", case: "PB", type: "correction_requested", at: at("2024-09-24"), materials: ["申请书"] },
  // Paused after its deadline (2024-09-13), resumed: the paused days do not count as overdue.
  ...accepted("PA", "2024-08-30"),
  { id: "PA-p", case: "PA", type: "correction_requested", at: at("2024-09-20"), materials: ["申请书"] },
  { id: "PA-q", case: "PA", type: "correction_completed", at: at("2024-09-27") },
  // Paused after its deadline, still paused.
  ...accepted("PO", "2024-08-30"),
  { id: "PO-p", case: "PO", type: "correction_requested", at: at("2024-09-23"), materials: ["申请书"] },
  // Running across the holiday (2024-10-01 … 07 off, 09-29 and 10-12 worked).
  ...accepted("HO", "2024-09-26"),
  // Completed late and early.
  ...accepted("CL", "2024-08-30"),
  { id: "CL-c", case: "CL", type: "completed", at: at("2024-09-27"), result: "normal" },
  ...accepted("CE", "2024-09-23"),
  { id: "CE-c", case: "CE", type: "completed", at: at("2024-09-25"), result: "normal" },
  // Received, not accepted: no countdown.
  receivedEvent("RX-r", "RX", at("2024-10-10")),
];
const res = await t.send("POST", "/api/v1/events", events);
assert.equal(res.status, 200, await res.text());
const ids = [...new Set(events.map((e) => e.case))].sort();

async function evaluator(id: string) {
  const r = await t.send("GET", `/api/v1/cases/${id}`);
  assert.equal(r.status, 200);
  return await r.json();
}

async function pageRemaining(): Promise<Map<string, string>> {
  const r = await t.send("GET", "/cases?status=all&limit=100", undefined, { authorization: t.auth.province });
  assert.equal(r.status, 200);
  const html = await r.text();
  return new Map(
    // An empty attribute renders without a value (`data-remaining`).
    [...html.matchAll(/<tr data-case="([^"]+)" data-remaining(?:="([^"]*)")?/g)].map((
      m,
    ) => [m[1], m[2] ?? ""]),
  );
}

async function assertAgree(when: string, all: boolean) {
  const page = await pageRemaining();
  const api = await (await t.send("GET", "/api/v1/cases?limit=100")).json();
  assert.deepEqual([...page.keys()].sort(), ids, when);
  for (const row of api.cases) {
    const want = await evaluator(row.case);
    assert.equal(row.remaining, want.remaining, `${when} ${row.case} remaining (API list)`);
    assert.equal(
      page.get(row.case),
      want.remaining === null ? "" : String(want.remaining),
      `${when} ${row.case} page`,
    );
    if (all) {
      assert.deepEqual(
        [row.deadline, row.paused, row.alerts],
        [want.deadline, want.paused, want.alerts],
        `${when} ${row.case}`,
      );
    }
  }
}

Deno.test("the desk agrees with the evaluator on the day the cases were evaluated", async () => {
  await assertAgree("2024-10-10", true);
  // Paused after its deadline (2024-09-13): overdue by the unpaused working days since — 09-14 (a
  // Saturday worked), 18, 19, 20, 29 (a Sunday worked), 30, 10-08, 09, 10 — not by all 14 working days.
  assert.equal((await evaluator("PA")).remaining, -9);
  assert.equal((await pageRemaining()).get("PA"), "-9");
});

Deno.test("days later, without evaluating again, remaining still equals a fresh evaluation", async () => {
  try {
    for (const day of ["2024-10-11", "2024-10-12", "2024-10-14", "2024-10-21"]) {
      t.setNow(`${day}T11:00:00+08:00`);
      await assertAgree(day, false);
    }
  } finally {
    t.setNow("2024-10-10T16:00:00+08:00");
  }
});

Deno.test("after the scheduler's transitions, deadline, pause and alerts agree as well", async () => {
  t.setNow("2024-10-21T11:00:00+08:00");
  const scheduler = startScheduler(t.deps, { background: false });
  try {
    await scheduler.runOnce();
    await assertAgree("2024-10-21 after the scheduler", true);
  } finally {
    await scheduler.stop();
    t.setNow("2024-10-10T16:00:00+08:00");
  }
});

Deno.test.afterAll(() => t.database.drop());
