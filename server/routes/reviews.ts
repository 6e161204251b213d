/**
 * Supervisor decisions (监察处理, RULES.md §6): `POST /api/v1/cases/:case/reviews` turns a decision into
 * a `review` event of the case — stored through ingestion like any other event, so it is replayed by
 * the evaluator — and records who, when and why in the audit trail. The case page's forms post the
 * same decision through {@linkcode recordReview}.
 *
 * @module
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { cases } from "../../db/schema.ts";
import { shanghaiInstant } from "../../rules/dates.ts";
import { isRuleId } from "../../rules/names.ts";
import type { ReviewRecord } from "../../rules/review.ts";
import type { CaseEvent } from "../../rules/types.ts";
import type { Env } from "../app.ts";
import { recordAudit } from "../audit.ts";
import { requirePermission } from "../auth/middleware.ts";
import { type Principal, requirePrincipal } from "../auth/principal.ts";
import { assertCanDecideCase } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, NotFoundError, parseOrThrow, ValidationError } from "../errors.ts";
import { ingestEvents } from "../write/ingest.ts";
import { clientIp } from "../security.ts";
import { describe } from "../openapi/describe.ts";
import { reviewDoc } from "../openapi/docs/cases.ts";

const ARTICLE_9 = /^9\.[1-9]$/;

/** A decision as a supervisor submits it (JSON body or form fields). */
export const ReviewInput = z.object({
  action: z.enum(["judge", "close_investigation", "confirm", "void", "dispose"]),
  rule: z.string().trim().refine(isRuleId, "没有此规则 (unknown rule id)"),
  subject: z.string().trim().max(200).optional().transform((s) => (s ? s : undefined)),
  abnormal: z.boolean().optional(),
  disposition: z.enum(["circulated_criticism", "accountability"]).optional(),
  reason: z.string().trim().min(1, "请填写理由 (a reason is required)").max(2000),
}).strict().superRefine((v, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  const decidesFinding = v.action === "judge" || v.action === "close_investigation";
  if (v.action === "judge" && v.rule !== "9.9") {
    issue("rule", "只有 9.9 其他意见需要研判 (only 9.9 feedback is judged)");
  }
  if (v.action === "close_investigation" && !ARTICLE_9.test(v.rule)) {
    issue("rule", "核实只针对 9.1–9.9 的评价结果 (an investigation concerns a finding 9.1–9.9)");
  }
  if (v.action === "confirm" && v.rule !== "8.2a" && v.rule !== "8.2b") {
    issue("rule", "只有 8.2a/8.2b 的预警可确认 (only 8.2a/8.2b warnings are confirmed)");
  }
  if ((v.action === "void" || v.action === "dispose") && !v.rule.startsWith("8.")) {
    issue("rule", "只有第八条的预警和红牌可作废或处理 (only alerts of article 8 are voided or disposed)");
  }
  if (decidesFinding && v.abnormal === undefined) {
    issue("abnormal", "请选择是否计为异常 (required for judge and close_investigation)");
  }
  if (!decidesFinding && v.abnormal !== undefined) {
    issue("abnormal", "仅研判和核实需要选择是否异常 (only for judge and close_investigation)");
  }
  if (v.action === "dispose" && v.disposition === undefined) {
    issue("disposition", "请选择处理方式 (required for dispose)");
  }
  if (v.action !== "dispose" && v.disposition !== undefined) {
    issue("disposition", "仅红牌处理需要处理方式 (only for dispose)");
  }
});
/** A validated decision. */
export type ReviewInput = z.infer<typeof ReviewInput>;

/** Validate a decision; throws a {@linkcode ValidationError} naming the first bad field. */
export function parseReviewInput(raw: unknown): ReviewInput {
  return parseOrThrow(ReviewInput, raw);
}

/** What {@linkcode recordReview} answers: the stored event, its audit record, and how it applied. */
export interface ReviewOutcome {
  event: Extract<CaseEvent, { type: "review" }>;
  auditId: number;
  /** The decision as the evaluator applied it (false `applied` with a note when it matched nothing). */
  record: ReviewRecord | null;
}

/**
 * Record a supervisor's decision on a case: check the case is the principal's to decide (404 out of
 * scope), store the `review` event through ingestion, then append the `case.review` audit record
 * naming the event. Ingestion commits its own transaction, so the audit record follows right after.
 */
export async function recordReview(
  deps: AppDeps,
  p: Principal,
  caseId: string,
  input: ReviewInput,
  ip: string | null,
): Promise<ReviewOutcome> {
  const { db } = deps.database;
  const [row] = await db.select({ department: cases.department, region: cases.region, hall: cases.hall })
    .from(cases).where(eq(cases.caseId, caseId));
  if (!row) throw new NotFoundError("没有此办件 (no such case)"); // same answer as out of scope: ids cannot be probed
  assertCanDecideCase(p, row);

  const now = deps.clock();
  const event = {
    // `at` has whole seconds: ids that sort by the clock keep same-second decisions in the order made.
    id: `review-${String(now).padStart(15, "0")}-${crypto.randomUUID()}`,
    case: caseId,
    type: "review" as const,
    at: shanghaiInstant(now),
    action: input.action,
    rule: input.rule,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    ...(input.abnormal === undefined ? {} : { abnormal: input.abnormal }),
    ...(input.disposition === undefined ? {} : { disposition: input.disposition }),
    reason: input.reason,
    by: p.name,
    // The account's office name beside its login (RULES.md §6: who decided), as it was at the decision.
    office: p.displayName || p.name,
  };
  // The decision and its audit record commit together: no decision without its who, when and why.
  let auditId: number | null = null;
  let record: ReviewRecord | null = null;
  const report = await ingestEvents(deps, [event], p.name, {
    inTransaction: async (tx, stored, evaluations) => {
      if (!stored.has(event.id)) return;
      // How the decision applied, from the evaluation ingestion just stored: the case is evaluated once.
      record = evaluations.get(caseId)?.reviews.find((r) => r.eventId === event.id) ?? null;
      const audit = await recordAudit(tx, {
        actor: p.name,
        role: p.role,
        action: "case.review",
        target: caseId,
        detail: { eventId: event.id, office: event.office, ...input },
        ip,
        at: new Date(now),
      });
      auditId = audit.id;
    },
  });
  if (report.stored !== 1 || auditId === null) {
    const why = report.refused[0];
    throw new ConflictError(`监察处理未能保存 (review not stored): ${why?.field ?? ""} ${why?.error ?? ""}`);
  }
  return { event, auditId, record };
}

/** The review route, to mount under `/api/v1`. */
export function reviewRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.post(
    "/cases/:case/reviews",
    describe(reviewDoc(ReviewInput)),
    requirePermission("cases:decide"),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new ValidationError("(body): must be a JSON object", { field: "(body)" });
      }
      const input = parseReviewInput(body);
      const ip = clientIp(c, deps.security?.trustProxy ?? false);
      const out = await recordReview(deps, requirePrincipal(c), c.req.param("case"), input, ip);
      return c.json({
        event: out.event,
        auditId: out.auditId,
        applied: out.record?.applied ?? false,
        note: out.record?.note ?? null,
      }, 201);
    },
  );
  return app;
}
