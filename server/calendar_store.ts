/**
 * The working-day calendar as the server uses it: the `calendar_years` table, seeded with the
 * built-in State Council years at start-up when they are absent, built into one {@linkcode Calendar}
 * per process and rebuilt whenever any instance announces a change on NOTIFY `jct_calendar`.
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

/** The process's calendar, kept in step with the table. */
export class CalendarStore {
  #calendar: Calendar = new Calendar({ years: {} });
  #rows: StoredYear[] = [];

  constructor(readonly database: Database) {}

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

const stores = new WeakMap<Database, Promise<CalendarStore>>();

/**
 * The calendar store of a database, created once per process: seeds the built-in years, loads the
 * table, and reloads on NOTIFY `jct_calendar`. Inside a transaction pass it as `tx` (PGlite has one
 * connection: a query outside the open transaction would wait for it forever).
 */
export function calendarStore(database: Database, tx?: Tx): Promise<CalendarStore> {
  let store = stores.get(database);
  if (!store) {
    store = (async () => {
      const s = new CalendarStore(database);
      await seedBuiltinYears(tx ?? database.db);
      await s.reload(tx ?? database.db);
      const listening = database.listen(CALENDAR_CHANNEL, () => {
        s.reload().catch((err) => console.error("calendar reload failed:", err));
      });
      // Within a transaction the LISTEN can only run after it: do not wait for it there.
      if (tx) listening.catch((err) => console.error("calendar listen failed:", err));
      else await listening;
      return s;
    })();
    stores.set(database, store);
    store.catch(() => stores.delete(database));
  }
  return store;
}

/** Store (insert or replace) one year; the caller validates it first and announces the change. */
export async function putYear(
  tx: Tx,
  year: number,
  data: CalendarYear,
  source: string,
  by: string | null,
): Promise<void> {
  await tx.insert(calendarYears)
    .values({ year, holidays: data.holidays, workdays: data.workdays, source, updatedBy: by })
    .onConflictDoUpdate({
      target: calendarYears.year,
      set: { holidays: data.holidays, workdays: data.workdays, source, updatedBy: by, updatedAt: new Date() },
    });
  await tx.execute(sql`select pg_notify(${CALENDAR_CHANNEL}, ${String(year)})`);
}

function parseJson<T>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}
