/**
 * Builders for rule tests: an item with sensible defaults, events with short instants, and
 * evaluation as of a date. Test-only; not used by the product.
 *
 * @module
 */
import { builtinCalendar } from "./builtin_calendar.ts";
import type { Calendar } from "./calendar.ts";
import { endOfDay } from "./dates.ts";
import { evaluateCase, type Evaluation } from "./evaluate.ts";
import type { CaseEvent, Item } from "./types.ts";

/** The built-in calendar, built once for all tests. */
export const CALENDAR: Calendar = builtinCalendar();

/** An item with defaults (N = 10, S = 20, four steps, one required material, no fee, no certificate). */
export function item(overrides: Partial<Item> = {}): Item {
  return {
    code: "ITEM-1",
    name: "测试事项",
    department: "410100-TEST",
    statutoryDays: 20,
    promisedDays: 10,
    steps: ["受理", "审查", "决定", "送达"],
    materials: { required: ["申请书"], optional: [] },
    specialProcedures: [],
    fee: null,
    promisedVisits: 1,
    intermediaryFree: true,
    certificate: null,
    ...overrides,
  };
}

/** `"2024-10-08 09:30"` → `"2024-10-08T09:30:00+08:00"`; a bare date means 09:00. */
export function at(when: string): string {
  const [d, t = "09:00"] = when.split(" ");
  return `${d}T${t}:00+08:00`;
}

let counter = 0;

/** An event of case `C1` (unless given) at a short instant; the id is generated unless given. */
export function ev<T extends CaseEvent["type"]>(
  type: T,
  when: string,
  fields: Omit<Extract<CaseEvent, { type: T }>, "id" | "case" | "type" | "at"> & {
    id?: string;
    case?: string;
  },
): CaseEvent {
  const { id, case: caseId, ...rest } = fields as Record<string, unknown>;
  return {
    id: (id as string) ?? `E${++counter}`,
    case: (caseId as string) ?? "C1",
    type,
    at: at(when),
    ...rest,
  } as CaseEvent;
}

/** A `received` event with a named, reachable applicant (so 8.7 stays quiet). */
export function received(
  when: string,
  it: Item = item(),
  extra: Partial<Extract<CaseEvent, { type: "received" }>> = {},
): CaseEvent {
  return ev("received", when, {
    item: it.code,
    channel: "hall",
    hall: "410100-HALL",
    applicant: { name: "张三", contact: "13800000000", kind: "person" },
    ...extra,
  });
}

/** Evaluate events as of the end of a date (as `deno task evaluate --as-of DATE` does). */
export function evaluateOn(
  events: CaseEvent[],
  asOfDate: string,
  it: Item = item(),
  calendar = CALENDAR,
): Evaluation {
  return evaluateCase({
    caseId: events[0]?.case ?? "C1",
    events,
    item: (code) => (code === it.code ? it : undefined),
    calendar,
    asOf: endOfDay(asOfDate),
  });
}
