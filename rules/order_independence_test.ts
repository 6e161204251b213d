/**
 * Property: the evaluation is a pure function of the timeline (EXCHANGE.md "Order and identity").
 * Events in any order, re-sent any number of times, give exactly the same evaluation and the same
 * next change as the events in timeline order.
 */
import assert from "node:assert/strict";
import { addDays, endOfDay, startOfDay } from "./dates.ts";
import { evaluateCase, type Evaluation } from "./evaluate.ts";
import { generateCases, mulberry32 } from "./gen.ts";
import { CALENDAR } from "./test_fixtures.ts";
import { buildTimeline } from "./timeline.ts";
import type { CaseEvent, Item } from "./types.ts";

const FROM = "2024-09-02";
const TO = "2024-12-20";
/** As-of instants: ends of days across the range (incl. National Day and after the last event) and a noon. */
const AS_OF = [
  endOfDay("2024-09-20"),
  endOfDay("2024-10-04"),
  startOfDay("2024-10-21") + 12 * 3600_000,
  endOfDay("2024-11-15"),
  endOfDay(TO),
  endOfDay(addDays(TO, 90)),
];

function byCase(events: CaseEvent[]): Map<string, CaseEvent[]> {
  const cases = new Map<string, CaseEvent[]>();
  for (const e of events) cases.set(e.case, [...cases.get(e.case) ?? [], e]);
  return cases;
}

/** A random permutation of the events with some re-sent copies (same id, same content). */
function shuffledWithDuplicates(events: CaseEvent[], rand: () => number): CaseEvent[] {
  const out = [...events];
  for (const e of events) if (rand() < 0.3) out.push(structuredClone(e));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

function evaluate(caseId: string, events: CaseEvent[], items: Item[], asOf: number): Evaluation {
  return evaluateCase({
    caseId,
    events,
    item: (code) => items.find((it) => it.code === code),
    calendar: CALENDAR,
    asOf,
  });
}

for (const seed of [1, 7, 42, 2024]) {
  Deno.test(`evaluation does not depend on the order or repetition of events (seed ${seed})`, () => {
    const { items, events } = generateCases({ seed, cases: 60, from: FROM, to: TO });
    const rand = mulberry32(seed * 7919);
    let compared = 0;
    for (const [caseId, caseEvents] of byCase(events)) {
      const byId = new Map(caseEvents.map((e) => [e.id, e]));
      const sorted = buildTimeline(caseEvents).map((e) => byId.get(e.id)!);
      for (const asOf of AS_OF) {
        const expected = evaluate(caseId, sorted, items, asOf);
        for (let round = 0; round < 3; round++) {
          const actual = evaluate(caseId, shuffledWithDuplicates(caseEvents, rand), items, asOf);
          assert.deepStrictEqual(actual.result, expected.result, `${caseId} as of ${asOf}`);
          assert.equal(actual.nextChangeAt, expected.nextChangeAt, `${caseId} as of ${asOf}`);
          assert.deepStrictEqual(actual, expected, `${caseId} as of ${asOf}: the rest of the evaluation`);
          compared++;
        }
      }
    }
    assert.equal(compared, 60 * AS_OF.length * 3);
  });
}

Deno.test("the generated cases exercise the rules: alerts, findings, appeals and reviews all occur", () => {
  const { items, events } = generateCases({ seed: 1, cases: 300, from: FROM, to: TO });
  const seen = new Set<string>();
  for (const [caseId, caseEvents] of byCase(events)) {
    const out = evaluate(caseId, caseEvents, items, endOfDay(TO));
    for (const a of out.result.alerts) seen.add(`${a.rule} ${a.level}`);
    for (const f of out.result.findings) seen.add(f.state);
    if (out.refusedAppeals.length) seen.add("refused appeal");
    if (out.reviews.some((r) => !r.applied)) seen.add("unapplied review");
    if (out.result.alerts.some((a) => a.voided)) seen.add("voided");
  }
  for (
    const expected of ["8.1 warning", "8.1 red", "abnormal", "appealed", "refused appeal", "unapplied review"]
  ) {
    assert.ok(seen.has(expected), `${expected} in ${[...seen].sort().join(", ")}`);
  }
});
