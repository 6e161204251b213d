/**
 * Department staff answer their cases' alerts and findings (RULES.md §5, issue 10 item 5): an
 * explanation (情况说明) on an alert or a finding, and the 9.10 appeal of a finding. Both are recorded
 * with the signed-in account and the time, audited in the same transaction, and shown to supervisors
 * (case page; the queue through {@linkcode explanationsFor}).
 *
 * An appeal is an `appeal` event in the case's timeline (sender: the account), so the evaluator decides
 * whether it is in time, exactly as for an appeal a department system sends; a refused one comes back
 * with the evaluator's reason and date.
 *
 * @module
 */
import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { cases } from "../../db/schema.ts";
import { explanations } from "../../db/schema_desk.ts";
import { alertKey } from "../../rules/alert_key.ts";
import { shanghaiInstant } from "../../rules/dates.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import { roleCan } from "../auth/roles.ts";
import { assertCanSeeCase } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../errors.ts";
import { ingestEvents } from "../write/ingest.ts";
import { evaluateStoredCase } from "../write/recalc.ts";

const Text = z.string().trim().min(1, "请填写内容 (required)").max(
  2000,
  "最多 2000 字 (at most 2000 characters)",
);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD");

/** An explanation as posted: on an alert (rule, subject, level, on) or a finding (rule, on). */
export const ExplanationInput = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("alert"),
    rule: z.string().min(1).max(8),
    subject: z.string().max(128).optional(),
    level: z.enum(["warning", "red"]),
    on: Day,
    text: Text,
  }),
  z.object({ kind: z.literal("finding"), rule: z.string().min(1).max(8), on: Day, text: Text }),
], { error: "kind must be alert or finding" });
/** A validated explanation. */
export type ExplanationInput = z.infer<typeof ExplanationInput>;

/** A 9.10 appeal as posted. */
export const AppealInput = z.object({
  rule: z.string().regex(/^9\.\d$/, "must be a rule 9.1–9.9"),
  text: Text,
});
/** A validated appeal. */
export type AppealInput = z.infer<typeof AppealInput>;

/** A stored explanation. */
export type Explanation = typeof explanations.$inferSelect;

/** Validate a posted explanation or appeal; the error names the field. */
export function parseAnswer<T>(schema: z.ZodType<T>, raw: unknown): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  throw new ValidationError(`${first.path.join(".") || "kind"}: ${first.message}`, {
    field: first.path.join("."),
  });
}

async function ownCase(
  deps: AppDeps,
  p: Principal,
  caseId: string,
  permission: "cases:explain" | "cases:appeal",
) {
  const [row] = await deps.database.db.select({
    department: cases.department,
    region: cases.region,
    hall: cases.hall,
  }).from(cases).where(eq(cases.caseId, caseId));
  if (!row) throw new NotFoundError("没有此办件 (no such case)");
  assertCanSeeCase(p, row);
  if (!roleCan(p.role, permission)) {
    throw new ForbiddenError("只有办件所属部门的工作人员可以提交 (department staff only)");
  }
  return row;
}

/** Record an explanation on an alert or finding the case has; audited. */
export async function recordExplanation(
  deps: AppDeps,
  p: Principal,
  caseId: string,
  input: ExplanationInput,
  ip: string | null,
): Promise<Explanation> {
  const row = await ownCase(deps, p, caseId, "cases:explain");
  const now = deps.clock();
  const ev = await evaluateStoredCase(deps, deps.database.db, caseId, now);
  const subject = input.kind === "alert" ? input.subject ?? null : null;
  const found = input.kind === "alert"
    ? ev?.result.alerts.some((a) =>
      alertKey({ case: caseId, ...a }) ===
        alertKey({ case: caseId, rule: input.rule, subject, level: input.level, on: input.on })
    )
    : ev?.result.findings.some((f) => f.rule === input.rule && f.on === input.on);
  if (!found) {
    throw new ValidationError("rule: 此办件没有该预警或评价结果 (no such alert or finding)", {
      field: "rule",
    });
  }
  return await deps.database.db.transaction(async (tx) => {
    const [stored] = await tx.insert(explanations).values({
      caseId,
      kind: input.kind,
      rule: input.rule,
      subject: subject ?? "",
      level: input.kind === "alert" ? input.level : "",
      on: input.on,
      text: input.text,
      by: p.name,
      byName: p.displayName ?? null,
      at: new Date(now),
      department: row.department,
      region: row.region,
    }).returning();
    await recordAudit(tx, {
      actor: p.name,
      role: p.role,
      action: "case.explanation",
      target: caseId,
      detail: { id: stored.id, kind: input.kind, rule: input.rule, subject, on: input.on },
      ip,
      at: new Date(now),
    });
    return stored;
  });
}

/** How an appeal ended: stored and in time, or stored and refused by the rules (with why). */
export interface AppealOutcome {
  eventId: string;
  refused: string | null;
}

/** File the 9.10 appeal of a finding as an `appeal` event of the signed-in account; audited. */
export async function recordAppeal(
  deps: AppDeps,
  p: Principal,
  caseId: string,
  input: AppealInput,
  ip: string | null,
): Promise<AppealOutcome> {
  await ownCase(deps, p, caseId, "cases:appeal");
  const now = deps.clock();
  const event = {
    id: `appeal-${String(now).padStart(15, "0")}-${crypto.randomUUID()}`,
    case: caseId,
    type: "appeal" as const,
    at: shanghaiInstant(now),
    rule: input.rule,
    text: input.text,
  };
  let refused: string | null = null;
  let audited = false;
  const report = await ingestEvents(deps, [event], p.name, {
    inTransaction: async (tx, stored, evaluations) => {
      if (!stored.has(event.id)) return;
      refused = evaluations.get(caseId)?.refusedAppeals.find((r) => r.eventId === event.id)?.reason ?? null;
      await recordAudit(tx, {
        actor: p.name,
        role: p.role,
        action: "case.appeal",
        target: caseId,
        detail: { eventId: event.id, rule: input.rule, refused },
        ip,
        at: new Date(now),
      });
      audited = true;
    },
  });
  if (report.stored !== 1 || !audited) {
    const why = report.refused[0];
    throw new ConflictError(`申诉未能保存 (appeal not stored): ${why?.field ?? ""} ${why?.error ?? ""}`);
  }
  return { eventId: event.id, refused };
}

/** The explanations of some cases, oldest first, by case (for the case page and the supervision queue). */
export async function explanationsFor(
  tx: Tx,
  caseIds: readonly string[],
): Promise<Map<string, Explanation[]>> {
  const out = new Map<string, Explanation[]>();
  if (caseIds.length === 0) return out;
  const rows = await tx.select().from(explanations).where(inArray(explanations.caseId, [...new Set(caseIds)]))
    .orderBy(asc(explanations.caseId), asc(explanations.id));
  for (const r of rows) out.set(r.caseId, [...(out.get(r.caseId) ?? []), r]);
  return out;
}
