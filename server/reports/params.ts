/**
 * Validation of the report parameters (`month`, `level`, `from`, `to`) with zod; a bad value throws a
 * {@linkcode ValidationError} naming the field.
 *
 * @module
 */
import { z } from "zod";
import { addDays, dayNumber, isIsoDate } from "../../rules/dates.ts";
import type { IsoDate } from "../../rules/types.ts";
import { parseOrThrow } from "../errors.ts";

/** The longest period a red-card notice may cover, in days. */
export const MAX_PERIOD_DAYS = 366;

const Month = z.string({ error: "required (YYYY-MM)" })
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month YYYY-MM");
const Day = z.string({ error: "required (YYYY-MM-DD)" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine(isIsoDate, "not a calendar date");

/** The query of the rankings routes. */
export const RankingsQuery = z.object({
  month: Month,
  level: z.enum(["department", "region", "kind"], { error: "must be department, region or kind" })
    .default("department"),
});

/** The query of the red-card routes. */
export const PeriodQuery = z.object({ from: Day, to: Day }).superRefine((v, ctx) => {
  // zod runs this even when a field failed above: only compare two real dates.
  if (!isIsoDate(v.from) || !isIsoDate(v.to)) return;
  const span = dayNumber(v.to) - dayNumber(v.from);
  if (span < 0) ctx.addIssue({ code: "custom", path: ["to"], message: "must not be before from" });
  else if (span >= MAX_PERIOD_DAYS) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `period longer than ${MAX_PERIOD_DAYS} days` });
  }
});

/**
 * Ranking level: departments within their region, regions aggregating their departments and
 * sub-regions, or departments of one kind and tier across regions (server/reports/peers.ts).
 */
export type Level = "department" | "region" | "kind";

/** The levels in the order of the pages and exports. */
export const LEVELS: readonly Level[] = ["region", "department", "kind"];

/** A validated rankings query, with the month's first and last day. */
export interface RankingsParams {
  month: string;
  level: Level;
  from: IsoDate;
  to: IsoDate;
}

/** A validated period (both days inclusive). */
export interface Period {
  from: IsoDate;
  to: IsoDate;
}

function parse<T>(schema: z.ZodType<T>, raw: Record<string, string | undefined>): T {
  return parseOrThrow(schema, raw, "(query)");
}

/** The first and last day of a month `YYYY-MM`. */
export function monthPeriod(month: string): Period {
  const from = `${month}-01`;
  const [y, m] = month.split("-").map(Number);
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, "0")}-01`;
  return { from, to: addDays(next, -1) };
}

/** Validate `?month=&level=`. */
export function parseRankingsQuery(raw: Record<string, string | undefined>): RankingsParams {
  const q = parse(RankingsQuery, raw);
  return { ...q, ...monthPeriod(q.month) };
}

/** Validate `?from=&to=`. */
export function parsePeriod(raw: Record<string, string | undefined>): Period {
  return parse(PeriodQuery, raw);
}

/** The whole month a period covers exactly, or null when it is not one calendar month. */
export function wholeMonth(p: Period): string | null {
  const month = p.from.slice(0, 7);
  const m = monthPeriod(month);
  return m.from === p.from && m.to === p.to ? month : null;
}
