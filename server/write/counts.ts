/**
 * What a case adds to the live counts. Each evaluated case contributes a set of keys
 * `metric|rule|day`; the `counters` table holds, per (department, hall, key), how many cases
 * contribute it. Re-evaluating a case applies the difference of its old and new sets, so the
 * counts stay exact without ever rescanning the cases.
 *
 * Metrics: `status` (every case, by its status in `rule`: the case list's totals), `open` (received
 * or accepted), `due` (open, by deadline date), `warn` (active warnings by rule), `red` (unvoided red
 * cards by rule and date), `abn` (abnormal findings by rule and date). A case without a department
 * contributes its `status` alone, under department '' (the province's list shows it too).
 *
 * @module
 */
import type { Evaluation } from "../../rules/evaluate.ts";
import { isOpen } from "../../rules/list_status.ts";
import type { FindingState } from "../../rules/types.ts";

/** Finding states that count as an abnormal evaluation. */
export const ABNORMAL_STATES: ReadonlySet<FindingState> = new Set([
  "abnormal",
  "appealed",
  "upheld",
  "investigating",
]);

/** The metric counting cases by status (the case list's totals, server/cases/list_query.ts). */
export const STATUS_METRIC = "status";

/** The key a case in `status` contributes: every case counts once, under its status. */
export function statusKey(status: string): string {
  return `${STATUS_METRIC}|${status}|`;
}

/** The counter keys a case's evaluation contributes, sorted; only its status without a department. */
export function contributions(evaluation: Pick<Evaluation, "department" | "result">): string[] {
  const { result } = evaluation;
  if (!evaluation.department) return [statusKey(result.status)];
  const keys = new Set<string>([statusKey(result.status)]);
  if (isOpen(result.status)) {
    keys.add("open||");
    if (result.deadline) keys.add(`due||${result.deadline}`);
  }
  for (const a of result.alerts) {
    if (a.voided) continue;
    if (a.level === "warning" && a.resolved === null) keys.add(`warn|${a.rule}|`);
    if (a.level === "red") keys.add(`red|${a.rule}|${a.on}`);
  }
  for (const f of result.findings) {
    if (ABNORMAL_STATES.has(f.state)) keys.add(`abn|${f.rule}|${f.on}`);
  }
  return [...keys].sort();
}

/** One counter row's change. */
export interface CounterDelta {
  department: string;
  hall: string;
  metric: string;
  rule: string;
  day: string;
  delta: number;
}

/** A case's place in the counters: its department (null: counted under ''), hall and contributed keys. */
export interface Placement {
  department: string | null;
  hall: string | null;
  keys: readonly string[];
}

/** Add the change from `before` to `after` into `into` (keyed by department, hall and key). */
export function diffContributions(
  before: Placement | undefined,
  after: Placement,
  into: Map<string, CounterDelta>,
): void {
  if (before && before.department === after.department && before.hall === after.hall) {
    // Same place: only the keys that came or went change a counter (most stay; often all do).
    if (sameKeys(before.keys, after.keys)) return;
    const was = new Set(before.keys), is = new Set(after.keys);
    add(into, before, before.keys.filter((k) => !is.has(k)), -1);
    add(into, after, after.keys.filter((k) => !was.has(k)), +1);
    return;
  }
  if (before) add(into, before, before.keys, -1);
  add(into, after, after.keys, +1);
}

function add(into: Map<string, CounterDelta>, p: Placement, keys: readonly string[], sign: number): void {
  const department = p.department ?? "";
  const hall = p.hall ?? "";
  const place = `${department}\u0000${hall}\u0000`;
  for (const key of keys) {
    const id = place + key;
    const row = into.get(id);
    if (row === undefined) {
      // A new row only: the key is split once per counter, not once per case.
      const [metric, rule, day] = key.split("|");
      into.set(id, { department, hall, metric, rule, day, delta: sign });
    } else if ((row.delta += sign) === 0) into.delete(id);
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
