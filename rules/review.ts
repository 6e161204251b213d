/**
 * Supervisor decisions (`review` events, RULES.md §6) that act on alerts and on the manual queue:
 * voiding an alert, a red card's disposition (article 11), and closing manual supervision items.
 * Judging 9.9 feedback and closing investigations change findings and live in the article 9 rule.
 *
 * @module
 */
import { alertKey } from "./alert_key.ts";
import { dateIn } from "./dates.ts";
import type { ManualEntry, ProjectedAlert, ProjectedFinding, RuleContext } from "./projection.ts";
import { ofType } from "./timeline.ts";

/** The identity ({@linkcode alertKey}) of a projected alert of case `caseId`, raised at an instant. */
export function projectedAlertKey(
  caseId: string,
  a: { rule: string; subject: string | null; level: string; raisedAt: number },
): string {
  return alertKey({ case: caseId, rule: a.rule, subject: a.subject, level: a.level, on: dateIn(a.raisedAt) });
}

/** A supervisor decision as recorded in the case's history. */
export interface ReviewRecord {
  eventId: string;
  at: number;
  action: "judge" | "close_investigation" | "confirm" | "void" | "dispose";
  rule: string;
  subject: string | null;
  by: string;
  /** The deciding account's office name, when recorded. */
  office?: string;
  reason: string;
  abnormal?: boolean;
  disposition?: "circulated_criticism" | "accountability";
  /** False when the decision matched nothing it could act on (kept in history, with `note`). */
  applied: boolean;
  note?: string;
}

/** What {@linkcode applyReviews} returns. */
export interface Reviewed {
  alerts: ProjectedAlert[];
  findings: ProjectedFinding[];
  manual: ManualEntry[];
  /** projectedAlertKey → epoch ms it was voided. */
  voidedAt: Map<string, number>;
  /** projectedAlertKey → the disposition given to that red card (the latest one counts). */
  dispositions: Map<
    string,
    { disposition: "circulated_criticism" | "accountability"; at: number; by: string }
  >;
  records: ReviewRecord[];
}

type Parts = Pick<Reviewed, "alerts" | "findings" | "manual">;

/**
 * Apply the case's `review` events, in timeline order, to the projected alerts and manual items.
 *
 * - `void` voids the newest alert of that rule and subject raised by then and not yet voided (a red
 *   card before a warning raised at the same instant); it stays in the list with its `voided` date.
 * - `dispose` gives the newest red card of that rule and subject a disposition; a later one replaces it.
 * - Any decision on 8.2a/8.2b closes that rule's open manual items; `confirm` does only that (the
 *   warning is confirmed as valid and stays), `void` also voids the warning.
 * - `judge` and `close_investigation` of 9.x act on findings in the article 9 rule; here they are
 *   recorded, applied when one of the findings' transitions names the event.
 *
 * A decision that acts on nothing is kept in the history with `applied: false` and a note.
 */
export function applyReviews(ctx: RuleContext, parts: Parts): Reviewed {
  const voidedAt = new Map<string, number>();
  const dispositions: Reviewed["dispositions"] = new Map();
  const manual = parts.manual.map((m) => ({ ...m }));
  const decided = new Set(parts.findings.flatMap((f) => f.transitions.map((t) => t.eventId)));
  const records: ReviewRecord[] = [];
  for (const r of ofType(ctx.timeline, "review")) {
    const subject = r.subject ?? null;
    const record: ReviewRecord = {
      eventId: r.id,
      at: r.ms,
      action: r.action,
      rule: r.rule,
      subject,
      by: r.by,
      ...(r.office === undefined ? {} : { office: r.office }),
      reason: r.reason,
      applied: true,
      ...(r.abnormal === undefined ? {} : { abnormal: r.abnormal }),
      ...(r.disposition === undefined ? {} : { disposition: r.disposition }),
    };
    const candidates = parts.alerts
      .filter((a) => a.rule === r.rule && (a.subject ?? null) === subject && a.raisedAt <= r.ms)
      .sort((a, b) => b.raisedAt - a.raisedAt || levelRank(a) - levelRank(b));
    let closed = false;
    for (const m of manual) {
      if (
        MANUAL_ALERT_RULES.has(m.rule) && m.rule === r.rule && (m.subject ?? null) === subject &&
        m.openedAt <= r.ms && m.closedAt === null
      ) {
        m.closedAt = r.ms;
        closed = true;
      }
    }
    const skip = (note: string) => Object.assign(record, { applied: false, note });
    if (r.action === "void") {
      const target = candidates.find((a) => !voidedAt.has(projectedAlertKey(ctx.caseId, a)));
      if (target) voidedAt.set(projectedAlertKey(ctx.caseId, target), r.ms);
      else skip(candidates.length ? "该告警已撤销" : "没有可撤销的告警");
    } else if (r.action === "dispose") {
      const target = candidates.find((a) => a.level === "red");
      if (!r.disposition) skip("未给出处理方式");
      else if (target) {
        dispositions.set(projectedAlertKey(ctx.caseId, target), {
          disposition: r.disposition,
          at: r.ms,
          by: r.by,
        });
      } else skip("没有可处理的红牌");
    } else if (r.action === "confirm") {
      // Confirming an 8.2a/8.2b warning as valid closes its manual item and keeps the warning.
      if (!MANUAL_ALERT_RULES.has(r.rule)) skip("只有 8.2a/8.2b 的人工监察事项可确认");
      else if (!closed) skip("没有待确认的人工监察事项");
    } else if (!closed && !decided.has(r.id)) {
      skip(r.action === "judge" ? "没有待判定的事项" : "没有待核实的事项");
    }
    records.push(record);
  }
  return { alerts: parts.alerts, findings: parts.findings, manual, voidedAt, dispositions, records };
}

/** Rules whose warnings open manual supervision items that a supervisor's decision closes. */
const MANUAL_ALERT_RULES = new Set(["8.2a", "8.2b"]);

/** Red cards sort before warnings raised at the same instant. */
function levelRank(a: ProjectedAlert): number {
  return a.level === "red" ? 0 : 1;
}
