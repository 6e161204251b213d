/**
 * The case list's query (`GET /api/v1/cases`, `/cases`, the exports): one zod schema for the API and
 * the pages, and the opaque keyset cursor. A bad value throws a {@linkcode ValidationError} naming the
 * field.
 *
 * @module
 */
import { z } from "zod";
import { isIsoDate } from "../../rules/dates.ts";
import { LIST_STATUSES } from "../../rules/list_status.ts";
import { parseOrThrow, ValidationError } from "../errors.ts";

/** Sorts of the list: remaining (most urgent first), deadline (soonest first), received (oldest / newest first). */
export const SORTS = ["remaining", "deadline", "received", "-received"] as const;
/** A sort of the list. */
export type Sort = typeof SORTS[number];

/**
 * Most cases counted for a filter the live counters cannot answer (a search, an item, dates, alerts):
 * beyond it the list's total is this many and `totalCapped` (server/cases/list_query.ts).
 */
export const COUNT_CAP = 10_000;

/** Most rows of one page. */
export const MAX_LIMIT = 1000;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD").refine(
  isIsoDate,
  "not a calendar date",
);
const Code = z.string().min(1, "must not be empty").max(64, "longer than 64 characters");
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
const opt = <T extends z.ZodType>(s: T) => z.preprocess(blankToUndefined, s.optional());

/** The list query as validated. */
export const CaseListQuery = z.object({
  q: opt(z.string().trim().max(128, "longer than 128 characters")),
  department: opt(Code),
  region: opt(Code),
  status: z.preprocess(
    blankToUndefined,
    z.enum(LIST_STATUSES, { error: `must be one of ${LIST_STATUSES.join(", ")}` }).default("all"),
  ),
  item: opt(Code),
  hall: opt(Code),
  rule: opt(z.string().regex(/^[89]\.\d{1,2}[a-z]?$/, "must be a rule id such as 8.1 or 8.5a")),
  level: opt(z.enum(["warning", "red"], { error: "must be warning or red" })),
  receivedFrom: opt(Day),
  receivedTo: opt(Day),
  sort: z.preprocess(
    blankToUndefined,
    z.enum(SORTS, { error: `must be one of ${SORTS.join(", ")}` }).default("remaining"),
  ),
  limit: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: "must be a number" }).int("must be a whole number")
      .min(1, "must be at least 1").max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`).default(100),
  ),
  cursor: opt(z.string().max(2000, "too long")),
  /**
   * `masked`: every applicant name masked, as the desk page shows them (it is seen on shared screens).
   * Without it, supervisors and the case's own department get full names, everyone else masked ones.
   */
  names: opt(z.enum(["masked"], { error: "must be masked" })),
  /** Cases (re-)evaluated after this instant (department systems reading back), oldest change first. */
  changedSince: opt(
    // Years 0001–9999: JavaScript also reads year 0 and ±6-digit years, which the database refuses.
    z.string().refine(
      (s) => /^(?!0000)\d{4}-/.test(s) && /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)),
      { message: "must be an RFC 3339 instant with offset" },
    ),
  ),
}).superRefine((v, ctx) => {
  if (v.receivedFrom && v.receivedTo && v.receivedTo < v.receivedFrom) {
    ctx.addIssue({ code: "custom", path: ["receivedTo"], message: "must not be before receivedFrom" });
  }
});

/** A validated list query. */
export type CaseListParams = z.infer<typeof CaseListQuery>;

/** Validate the query string of the list. */
export function parseCaseListQuery(raw: Record<string, string | undefined>): CaseListParams {
  return parseOrThrow(CaseListQuery, raw, "(query)");
}

/**
 * A keyset position: where the row is in the sort (group, stream, key, case id), the direction (`n` rows after it, `p` rows before it), the sort it belongs to and the
 * filter's total as counted on the first page (`capped`: at least that many, see server/cases/list_query.ts).
 */
export interface Cursor {
  s: Sort;
  /** The group of the sort and the stream within it (server/cases/list_query.ts). */
  g: number;
  j: number;
  v: number | string | null;
  id: string;
  d: "n" | "p";
  total: number;
  capped?: boolean;
}

const CursorShape = z.object({
  s: z.enum(SORTS),
  g: z.number().int().min(0).max(5),
  j: z.number().int().min(0).max(5),
  v: z.union([z.number(), z.string().max(64), z.null()]),
  // A case id as the database keeps it: text never holds U+0000.
  id: z.string().max(128).refine((s) => !s.includes("\u0000")),
  d: z.enum(["n", "p"]),
  total: z.number().int().min(0),
  capped: z.boolean().optional(),
});

/** The cursor as the opaque text clients pass back. */
export function encodeCursor(c: Cursor): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(c))))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Read a cursor; a cursor of another sort, or not one of ours, is refused naming `cursor`. */
export function decodeCursor(text: string, sort: Sort): Cursor {
  let parsed: unknown;
  try {
    const bin = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    parsed = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw new ValidationError("cursor: not a cursor of this list", { field: "cursor" });
  }
  const r = CursorShape.safeParse(parsed);
  if (!r.success) throw new ValidationError("cursor: not a cursor of this list", { field: "cursor" });
  if (r.data.s !== sort) throw new ValidationError("cursor: belongs to another sort", { field: "cursor" });
  return r.data;
}
