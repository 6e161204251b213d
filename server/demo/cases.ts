/**
 * The demo's case load: a few thousand cases received over the last working days, spread over the
 * items by their weights, numbered as halls number them (region code, date, serial).
 *
 * @module
 */
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import type { Calendar } from "../../rules/calendar.ts";
import { dateIn, startOfDay } from "../../rules/dates.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { DEMO_ITEMS, type DemoItem } from "./henan_items.ts";
import { planCase } from "./plan.ts";
import { Random } from "./random.ts";

/** Options of {@linkcode demoCases}. */
export interface DemoCaseOptions {
  /** The present instant (epoch ms): no event is later. */
  now: number;
  /** Number of cases to plan (a few received late today may have no event yet and are left out). */
  cases: number;
  seed: number;
  /** How many working days back the received dates reach (default 30). */
  workdays?: number;
  items?: DemoItem[];
  calendar?: Calendar;
}

/** The events of each demo case, case by case. */
export function demoCases(opts: DemoCaseOptions): CaseEvent[][] {
  const cal = opts.calendar ?? builtinCalendar();
  const rng = new Random(opts.seed);
  const items = opts.items ?? DEMO_ITEMS;
  const weights = items.map((d) => d.weight);
  const today = dateIn(opts.now);
  // Today counts once the hall has been open a while.
  const last = cal.isWorkday(today) && opts.now >= startOfDay(today) + 9 * 3600_000
    ? today
    : cal.addWorkdays(today, -1);
  const days = Array.from({ length: opts.workdays ?? 30 }, (_, i) => cal.addWorkdays(last, -i));
  const serials = new Map<string, number>();
  const out: CaseEvent[][] = [];
  for (let i = 0; i < opts.cases; i++) {
    const d = rng.weighted(items, weights);
    const day = rng.pick(days);
    const region = d.item.department.split("-")[0];
    const key = region + day.replaceAll("-", "");
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    const events = planCase(cal, rng, key + String(serial).padStart(5, "0"), d, day, opts.now);
    if (events.length) out.push(events);
  }
  return out;
}
