/**
 * Working-day calendars: the loaded and missing years, load or correct a year (`/admin/calendar`).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import { errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { CALENDAR_LABELS, CalendarPage } from "../pages/admin_calendar_page.tsx";
import { actorOf } from "./admin.ts";
import { calendarStatus, putCalendarYear } from "./calendar.ts";
import type { AdminPageKit } from "./admin_page_kit.tsx";

/** Register the calendar page. */
export function adminCalendarRoutes(app: Hono<Env>, kit: AdminPageKit, deps: AppDeps): void {
  const { page, csrf, html, form, manifest } = kit;
  const renderCalendar = async (
    c: Context,
    p: Principal,
    extra: Partial<Parameters<typeof CalendarPage>[0]> = {},
  ) => {
    const [status, m] = await Promise.all([calendarStatus(deps), manifest()]);
    const store = deps.calendar;
    const props = { years: store.rows, missing: status.missing, csrf: csrf(p), manifest: m, ...extra };
    return html(c, <CalendarPage {...props} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/calendar",
    page("calendar:write", (c, p) => {
      const saved = c.req.query("saved");
      const n = c.req.query("recalculated");
      const text = `${saved}年节假日安排已保存，已重新计算 ${n ?? 0} 件办件的时限。`;
      return renderCalendar(c, p, saved ? { banner: { tone: "ok", text } } : {});
    }),
  );

  app.post(
    "/admin/calendar",
    page("calendar:write", async (c, p) => {
      const f = await form(c);
      const values = {
        year: f.text("year") ?? "",
        data: f.text("data") ?? "",
        source: f.text("source") ?? "",
      };
      const errors: FieldErrors = {};
      let body: unknown;
      try {
        body = JSON.parse(values.data);
      } catch (err) {
        errors.data = `不是有效的 JSON（${(err as Error).message}）`;
      }
      if (!errors.data && values.source && typeof body === "object" && body && !Array.isArray(body)) {
        body = { ...body, source: values.source };
      }
      if (!errors.data) {
        try {
          const r = await putCalendarYear(deps, actorOf(c, deps), values.year, body);
          return c.redirect(`/admin/calendar?saved=${r.year}&recalculated=${r.recalculated}`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          errors[/^year must/.test(err.message) ? "year" : "data"] = err.message;
        }
      }
      return renderCalendar(c, p, {
        banner: errorBanner("年度安排", errors, CALENDAR_LABELS),
        form: values,
        errors,
      });
    }),
  );
}
