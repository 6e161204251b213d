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
import { calendarStore, putYear } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { requireAuth, requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { recordAudit } from "../audit.ts";
import { clientIp } from "../security.ts";

/** Which calendar years are loaded, and which of last, this and next year are missing. */
export async function calendarStatus(deps: AppDeps) {
  const store = await calendarStore(deps.database);
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
import { recalculateInChunks } from "../recalc.ts";

/** The calendar routes, to mount under `/api/v1`. */
export function calendarRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;

  app.get("/calendar", requireAuth(), async (c) => c.json(await calendarStatus(deps)));

  app.get("/calendar/:year", requireAuth(), async (c) => {
    const store = await calendarStore(deps.database);
    const row = store.rows.find((r) => String(r.year) === c.req.param("year"));
    if (!row) throw new NotFoundError(`没有该年度的日历 (no calendar for ${c.req.param("year")})`);
    return c.json(row);
  });

  app.put("/calendar/:year", requirePermission("calendar:write"), async (c) => {
    const p = requirePrincipal(c);
    const key = c.req.param("year");
    const year = Number(key);
    if (!/^\d{4}$/.test(key) || year < 2000 || year > 2099) {
      throw new ValidationError(`year must be four digits from 2000 to 2099: ${key}`);
    }
    let body: { holidays?: unknown; workdays?: unknown; source?: unknown };
    try {
      body = await c.req.json();
    } catch {
      throw new ValidationError("the body must be a JSON object {holidays, workdays, source?}");
    }
    let data;
    try {
      data = new Calendar({ years: { [key]: body as never } }).year(year)!;
    } catch (err) {
      if (err instanceof CalendarDataError) throw new ValidationError(err.message);
      throw err;
    }
    const source = typeof body.source === "string" && body.source
      ? body.source
      : "管理员录入 (administrator)";
    await db.transaction(async (tx) => {
      await putYear(tx, year, data, source, p.name);
      await recordAudit(tx, {
        actor: p.name,
        role: p.role,
        action: "calendar.update",
        target: key,
        detail: { source, holidays: data.holidays.length, workdays: data.workdays.length },
        ip: clientIp(c, deps.security?.trustProxy),
      });
    });
    const store = await calendarStore(deps.database);
    await store.reload();
    // The calendar can change any case still open, any with a time-driven change pending, and any
    // that relied on the Monday–Friday fallback for this year.
    const rows = await db.select({ caseId: cases.caseId }).from(cases).where(or(
      inArray(cases.status, ["received", "accepted"]),
      isNotNull(cases.nextChangeAt),
      sql`${cases.calendarMissing} @> ${JSON.stringify([year])}::jsonb`,
    ));
    const recalculated = await recalculateInChunks(deps, rows.map((r) => r.caseId));
    return c.json({ year, recalculated });
  });
  return app;
}
