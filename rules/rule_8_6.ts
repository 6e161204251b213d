/**
 * Rule 8.6 流程环节完整性监察: at completion the recorded step names (环节名称) must be the item's
 * steps — no name outside the item, no item step missing. Otherwise a warning at completion and a red
 * card if the steps are not consistent within 3 working days after it.
 *
 * @module
 */
import { escalate } from "./escalation.ts";
import type { Rule } from "./projection.ts";
import { firstOf, type TimedEvent } from "./timeline.ts";
import type { Item } from "./types.ts";

/** A step as recorded for a case: from a `step` event, or from an `amended` event's `steps`. */
export interface RecordedStep {
  name: string;
  handler?: string;
}

/** The recorded steps after an event: a `step` appends, an `amended` with `steps` replaces them all. */
export function nextSteps(steps: readonly RecordedStep[], e: TimedEvent): readonly RecordedStep[] {
  if (e.type === "step") return [...steps, { name: e.name, handler: e.handler }];
  if (e.type === "amended" && e.steps) return e.steps;
  return steps;
}

/** True when the recorded names are exactly the item's step names (order and repeats do not matter). */
export function stepsConsistent(item: Item, steps: readonly RecordedStep[]): boolean {
  const recorded = new Set(steps.map((s) => s.name));
  const expected = new Set(item.steps);
  return recorded.size === expected.size && [...recorded].every((n) => expected.has(n));
}

/**
 * Rule 8.6. Checked at the first completion, whatever its result (RULES.md says "at completion"),
 * then again at every later change of the recorded steps, which can fix or break them.
 */
export const rule86: Rule = ({ item, timeline, calendar }) => {
  const completion = firstOf(timeline, "completed");
  if (!completion) return {};
  let steps: readonly RecordedStep[] = [];
  let completed = false;
  const changes = [];
  for (const e of timeline) {
    const before = steps;
    steps = nextSteps(steps, e);
    if (e === completion) completed = true;
    if (completed && (e === completion || steps !== before)) {
      changes.push({ ms: e.ms, date: e.date, holds: !stepsConsistent(item, steps) });
    }
  }
  return { alerts: escalate("8.6", null, changes, calendar) };
};
