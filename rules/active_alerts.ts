/**
 * Which of a case's alerts are active: a warning until its condition stopped holding (resolved) or it
 * was voided, a red card until voided (it is permanent otherwise, RULES.md §3). The case list filters
 * and shows these; the evaluator's `alerts` keep the whole history.
 *
 * @module
 */
import type { Alert } from "./types.ts";

/** Whether an alert is active. */
export function isActive(a: Alert): boolean {
  if (a.voided) return false;
  return a.level === "red" || a.resolved === null;
}

/**
 * The filter tokens of a case's active alerts, sorted: for each, `rule`, `rule:level` and `:level`
 * (so "rule 8.1", "red cards of 8.1" and "any red card" are each one containment test).
 */
export function alertTokens(alerts: readonly Alert[]): string[] {
  const out = new Set<string>();
  for (const a of alerts) {
    if (!isActive(a)) continue;
    out.add(a.rule).add(`${a.rule}:${a.level}`).add(`:${a.level}`);
  }
  return [...out].sort();
}

/** The filter token for a rule and/or level (at least one given). */
export function alertToken(rule: string | undefined, level: string | undefined): string {
  return rule && level ? `${rule}:${level}` : rule ? rule : `:${level}`;
}
