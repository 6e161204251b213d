/**
 * Calendar routes: which years are loaded and which around today are missing, one year's notice,
 * and an administrator's correction or new year (`PUT`), after which every case the calendar can
 * still change is recalculated.
 *
 * Any logged-in user may read; changing needs `calendar:write` (administrators) and is recorded in the
 * audit trail (`calendar.update`) in the same transaction as the change.
 *
 * @module
 */
import { inArray, isNotNull, or, sql } from "drizzle-orm";
import { Hono } from "hono";
import { Calendar, CalendarDataError } from "../../rules/calendar.ts";
import { dateIn } from "../../rules/dates.ts";
import { cases } from "../../db/schema.ts";
import type { Env } from "../app.ts";
import { putYear } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { requireAuth, requirePermission } from "../auth/middleware.ts";
import { type Principal, requirePrincipal } from "../auth/principal.ts";
import { recordAudit } from "../audit.ts";
import { clientIp } from "../security.ts";

/** Which calendar years are loaded, and which of last, this and next year are missing. */
export function calendarStatus(deps: Pick<AppDeps, "calendar" | "clock">) {
  const store = deps.calendar;
  const thisYear = Number(dateIn(deps.clock()).slice(0, 4));
  const around = [thisYear - 1, thisYear, thisYear + 1];
  return {
    years: store.rows.map(({ year, source, updatedAt, updatedBy }) => ({
      year,
      source,
      updatedAt,
      updatedBy,
    })),
    missing: around.filter((y) => !store.calendar.hasYear(y)),
  };
}
import { recalculateInChunks } from "../write/recalc.ts";
import { describe } from "../openapi/describe.ts";
import {
  calendarStatusDoc,
  calendarYearDoc,
  calendarYearInput,
  putCalendarYearDoc,
} from "../openapi/docs/calendar.ts";

/**
 * Store (or correct) one year's holidays and adjusted working days, audited as `calendar.update` in
 * the same transaction, then recalculate every case the calendar can still change. Validation errors
 * are the calendar's own messages ({@linkcode CalendarDataError}).
 */
export async function putCalendarYear(
  deps: AppDeps,
  actor: { principal: Principal; ip: string },
  key: string,
  body: unknown,
): Promise<{ year: number; recalculated: number }> {
  const p = actor.principal;
  const { db } = deps.database;
  const year = Number(key);
  if (!/^\d{4}$/.test(key) || year < 2000 || year > 2099) {
    throw new ValidationError(`year must be four digits from 2000 to 2099: ${key}`);
  }
  // The shape is the API document's (one schema); the dates themselves are the calendar's to check.
  const shape = calendarYearInput.safeParse(body);
  if (!shape.success) {
    const path = shape.error.issues[0].path.join(".");
    throw new ValidationError(
      path
        ? `${key}.${path}: ${path === "source" ? "must be a text" : "must be an array of dates"}`
        : "the body must be a JSON object {holidays, workdays, source?}",
    );
  }
  const { source: given } = body as { source?: unknown };
  let data;
  try {
    data = new Calendar({ years: { [key]: body as never } }).year(year)!;
  } catch (err) {
    if (err instanceof CalendarDataError) throw new ValidationError(err.message);
    throw err;
  }
  const source = typeof given === "string" && given ? given : "管理员录入 (administrator)";
  await db.transaction(async (tx) => {
    await putYear(tx, year, data, source, p.name, deps.clock());
    await recordAudit(tx, {
      actor: p.name,
      role: p.role,
      action: "calendar.update",
      target: key,
      detail: { source, holidays: data.holidays.length, workdays: data.workdays.length },
      ip: actor.ip,
      at: new Date(deps.clock()),
    });
  });
  const store = deps.calendar;
  await store.reload();
  // The calendar can change any case still open, any with a time-driven change pending, and any
  // that relied on the Monday–Friday fallback for this year.
  const rows = await db.select({ caseId: cases.caseId }).from(cases).where(or(
    inArray(cases.status, ["received", "accepted"]),
    isNotNull(cases.nextChangeAt),
    sql`${cases.calendarMissing} @> ${JSON.stringify([year])}::jsonb`,
  ));
  const recalculated = await recalculateInChunks(deps, rows.map((r) => r.caseId));
  return { year, recalculated };
}

/** The calendar routes, to mount under `/api/v1`. */
export function calendarRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get(
    "/calendar",
    describe(calendarStatusDoc),
    requireAuth(),
    (c) => c.json(calendarStatus(deps)),
  );

  app.get("/calendar/:year", describe(calendarYearDoc), requireAuth(), (c) => {
    const store = deps.calendar;
    const row = store.rows.find((r) => String(r.year) === c.req.param("year"));
    if (!row) throw new NotFoundError(`没有该年度的日历 (no calendar for ${c.req.param("year")})`);
    return c.json(row);
  });

  app.put("/calendar/:year", describe(putCalendarYearDoc), requirePermission("calendar:write"), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ValidationError("the body must be a JSON object {holidays, workdays, source?}");
    }
    const p = requirePrincipal(c);
    return c.json(
      await putCalendarYear(
        deps,
        { principal: p, ip: clientIp(c, deps.security?.trustProxy) },
        c.req.param("year"),
        body,
      ),
    );
  });
  return app;
}
