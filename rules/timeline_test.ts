import assert from "node:assert/strict";
import { canonicalJson } from "./canonical.ts";
import { dateIn, epochMs } from "./dates.ts";
import { mulberry32 } from "./gen.ts";
import { buildTimeline, compareEvents, type TimedEvent } from "./timeline.ts";
import type { CaseEvent } from "./types.ts";

/** The definition, written plainly: each id's distinct contents once, in arrival order, then sorted. */
function reference(events: readonly CaseEvent[]): TimedEvent[] {
  const seen = new Map<string, string[]>();
  const out: TimedEvent[] = [];
  for (const e of events) {
    const json = canonicalJson(e);
    const same = seen.get(e.id) ?? [];
    if (same.includes(json)) continue;
    seen.set(e.id, [...same, json]);
    out.push({ ...e, ms: epochMs(e.at), date: dateIn(e.at) } as TimedEvent);
  }
  return out.sort(compareEvents);
}

const event = (id: string, at: string, type: string, extra: Record<string, unknown> = {}) =>
  ({ id, case: "C1", type, at, ...extra }) as unknown as CaseEvent;

Deno.test("buildTimeline drops re-sends, keeps one id's other contents, and orders ties by type then id", () => {
  const at = "2024-10-08T09:00:00+08:00";
  const events = [
    event("B", at, "step", { name: "审核" }),
    event("A", at, "step", { name: "审核" }),
    event("A", at, "step", { name: "审核" }), // a re-send
    event("A", at, "step", { name: "复核" }), // another sender's event with the same id
    event("A", "2024-10-08T01:00:00Z", "step", { name: "审核" }), // the same instant written in UTC
    event("R", at, "accepted"),
    event("B", at, "step", { name: "审核", date: "x" }), // differs only in a field named like a timed one
  ];
  const timeline = buildTimeline(events);
  assert.deepEqual(
    timeline.map((e) => [e.id, (e as { name?: string }).name ?? null, e.at]),
    [
      ["R", null, at],
      ["A", "审核", at],
      ["A", "复核", at],
      ["A", "审核", "2024-10-08T01:00:00Z"],
      ["B", "审核", at],
      ["B", "审核", at],
    ],
  );
  assert.deepEqual(timeline, reference(events));
  assert.ok(timeline.every((e) => e.date === "2024-10-08" && e.ms === epochMs(at)));
});

Deno.test("buildTimeline is the plain definition for shuffled events with re-sends and clashing ids", () => {
  const rand = mulberry32(99);
  const types = ["received", "accepted", "step", "fee", "completed"];
  for (let round = 0; round < 300; round++) {
    const events: CaseEvent[] = [];
    for (let i = 0; i < 1 + Math.floor(rand() * 12); i++) {
      const at = `2024-10-0${1 + Math.floor(rand() * 3)}T0${Math.floor(rand() * 3)}:00:00+08:00`;
      const e = event(`E${Math.floor(rand() * 5)}`, at, types[Math.floor(rand() * types.length)], {
        n: Math.floor(rand() * 2),
      });
      events.push(e);
      if (rand() < 0.3) events.push(structuredClone(e));
    }
    assert.deepEqual(buildTimeline(events), reference(events), JSON.stringify(events));
  }
});
