/**
 * The case list as a keyset-paged query over the projection (`cases`), for `GET /api/v1/cases`, the
 * `/cases` page and its exports.
 *
 * Every sort is a short sequence of segments, each an index range (db/schema.ts): by remaining, the
 * running cases by `countdown_zero` (their remaining today is countdown_zero − ordinal(today), the
 * same order for every case), then the frozen ones by their stored remaining, then those without a
 * countdown. A page reads the segments in order until it has its rows, so no page sorts the filter's
 * whole result. The filter's total is found once, on the first page, and carried in the cursors:
 * for the common lists (a scope and a status) it is the sum of a few live counters, whatever the
 * number of cases; any other filter is counted up to {@linkcode COUNT_CAP} (`totalCapped`: at least).
 * A filter with indexes of its own (search, item, alerts) that matches at most COUNT_CAP cases is read
 * through those indexes and each segment sorts its share of the matches (`orderOf`): a bounded sort
 * instead of a walk of the segment's index that may pass most of the scope before meeting a match.
 *
 * @module
 */
import { and, asc, desc, eq, gt, gte, inArray, lte, type SQL, sql } from "drizzle-orm";
import { type AnyPgColumn, unionAll } from "drizzle-orm/pg-core";
import type { Tx } from "../../db/client.ts";
import { cases, counters, departments, halls, items } from "../../db/schema.ts";
import { alertToken } from "../../rules/active_alerts.ts";
import type { Calendar } from "../../rules/calendar.ts";
import { countdownFromColumns, remainingOn, RUNNING_STATUS } from "../../rules/countdown.ts";
import { isIsoDate } from "../../rules/dates.ts";
import { CASE_STATUSES, statusMembers } from "../../rules/list_status.ts";
import type { CaseResult, CaseStatus, IsoDate } from "../../rules/types.ts";
import type { Principal } from "../auth/principal.ts";
import {
  assertFilterInScope,
  regionTree,
  scopeWhere,
  seesApplicants,
  seesFullApplicant,
} from "../auth/scope.ts";
import { ValidationError } from "../errors.ts";
import { maskName } from "../privacy.ts";
import { STATUS_METRIC } from "../write/counts.ts";
import {
  type CaseListParams,
  COUNT_CAP,
  type Cursor,
  decodeCursor,
  encodeCursor,
  type Sort,
} from "./list_params.ts";
import { searchItems, searchWhere } from "./list_search.ts";

/** One row of the list: the evaluator's figures as of today, with names. */
export interface CaseListRow {
  case: string;
  status: string;
  itemCode: string | null;
  itemName: string | null;
  department: string | null;
  departmentName: string | null;
  hall: string | null;
  hallName: string | null;
  region: string | null;
  /** The applicant's name: full for supervisors and the case's own department, else masked. */
  applicant: string | null;
  receivedOn: string | null;
  acceptedOn: string | null;
  closedOn: string | null;
  deadline: string | null;
  /** remaining(today), as `GET /api/v1/cases/:case` gives it. */
  remaining: number | null;
  paused: boolean;
  /** The evaluator's alerts of the case (all, with `resolved` and `voided`). */
  alerts: CaseResult["alerts"];
  error: string | null;
  evaluatedAt: string;
}

/** One page of the list. */
export interface CaseListPage {
  cases: CaseListRow[];
  next: string | null;
  prev: string | null;
  /** The filter's total; with `totalCapped`, at least this many (the count stopped there). */
  total: number;
  totalCapped: boolean;
  today: IsoDate;
}

type Row = Awaited<ReturnType<typeof selectRows>>[number];

/** One index range of a sort: rows with `where`, ordered by (`col` + `shift`, case id). */
interface Stream {
  where: SQL;
  /** The key column, or null when ordered by case id alone. */
  col: AnyPgColumn | null;
  cast: string;
  /** The row's key in column space (before `shift`). */
  raw: (r: Row) => number | string | null;
  /** Added to the column to give the sort key (running cases: −ordinal(today)). */
  shift: number;
}

/**
 * The groups of a sort, read in order; within a group the streams are merged on (key, stream index,
 * case id) — ties across streams are broken by the stream index, so no two streams' case ids are ever
 * compared outside the database. `descending` reverses the whole order.
 */
interface SortPlan {
  groups: Stream[][];
  descending: boolean;
  /**
   * Read each group's streams in one statement (`union all` of their ranges, ordered by stream, key and
   * case id by the database) rather than one statement each: the remaining sort's first group has a
   * stream per status and the running one.
   */
  oneStatement?: boolean;
}

const isNull = (c: AnyPgColumn) => sql`${c} is null`;
const notNull = (c: AnyPgColumn) => sql`${c} is not null`;
const byId = (where: SQL): Stream => ({ where, col: null, cast: "", raw: () => null, shift: 0 });
/**
 * By a date column (`raw`: the row's date), the rows without one after them by case id; each group one
 * stream per status, merged on (key, stream index, case id). Each stream is one range of a (department,
 * status, key, case_id) or (status, key, case_id) index, so a page of a department's or the province's
 * cases of a status never reads the cases of the other statuses (most of them completed) ahead of its own.
 */
function byDate(
  col: AnyPgColumn,
  raw: (r: Row) => string | null,
  descending: boolean,
  statuses: readonly CaseStatus[],
): SortPlan {
  const of = (s: CaseStatus) => eq(cases.status, s);
  return {
    descending,
    groups: [
      statuses.map((s) => ({ where: and(of(s), notNull(col))!, col, cast: "date", raw, shift: 0 })),
      statuses.map((s) => byId(and(of(s), isNull(col))!)),
    ],
  };
}

/**
 * The plan of a sort for the filter's statuses. By remaining: the running countdowns (only
 * {@linkcode RUNNING_STATUS} runs, so a filter without it skips that stream, which would otherwise read
 * every running case of the scope to find none), then the frozen ones one stream per status, each one
 * range of a (department, status, remaining, case_id) or (status, remaining, case_id) partial index —
 * one index per scope for every status filter, and no status's page reads the other statuses' rows
 * (most of them completed) ahead of its own. The date sorts read one stream per status too.
 */
function sortPlan(sort: Sort | "changed", todayOrdinal: number, statuses: readonly CaseStatus[]): SortPlan {
  const running = statuses.includes(RUNNING_STATUS);
  const frozen = (s: CaseStatus) => and(eq(cases.status, s), isNull(cases.countdownZero));
  switch (sort) {
    case "remaining":
      return {
        descending: false,
        oneStatement: true,
        groups: [[
          ...(running
            ? [{
              where: notNull(cases.countdownZero),
              col: cases.countdownZero,
              cast: "int",
              raw: (r: Row) => r.countdownZero,
              shift: -todayOrdinal,
            }]
            : []),
          ...statuses.map((s): Stream => ({
            where: and(frozen(s), notNull(cases.remaining))!,
            col: cases.remaining,
            cast: "int",
            raw: (r) => r.remaining,
            shift: 0,
          })),
        ], statuses.map((s) => byId(and(frozen(s), isNull(cases.remaining))!))],
      };
    case "deadline":
      return byDate(cases.deadline, (r) => r.deadline, false, statuses);
    case "received":
    case "-received":
      return byDate(cases.receivedOn, (r) => r.receivedOn, sort === "-received", statuses);
    case "changed":
      return {
        descending: false,
        groups: [[{
          where: sql`true`,
          col: cases.evaluatedAt,
          cast: "timestamptz",
          raw: (r) => r.evaluatedAt.toISOString(),
          shift: 0,
        }]],
      };
  }
}

const INT_MAX = 2 ** 31 - 1;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * Whether a cursor's key can be a key of its stream: an altered cursor (a fraction or a date where
 * the stream has whole numbers, a number beyond the column's range, a year 0) would otherwise reach
 * the database as a value it refuses.
 */
function keyFits(st: Stream, v: Cursor["v"]): boolean {
  if (!st.col) return v === null;
  if (st.cast === "int") return Number.isSafeInteger(v) && Math.abs((v as number) - st.shift) <= INT_MAX;
  if (typeof v !== "string" || v.startsWith("0000")) return false;
  if (st.cast === "date") return isIsoDate(v);
  return ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
}

/** The sort key of a row in a stream. */
function keyOf(st: Stream, r: Row): number | string | null {
  const raw = st.raw(r);
  return typeof raw === "number" ? raw + st.shift : raw;
}

/** Most matching cases a page sorts itself (`orderOf`'s `fromFilter`) rather than read in index order. */
const SORT_BOUND = COUNT_CAP;

/**
 * The list's filter with `region` resolved to the region and every region below it, and the items the
 * search names.
 */
interface Filter {
  q: CaseListParams;
  regions: string[] | null;
  /** The codes of the items the search's text names (server/cases/list_search.ts). */
  searchItems: string[];
}

/** The filter of the list as SQL conditions (scope included). */
function listWhere(p: Principal, { q, regions, searchItems }: Filter): SQL[] {
  const where: (SQL | undefined)[] = [
    scopeWhere(p.scope, { department: cases.department, region: cases.region, hall: cases.hall }),
  ];
  if (q.department) where.push(eq(cases.department, q.department));
  if (q.hall) where.push(eq(cases.hall, q.hall));
  // A region's cases are those of its departments and of the regions below it (a city and its
  // counties); cases.region is the department's region (cases_region_received_idx).
  if (regions) where.push(inArray(cases.region, regions));
  if (q.item) where.push(eq(cases.itemCode, q.item));
  const statuses = statusMembers(q.status);
  if (statuses) where.push(inArray(cases.status, [...statuses]));
  if (q.rule || q.level) {
    // A case with the token has an active alert: the clause of the partial index cases_active_alerts_idx.
    where.push(sql`${cases.activeAlerts} @> array[${alertToken(q.rule, q.level)}]::text[]`);
    where.push(sql`${cases.activeAlerts} <> '{}'::text[]`);
  }
  if (q.receivedFrom) where.push(gte(cases.receivedOn, q.receivedFrom));
  if (q.receivedTo) where.push(lte(cases.receivedOn, q.receivedTo));
  if (q.changedSince) where.push(gt(cases.evaluatedAt, new Date(q.changedSince)));
  if (q.q) where.push(searchWhere(q.q, searchItems, seesApplicants(p.role)));
  return where.filter((w): w is SQL => w !== undefined);
}

/** A page of stream `j` (its key column `col`) in the stream's order, at most `limit` rows. */
function selectRows(
  tx: Tx,
  where: SQL[],
  order: SQL[],
  limit: number,
  j = 0,
  col: AnyPgColumn | null = null,
) {
  return tx.select({
    // The stream and its key, by which a statement of several streams is ordered (`union all`).
    j: sql<number>`${sql.raw(String(j))}`.mapWith(Number).as("j"),
    k: (col ? sql`${col}` : sql`null`).as("k"),
    caseId: cases.caseId,
    status: cases.status,
    itemCode: cases.itemCode,
    itemName: items.name,
    department: cases.department,
    departmentName: departments.name,
    hall: cases.hall,
    hallName: halls.name,
    region: cases.region,
    applicantName: cases.applicantName,
    receivedOn: cases.receivedOn,
    acceptedOn: cases.acceptedOn,
    closedOn: cases.closedOn,
    deadline: cases.deadline,
    remaining: cases.remaining,
    countdownZero: cases.countdownZero,
    paused: cases.paused,
    result: cases.result,
    error: cases.error,
    evaluatedAt: cases.evaluatedAt,
  }).from(cases)
    .leftJoin(items, eq(items.code, cases.itemCode))
    .leftJoin(departments, eq(departments.code, cases.department))
    .leftJoin(halls, eq(halls.code, cases.hall))
    .where(and(...where))
    .orderBy(...order)
    .limit(limit);
}

/**
 * The condition for stream `j` of the cursor's group: rows after (`up`) or before the cursor in the
 * order (key, stream index, case id).
 */
function beyond(st: Stream, j: number, c: Cursor, up: boolean): SQL {
  const gt = sql.raw(up ? ">" : "<");
  // Streams ordered by case id alone: a later stream of the group entirely after, an earlier one before.
  if (!st.col) {
    return j === c.j
      ? sql`${cases.caseId} ${gt} ${c.id}`
      : sql.raw((up ? j > c.j : j < c.j) ? "true" : "false");
  }
  const v = typeof c.v === "number" ? c.v - st.shift : c.v;
  const value = sql`${v}::${sql.raw(st.cast)}`;
  if (j === c.j) return sql`(${st.col}, ${cases.caseId}) ${gt} (${value}, ${c.id})`;
  // Another stream of the group: its rows with the same key are all on one side of the cursor.
  const inclusive = up ? j > c.j : j < c.j;
  return sql`${st.col} ${sql.raw((up ? ">" : "<") + (inclusive ? "=" : ""))} ${value}`;
}

/**
 * The order of a stream's rows. `fromFilter`: by the same values in expressions no index orders, so
 * that the planner reads the filter's own index ranges (search, item, alerts) and sorts what they
 * give, rather than walking the sort's index in the hope of meeting matching rows soon — a hope the
 * row estimates cannot judge when the filter and the order are correlated (an item's closed cases
 * late in the order of remaining: 720,000 rows read for one page of 51).
 */
function orderOf(st: Stream, up: boolean, fromFilter: boolean): SQL[] {
  const dir = up ? asc : desc;
  const id = fromFilter ? sql`(${cases.caseId} || '')` : cases.caseId;
  if (!st.col) return [dir(id)];
  if (!fromFilter) return [dir(st.col), dir(id)];
  const same = st.cast === "timestamptz" ? sql`(${st.col} + interval '0 seconds')` : sql`(${st.col} + 0)`;
  return [dir(same), dir(id)];
}

/** Filters with index ranges of their own, often correlated with the sorts' keys. */
const hasOwnIndexes = (q: CaseListParams) => Boolean(q.q || q.item || q.rule || q.level);

interface Found {
  row: Row;
  g: number;
  j: number;
  key: number | string | null;
}

/**
 * Read one page of the list. `countCap`: most cases counted when the counters cannot give the total
 * (default {@linkcode COUNT_CAP}).
 */
export async function listCasePage(
  tx: Tx,
  p: Principal,
  q: CaseListParams,
  calendar: Calendar,
  today: IsoDate,
  { countCap = COUNT_CAP }: { countCap?: number } = {},
): Promise<CaseListPage> {
  const statuses = statusMembers(q.status);
  const plan = sortPlan(
    q.changedSince && q.sort === "remaining" ? "changed" : q.sort,
    calendar.ordinal(today),
    statuses ?? CASE_STATUSES,
  );
  const cursor = q.cursor ? decodeCursor(q.cursor, q.sort) : null;
  if (cursor && (cursor.g >= plan.groups.length || cursor.j >= plan.groups[cursor.g].length)) {
    throw new ValidationError("cursor: not a cursor of this list", { field: "cursor" });
  }
  if (cursor && !keyFits(plan.groups[cursor.g][cursor.j], cursor.v)) {
    throw new ValidationError("cursor: not a cursor of this list", { field: "cursor" });
  }
  assertFilterInScope(p, { department: q.department, hall: q.hall, region: q.region });
  const filter: Filter = {
    q,
    regions: q.region ? await regionTree(tx, q.region).then((r) => [...r]) : null,
    searchItems: await searchItems(tx, p, q),
  };
  const where = listWhere(p, filter);
  const forward = cursor?.d !== "p";
  const up = forward !== plan.descending;
  // The total first: when the filter has indexes of its own and matches at most SORT_BOUND cases, each
  // stream sorts its share of them (`orderOf`), whatever the order their rows lie in.
  const { total, capped } = cursor
    ? { total: cursor.total, capped: cursor.capped ?? false }
    : await countCases(tx, p, filter, where, countCap);
  const fromFilter = hasOwnIndexes(q) && !capped && total <= SORT_BOUND;
  const want = q.limit + 1;
  const found: Found[] = [];
  const start = cursor?.g ?? 0;
  for (let g = start; forward ? g < plan.groups.length : g >= 0; g += forward ? 1 : -1) {
    const need = want - found.length;
    const streams = plan.groups[g].map((st, j) => {
      const cond = [...where, st.where];
      if (cursor && g === start) cond.push(beyond(st, j, cursor, up));
      return selectRows(tx, cond, orderOf(st, up, fromFilter), need, j, st.col);
    });
    const rows: Row[] = [];
    if (plan.oneStatement && streams.length > 1) {
      const dir = sql.raw(up ? "asc" : "desc");
      rows.push(
        ...await unionAll(streams[0], streams[1], ...streams.slice(2))
          .orderBy(sql`"j"`, sql`"k" ${dir}`, sql`"case_id" ${dir}`),
      );
    } else for (const s of streams) rows.push(...await s);
    const merged = rows.map((row): Found => ({ row, g, j: row.j, key: keyOf(plan.groups[g][row.j], row) }));
    // Stable: within one stream the database's order (key, case id) stays.
    const sign = up ? 1 : -1;
    merged.sort((x, y) => sign * (compare(x.key, y.key) || x.j - y.j));
    found.push(...merged.slice(0, need));
    if (found.length >= want) break;
  }
  const more = found.length > q.limit;
  const page = found.slice(0, q.limit);
  if (!forward) page.reverse();

  const at = (x: Found | undefined, d: "n" | "p") =>
    x
      ? encodeCursor({
        s: q.sort,
        g: x.g,
        j: x.j,
        v: x.key,
        id: x.row.caseId,
        d,
        total,
        ...(capped ? { capped } : {}),
      })
      : null;
  // Forward: a next page when more rows were found, a previous one when we came from a cursor.
  const hasNext = forward ? more : cursor !== null;
  const hasPrev = forward ? cursor !== null : more;
  return {
    cases: page.map(({ row }) =>
      toListRow(row, calendar, today, q.names !== "masked" && seesFullApplicant(p, row))
    ),
    next: hasNext ? at(page.at(-1), "n") : null,
    prev: hasPrev ? at(page[0], "p") : null,
    total,
    totalCapped: capped,
    today,
  };
}

function compare(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** A filter the counters answer: the principal's scope narrowed by department, hall, region and status. */
function byCounters(q: CaseListParams): boolean {
  return !q.q && !q.item && !q.rule && !q.level && !q.receivedFrom && !q.receivedTo && !q.changedSince;
}

/**
 * The filter's total. A scope and a status — every common list: the desk's views of a hall, a
 * department, a region or the province — is the sum of the live `status` counters (server/write/counts.ts:
 * one per department, hall and status, kept exact in the cases' own transactions), a few counter rows
 * whatever the number of cases. Any other filter is counted, but only up to `cap` matching cases:
 * beyond it the total is `cap` and `capped` (the page says "10,000+"); every filter has an index range
 * to count from (the search's branches: case number, applicant, items), so the count reads at most
 * `cap` matching rows from the union of those ranges or from the scope's, whichever the planner finds
 * narrower.
 */
async function countCases(
  tx: Tx,
  p: Principal,
  { q, regions }: Filter,
  where: SQL[],
  cap: number,
): Promise<{ total: number; capped: boolean }> {
  if (byCounters(q)) {
    const statuses = statusMembers(q.status);
    const [row] = await tx.select({ n: sql<number>`coalesce(sum(${counters.value}), 0)::int` })
      .from(counters).where(and(
        eq(counters.metric, STATUS_METRIC),
        eq(counters.day, ""),
        statuses ? inArray(counters.rule, [...statuses]) : undefined,
        scopeWhere(p.scope, { department: counters.department, hall: counters.hall }),
        q.department ? eq(counters.department, q.department) : undefined,
        q.hall ? eq(counters.hall, q.hall) : undefined,
        regions
          ? inArray(
            counters.department,
            tx.select({ code: departments.code }).from(departments).where(
              inArray(departments.region, regions),
            ),
          )
          : undefined,
      ));
    return { total: Number(row?.n ?? 0), capped: false };
  }
  const matching = tx.select({ one: sql`1` }).from(cases).where(and(...where)).limit(cap + 1).as("matching");
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(matching);
  const n = Number(row?.n ?? 0);
  return n > cap ? { total: cap, capped: true } : { total: n, capped: false };
}

function toListRow(r: Row, calendar: Calendar, today: IsoDate, full: boolean): CaseListRow {
  const result = r.result as CaseResult;
  return {
    case: r.caseId,
    status: r.status,
    itemCode: r.itemCode,
    itemName: r.itemName,
    department: r.department,
    departmentName: r.departmentName,
    hall: r.hall,
    hallName: r.hallName,
    region: r.region,
    // The full name only for those who may see it (supervisors, the case's own department), as on the
    // case page; everyone else gets the masked form.
    applicant: full ? r.applicantName : maskName(r.applicantName),
    receivedOn: r.receivedOn,
    acceptedOn: r.acceptedOn,
    closedOn: r.closedOn,
    deadline: r.deadline,
    remaining: remainingOn(countdownFromColumns(r.countdownZero, r.remaining), today, calendar),
    paused: r.paused,
    alerts: result.alerts ?? [],
    error: r.error,
    evaluatedAt: r.evaluatedAt.toISOString(),
  };
}
