/**
 * Case routes: the evaluator's object for a case evaluated afresh from its stored events
 * (`GET /cases/:case`, identical to `deno task evaluate`), the case's full view for the detail page,
 * and the case list from the projection (the manual supervision queue: routes/queue_api.ts).
 *
 * Every route needs `cases:read` and shows only cases in the caller's scope: a case outside it answers
 * 404 exactly like an unknown id. Applicants' full names and contact details only to those who
 * `seesFullApplicant` (supervisors and the case's own department); everyone else gets masked names and
 * no contact.
 *
 * @module
 */
import { asc, eq, inArray } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { requirePermission } from "../auth/middleware.ts";
import { type Principal, requirePrincipal } from "../auth/principal.ts";
import { assertCanSeeCase, seesFullApplicant } from "../auth/scope.ts";
import { Hono } from "hono";
import { alertKey } from "../../rules/alert_key.ts";
import type { Permission } from "../auth/roles.ts";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { alertHistory, alerts, cases } from "../../db/schema.ts";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError } from "../errors.ts";
import { parseCaseListQuery } from "../cases/list_params.ts";
import { listCasePage } from "../cases/list_query.ts";
import { maskName } from "../privacy.ts";
import { loadQuarantinedEvents } from "../write/quarantine.ts";
import { evaluateStoredCase } from "../write/recalc.ts";
import { projectedOf } from "../../rules/evaluate.ts";
import { ruleName } from "../../rules/names.ts";
import { describe } from "../openapi/describe.ts";
import { caseDoc, caseListDoc, caseViewDoc } from "../openapi/docs/cases.ts";

const iso = (ms: number | null | undefined) => (ms == null ? null : shanghaiInstant(ms));

/** The case routes, to mount under `/api/v1`. */
export function caseRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;

  // The list and a case's evaluator object are also read back by department systems (cases:readback);
  // everything else under /cases needs cases:read.
  app.use("/cases", requirePermission("cases:readback"));
  app.use("/cases/:case", requirePermission("cases:readback"));
  app.use("/cases/:case/view", requirePermission("cases:read"));

  app.get("/cases/:case", describe(caseDoc), async (c) => {
    await placedCase(db, requirePrincipal(c), c.req.param("case"), "cases:readback");
    const evaluation = await evaluateStoredCase(deps, db, c.req.param("case"), deps.clock());
    if (!evaluation) throw new NotFoundError("没有此办件 (no such case)");
    return c.json(evaluation.result);
  });

  app.get("/cases/:case/view", describe(caseViewDoc), async (c) => {
    const caseId = c.req.param("case");
    const p = requirePrincipal(c);
    const full = seesFullApplicant(p, await placedCase(db, p, caseId));
    const ev = await evaluateStoredCase(deps, db, caseId, deps.clock());
    if (!ev) throw new NotFoundError("没有此办件 (no such case)");
    const [stored, quarantined] = await Promise.all([
      db.select().from(alerts).where(eq(alerts.caseId, caseId)),
      loadQuarantinedEvents(db, caseId),
    ]);
    const history = stored.length
      ? await db.select().from(alertHistory).where(inArray(alertHistory.alertId, stored.map((a) => a.id)))
        .orderBy(asc(alertHistory.id))
      : [];
    const byKey = new Map(stored.map((a) => [alertKey({ ...a, case: caseId }), a]));
    return c.json({
      result: ev.result,
      itemCode: ev.itemCode,
      department: ev.department,
      hall: ev.hall,
      nextChangeAt: iso(ev.nextChangeAt),
      timeline: ev.timeline.map(({ id, type, at, ms: _ms, date: _date, case: _case, ...fields }) => ({
        id,
        type,
        at,
        fields: full ? fields : maskApplicant(fields),
      })),
      // 已隔离: stored and acknowledged, but not evaluated (server/write/quarantine.ts).
      quarantined: quarantined.map(({ id, type, at, sender, reason, event }) => {
        const { id: _id, type: _type, at: _at, case: _case, ...fields } = event as unknown as Record<
          string,
          unknown
        >;
        return { id, type, at, sender, reason, fields: full ? fields : maskApplicant(fields) };
      }),
      alerts: ev.result.alerts.map((a) => {
        const row = byKey.get(alertKey({ ...a, case: caseId }));
        return {
          ...a,
          name: ruleName(a.rule),
          raisedAt: iso(projectedOf(ev, a)?.raisedAt),
          history: row
            ? history.filter((h) => h.alertId === row.id).map((h) => ({
              change: h.change,
              on: h.on,
              at: h.at,
            }))
            : [],
        };
      }),
      withdrawnAlerts: stored.filter((a) => a.withdrawnAt !== null).map((a) => ({
        rule: a.rule,
        name: ruleName(a.rule),
        level: a.level,
        on: a.on,
        subject: a.subject || null,
        withdrawnAt: a.withdrawnAt,
      })),
      findings: ev.findings.map((f) => ({
        rule: f.rule,
        name: ruleName(f.rule),
        on: f.on,
        state: f.transitions.at(-1)!.state,
        transitions: f.transitions.map((t) => ({ ...t, at: iso(t.at) })),
      })),
      manual: ev.manual.map((m) => ({ ...m, openedAt: iso(m.openedAt), closedAt: iso(m.closedAt) })),
      refusedAppeals: ev.refusedAppeals,
      reviews: ev.reviews.map((r) => ({ ...r, at: iso(r.at) })),
      dispositions: ev.dispositions.map((d) => ({ ...d, at: iso(d.at) })),
      calendarMissing: ev.calendarMissing,
    });
  });

  app.get("/cases", describe(caseListDoc), async (c) => {
    const params = parseCaseListQuery(c.req.query());
    const { calendar } = deps.calendar;
    const page = await listCasePage(db, requirePrincipal(c), params, calendar, dateIn(deps.clock()));
    return c.json({
      cases: page.cases,
      next: page.next,
      prev: page.prev,
      total: page.total,
      totalCapped: page.totalCapped,
    });
  });

  return app;
}

/**
 * Where a case belongs, from the projection; 404 (like an unknown id) unless the principal may see it.
 * A case with events but no projection row yet is placed nowhere: only the whole-province scope sees it.
 */
async function placedCase(
  db: Tx,
  p: Principal,
  caseId: string,
  permission: Extract<Permission, "cases:read" | "cases:readback"> = "cases:read",
) {
  const [row] = await db.select({ department: cases.department, region: cases.region, hall: cases.hall })
    .from(cases).where(eq(cases.caseId, caseId));
  const placed = row ?? {};
  assertCanSeeCase(p, placed, permission);
  return placed;
}

/** An event's fields with the applicant's name masked and contact details dropped. */
function maskApplicant(fields: Record<string, unknown>): Record<string, unknown> {
  const a = fields.applicant as
    | { name?: string; contact?: string; kind?: "person" | "organization" }
    | undefined;
  if (!a || typeof a !== "object") return fields;
  const { contact: _contact, ...rest } = a;
  return {
    ...fields,
    applicant: { ...rest, ...(a.name === undefined ? {} : { name: maskName(a.name, a.kind) }) },
  };
}
