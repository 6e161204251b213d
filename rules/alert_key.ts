/**
 * An alert's identity, defined once: the case, the rule, the subject, the level and the day it was
 * raised — the unique key of the `alerts` table (`alerts_identity_key`). Voids and dispositions, the
 * apply path, the case API, the red-card notice and the wall screen's ticker all key alerts by it.
 *
 * "No subject" is `null` in the evaluator and `""` in storage: both read as the same identity.
 *
 * It imports nothing: the wall screen's bundle uses it too.
 *
 * @module
 */
/** The fields that make an alert itself. */
export interface AlertIdentity {
  case: string;
  rule: string;
  /** null, undefined and "" all mean "no subject". */
  subject?: string | null;
  level: string;
  /** The day it was raised (`YYYY-MM-DD`, Asia/Shanghai). */
  on: string;
}

/** The alert's identity as one string (collision-free: a JSON array of the parts). */
export function alertKey(a: AlertIdentity): string {
  return JSON.stringify([a.case, a.rule, a.subject || "", a.level, a.on]);
}
