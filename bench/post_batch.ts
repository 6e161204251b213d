/**
 * One batch of the benchmarks' events through `POST /api/v1/events`, as the two kinds of sender send
 * them: the case's lifecycle from the department system, evaluations from the evaluation platform
 * (EXCHANGE.md "Who may send what"). A batch holding both kinds is two requests.
 *
 * @module
 */
import { SENDER_TYPES } from "../server/auth/sender_kinds.ts";
import type { CaseEvent } from "../rules/types.ts";

/** The `Authorization` header values of the two senders. */
export interface SenderAuth {
  department: string;
  evaluation: string;
}

/** What the server reported for one batch (both requests together). */
export interface BatchReport {
  stored: number;
  duplicates: number;
  refused: number;
}

/** Post one batch; throws on any status but 200 and 207. */
export async function postBatch(
  url: string,
  auth: SenderAuth,
  events: readonly CaseEvent[],
): Promise<BatchReport> {
  const evaluations = events.filter((e) => SENDER_TYPES.evaluation.has(e.type));
  const lifecycle = events.filter((e) => !SENDER_TYPES.evaluation.has(e.type));
  const total: BatchReport = { stored: 0, duplicates: 0, refused: 0 };
  for (
    const [part, authorization] of [[lifecycle, auth.department], [evaluations, auth.evaluation]] as const
  ) {
    if (part.length === 0) continue;
    const res = await fetch(`${url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization },
      body: JSON.stringify(part),
    });
    const report = await res.json();
    if (res.status !== 200 && res.status !== 207) {
      throw new Error(`HTTP ${res.status}: ${JSON.stringify(report)}`);
    }
    total.stored += report.stored;
    total.duplicates += report.duplicates;
    total.refused += report.refused.length;
  }
  return total;
}
