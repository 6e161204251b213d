/**
 * The working-day calendar as the server uses it: the `calendar_years` table, seeded with the
 * built-in State Council years at start-up when they are absent, built into one {@linkcode Calendar}
 * and rebuilt whenever any instance announces a change on NOTIFY `jct_calendar`. `server/main.ts`
 * opens one store ({@linkcode openCalendarStore}) and injects it as `deps.calendar`.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { BUILTIN_CALENDAR_DATA } from "../rules/builtin_calendar.ts";
import { Calendar, type CalendarData, type CalendarYear } from "../rules/calendar.ts";
import { type Database, query, type Tx } from "../db/client.ts";
import { calendarYears } from "../db/schema.ts";

/** The channel on which a calendar change is announced. */
export const CALENDAR_CHANNEL = "jct_calendar";

/** One stored year with where it came from. */
export interface StoredYear extends CalendarYear {
  year: number;
  source: string;
  updatedAt: string;
  updatedBy: string | null;
}

/** The calendar of a database, kept in step with the table. */
export class CalendarStore {
  #calendar: Calendar = new Calendar({ years: {} });
  #rows: StoredYear[] = [];
  #unlisten: (() => Promise<void>) | null = null;

  constructor(readonly database: Database) {}

  /** Stop following NOTIFY `jct_calendar`. */
  async close(): Promise<void> {
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    await unlisten?.();
  }

  /** Reload whenever any instance announces a change (called once, by {@linkcode openCalendarStore}). */
  async follow(): Promise<void> {
    const reload = () => this.reload().catch((err) => console.error("calendar reload failed:", err));
    let listens = 0;
    // After a lost connection is re-listened, changes announced meanwhile were missed: reload.
    this.#unlisten ??= await this.database.listen(CALENDAR_CHANNEL, reload, () => listens++ > 0 && reload());
  }

  /** The current calendar. */
  get calendar(): Calendar {
    return this.#calendar;
  }

  /** The stored years, ascending. */
  get rows(): readonly StoredYear[] {
    return this.#rows;
  }

  /** Re-read every year from the table and rebuild the calendar. */
  async reload(tx: Tx = this.database.db): Promise<void> {
    const rows = await query<
      {
        year: number;
        holidays: string[];
        workdays: string[];
        source: string;
        updated_at: unknown;
        updated_by: string | null;
      }
    >(
      tx,
      sql`select year, holidays, workdays, source, updated_at, updated_by from calendar_years order by year`,
    );
    const years: CalendarData["years"] = {};
    this.#rows = rows.map((r) => {
      const holidays = parseJson<string[]>(r.holidays), workdays = parseJson<string[]>(r.workdays);
      years[String(r.year)] = { holidays, workdays };
      return {
        year: Number(r.year),
        holidays,
        workdays,
        source: r.source,
        updatedAt: new Date(r.updated_at as string).toISOString(),
        updatedBy: r.updated_by,
      };
    });
    this.#calendar = new Calendar({ years });
  }
}

/** Insert the built-in years the table does not have yet (an administrator's corrections are kept). */
export async function seedBuiltinYears(tx: Tx): Promise<void> {
  const source = `内置: ${BUILTIN_CALENDAR_DATA.source ?? "State Council notices"}`;
  const rows = Object.entries(BUILTIN_CALENDAR_DATA.years).map(([year, y]) => ({
    year: Number(year),
    holidays: y.holidays,
    workdays: y.workdays,
    source,
  }));
  await tx.insert(calendarYears).values(rows).onConflictDoNothing();
}

/**
 * Open the calendar store of a database: seed the built-in years, load the table, and follow NOTIFY
 * `jct_calendar`. Once per process, before any transaction (PGlite has one connection).
 */
export async function openCalendarStore(database: Database): Promise<CalendarStore> {
  const store = new CalendarStore(database);
  await seedBuiltinYears(database.db);
  await store.reload();
  await store.follow();
  return store;
}

/** Store (insert or replace) one year; the caller validates it first and announces the change. */
export async function putYear(
  tx: Tx,
  year: number,
  data: CalendarYear,
  source: string,
  by: string | null,
  now: number,
): Promise<void> {
  await tx.insert(calendarYears)
    .values({ year, holidays: data.holidays, workdays: data.workdays, source, updatedBy: by })
    .onConflictDoUpdate({
      target: calendarYears.year,
      set: {
        holidays: data.holidays,
        workdays: data.workdays,
        source,
        updatedBy: by,
        updatedAt: new Date(now),
      },
    });
  await tx.execute(sql`select pg_notify(${CALENDAR_CHANNEL}, ${String(year)})`);
}

function parseJson<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}
