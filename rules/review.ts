/**
 * Supervisor decisions (`review` events, RULES.md §6) that act on alerts and on the manual queue:
 * voiding an alert, a red card's disposition (article 11), and closing manual supervision items.
 * Judging 9.9 feedback and closing investigations change findings and live in the article 9 rule.
 *
 * @module
 */
import { alertKey } from "./evaluate.ts";
import type { ManualEntry, ProjectedAlert, ProjectedFinding, RuleContext } from "./projection.ts";
import { ofType } from "./timeline.ts";

/** A supervisor decision as recorded in the case's history. */
export interface ReviewRecord {
  eventId: string;
  at: number;
  action: "judge" | "close_investigation" | "void" | "dispose";
  rule: string;
  subject: string | null;
  by: string;
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
  /** alertKey → epoch ms it was voided. */
  voidedAt: Map<string, number>;
  /** alertKey → the disposition given to that red card (the latest one counts). */
  dispositions: Map<
    string,
    { disposition: "circulated_criticism" | "accountability"; at: number; by: string }
  >;
  records: ReviewRecord[];
}

type Parts = Pick<Reviewed, "alerts" | "findings" | "manual">;

/** Apply the case's `review` events, in timeline order, to the projected alerts and manual items. */
export function applyReviews(ctx: RuleContext, parts: Parts): Reviewed {
  const voidedAt = new Map<string, number>();
  const dispositions: Reviewed["dispositions"] = new Map();
  const manual = parts.manual.map((m) => ({ ...m }));
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
      reason: r.reason,
      applied: true,
      ...(r.abnormal === undefined ? {} : { abnormal: r.abnormal }),
      ...(r.disposition === undefined ? {} : { disposition: r.disposition }),
    };
    // The newest alert of that rule and subject raised by the decision's instant.
    const target = parts.alerts
      .filter((a) =>
        a.rule === r.rule && (a.subject ?? null) === subject && a.raisedAt <= r.ms &&
        (r.action !== "dispose" || a.level === "red")
      )
      .sort((a, b) => b.raisedAt - a.raisedAt || (a.level === "red" ? -1 : 1))[0];
    if (r.action === "void") {
      if (target && !voidedAt.has(alertKey(target))) voidedAt.set(alertKey(target), r.ms);
      else Object.assign(record, { applied: false, note: "没有可撤销的告警" });
    } else if (r.action === "dispose") {
      if (target) dispositions.set(alertKey(target), { disposition: r.disposition!, at: r.ms, by: r.by });
      else Object.assign(record, { applied: false, note: "没有可处理的红牌" });
    }
    // Any decision on 8.2a/8.2b closes that rule's open manual items; findings' items are closed by
    // the article 9 rule, which knows what a judgment or a closed investigation means.
    for (const m of manual) {
      if (
        m.rule.startsWith("8.") && m.rule === r.rule && (m.subject ?? null) === subject &&
        m.openedAt <= r.ms && m.closedAt === null
      ) {
        m.closedAt = r.ms;
      }
    }
    records.push(record);
  }
  return { alerts: parts.alerts, findings: parts.findings, manual, voidedAt, dispositions, records };
}
