/**
 * Rule 8.5 证照监察, in three parts:
 * - 8.5a: a completed case of an item that issues a certificate must upload it to the e-licence
 *   library within 3 working days after completion (warning), then within 3 more (red card);
 * - 8.5b: for certificate data determined by a national ministry, within 3 working days after the
 *   determination (red card); 8.5a does not apply to those items;
 * - 8.5c: every upload must carry all of the item's face fields (照面信息), none blank (warning at
 *   the upload, red card if no complete upload within 3 working days after the warning).
 *
 * @module
 */
import { breachAt, escalate, GRACE_WORKDAYS } from "./escalation.ts";
import type { ProjectedAlert, Rule, RuleContext } from "./projection.ts";
import { ofType } from "./timeline.ts";
import type { Item } from "./types.ts";

/** True when an upload's fields hold every face field the item requires, none blank after trimming. */
export function certificateComplete(item: Item, fields: Record<string, string>): boolean {
  return (item.certificate?.fields ?? []).every((f) =>
    typeof fields[f] === "string" && fields[f].trim() !== ""
  );
}

/** The instant of the first upload in [from, before), or null. */
function firstUploadAt(ctx: RuleContext, from: number, before: number): number | null {
  const up = ofType(ctx.timeline, "certificate_uploaded").find((u) => u.ms >= from && u.ms < before);
  return up?.ms ?? null;
}

/**
 * Rule 8.5a. C is the date of the first completion with result `normal`: an abnormal completion
 * (非正常办结 — withdrawn, terminated, refused) issues no certificate, so there is nothing to upload.
 * Any upload counts, even one that arrived before the completion event (the certificate is in the
 * library); whether it is complete is 8.5c's concern.
 */
export const rule85a: Rule = (ctx) => {
  const cert = ctx.item.certificate;
  if (!cert || cert.nationallyDetermined) return {};
  const done = ofType(ctx.timeline, "completed").find((c) => c.result === "normal");
  if (!done) return {};
  const warnAt = breachAt(ctx.calendar, done.date, GRACE_WORKDAYS);
  if (firstUploadAt(ctx, -Infinity, warnAt) !== null) return {};
  const warning: ProjectedAlert = {
    rule: "8.5a",
    level: "warning",
    subject: null,
    raisedAt: warnAt,
    resolvedAt: null,
  };
  // The warning is dated on a working day at 00:00, so its date is the warning's W.
  const redAt = breachAt(
    ctx.calendar,
    ctx.calendar.addWorkdays(done.date, GRACE_WORKDAYS + 1),
    GRACE_WORKDAYS,
  );
  const fixedAt = firstUploadAt(ctx, warnAt, redAt);
  if (fixedAt !== null) return { alerts: [{ ...warning, resolvedAt: fixedAt }] };
  return {
    alerts: [
      { ...warning, resolvedAt: redAt },
      { rule: "8.5a", level: "red", subject: null, raisedAt: redAt, resolvedAt: null },
    ],
  };
};

/**
 * Rule 8.5b. Q is the date of the first `certificate_determined`; only uploads after it count
 * (an earlier upload could not carry the data the ministry had not yet determined).
 */
export const rule85b: Rule = (ctx) => {
  if (!ctx.item.certificate?.nationallyDetermined) return {};
  const determined = ofType(ctx.timeline, "certificate_determined")[0];
  if (!determined) return {};
  const redAt = breachAt(ctx.calendar, determined.date, GRACE_WORKDAYS);
  // Uploads later in the timeline than the determination (same-instant uploads sort after it).
  const after = ctx.timeline.slice(ctx.timeline.indexOf(determined) + 1);
  if (after.some((e) => e.type === "certificate_uploaded" && e.ms < redAt)) return {};
  return { alerts: [{ rule: "8.5b", level: "red", subject: null, raisedAt: redAt, resolvedAt: null }] };
};

/** Rule 8.5c: each upload replaces the record, so each one decides whether the face fields are complete. */
export const rule85c: Rule = (ctx) => {
  if (!ctx.item.certificate) return {};
  const changes = ofType(ctx.timeline, "certificate_uploaded").map((u) => ({
    ms: u.ms,
    date: u.date,
    holds: !certificateComplete(ctx.item, u.fields),
  }));
  return { alerts: escalate("8.5c", null, changes, ctx.calendar) };
};

/** Rule 8.5 (a, b and c) as one registry entry. */
export const rule85: Rule = (ctx) => ({
  alerts: [rule85a, rule85b, rule85c].flatMap((r) => r(ctx).alerts ?? []),
});
