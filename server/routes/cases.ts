/**
 * Case routes: the evaluator's object for a case evaluated afresh from its stored events
 * (`GET /cases/:case`, identical to `deno task evaluate`), the case's full view for the detail page,
 * the case list from the projection, and the manual supervision queue.
 *
 * @module
 */
import { and, asc, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { Hono } from "hono";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { alertHistory, alerts, cases, manualQueue } from "../../db/schema.ts";
import type { Env } from "../app.ts";
import { calendarStore } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { maskName } from "../privacy.ts";
import { evaluateStoredCase } from "../recalc.ts";
import { ruleName } from "../../rules/names.ts";

const iso = (ms: number | null | undefined) => (ms == null ? null : shanghaiInstant(ms));

/** The case routes, to mount under `/api/v1`. */
export function caseRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;

  app.get("/cases/:case", async (c) => {
    const evaluation = await evaluateStoredCase(deps, db, c.req.param("case"), deps.clock());
    if (!evaluation) throw new NotFoundError(`没有此办件 (unknown case): ${c.req.param("case")}`);
    return c.json(evaluation.result);
  });

  app.get("/cases/:case/view", async (c) => {
    const caseId = c.req.param("case");
    const ev = await evaluateStoredCase(deps, db, caseId, deps.clock());
    if (!ev) throw new NotFoundError(`没有此办件 (unknown case): ${caseId}`);
    const stored = await db.select().from(alerts).where(eq(alerts.caseId, caseId));
    const history = stored.length
      ? await db.select().from(alertHistory).where(inArray(alertHistory.alertId, stored.map((a) => a.id)))
        .orderBy(asc(alertHistory.id))
      : [];
    const byKey = new Map(stored.map((a) => [`${a.rule}|${a.subject}|${a.level}|${a.on}`, a]));
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
        fields,
      })),
      alerts: ev.result.alerts.map((a, i) => {
        const row = byKey.get(`${a.rule}|${a.subject ?? ""}|${a.level}|${a.on}`);
        return {
          ...a,
          name: ruleName(a.rule),
          raisedAt: iso(ev.alerts[i].raisedAt),
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

  app.get("/cases", async (c) => {
    const q = c.req.query();
    const limit = q.limit === undefined ? 100 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new ValidationError("limit must be a whole number from 1 to 1000");
    }
    const where: SQL[] = [];
    if (q.department) where.push(eq(cases.department, q.department));
    if (q.hall) where.push(eq(cases.hall, q.hall));
    if (q.region) where.push(eq(cases.region, q.region));
    if (q.status) where.push(eq(cases.status, q.status));
    const rows = await db.select().from(cases).where(and(...where)).orderBy(asc(cases.caseId)).limit(limit);
    return c.json(rows.map((r) => ({
      case: r.caseId,
      status: r.status,
      itemCode: r.itemCode,
      department: r.department,
      hall: r.hall,
      region: r.region,
      applicant: maskName(r.applicantName),
      receivedOn: r.receivedOn,
      acceptedOn: r.acceptedOn,
      closedOn: r.closedOn,
      deadline: r.deadline,
      remaining: r.remaining,
      paused: r.paused,
      alerts: (r.result as { alerts: unknown[] }).alerts.length,
      error: r.error,
      evaluatedAt: r.evaluatedAt,
    })));
  });

  app.get("/queue", async (c) => {
    const department = c.req.query("department");
    const where = [isNull(manualQueue.closedAt)];
    if (department) where.push(eq(manualQueue.department, department));
    const rows = await db.select().from(manualQueue).where(and(...where)).orderBy(asc(manualQueue.openedAt));
    const { calendar } = await calendarStore(deps.database);
    const today = dateIn(deps.clock());
    return c.json(rows.map((r) => ({
      id: r.id,
      case: r.caseId,
      rule: r.rule,
      name: ruleName(r.rule),
      kind: r.kind,
      subject: r.subject || null,
      department: r.department,
      region: r.region,
      openedAt: iso(r.openedAt.getTime()),
      ageWorkdays: calendar.workdaysBetween(dateIn(r.openedAt.getTime()), today),
    })));
  });
  return app;
}
