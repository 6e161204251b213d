/**
 * Multi-row writes with a single parameter: the rows travel as one JSON array and PostgreSQL
 * unpacks them with `jsonb_to_recordset`. Building thousands of bound parameters costs more than
 * the database's own work; one JSON parameter keeps a 5,000-row write at one round trip.
 *
 * @module
 */
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { rowsOf, type Tx } from "../db/client.ts";

/** Options of {@linkcode bulkInsert}. */
export interface BulkOptions {
  /** Conflict target columns; without it, conflicts are not handled. */
  target?: PgColumn[];
  /** On conflict: do nothing, or update these TS keys from the new row (`excluded`). */
  onConflict?: "nothing" | string[];
  /** Extra raw assignments on conflict, by SQL column name (e.g. `value = counters.value + excluded.value`). */
  set?: Record<string, string>;
  /** Expressions to return, raw SQL (e.g. `id`, `"on"::text as on`). */
  returning?: string[];
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Insert rows (objects keyed by the table's TS keys; every row has the first row's keys). */
export async function bulkInsert<R = Record<string, unknown>>(
  tx: Tx,
  table: PgTable,
  rows: readonly Record<string, unknown>[],
  opts: BulkOptions = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = Object.keys(rows[0]);
  const cols = keys.map((k) => {
    const c = columns[k];
    if (!c) throw new Error(`${getTableName(table)} has no column ${k}`);
    return { key: k, name: c.name, type: c.getSQLType().replace(/^bigserial$/, "bigint") };
  });
  const json = JSON.stringify(
    rows.map((r) => Object.fromEntries(cols.map((c) => [c.name, r[c.key] ?? null]))),
  );
  const names = cols.map((c) => q(c.name)).join(", ");
  const text = `insert into ${q(getTableName(table))} (${names}) select ${names} from jsonb_to_recordset(`;
  const tail: string[] = [`) as x(${cols.map((c) => `${q(c.name)} ${c.type}`).join(", ")})`];
  if (opts.target) {
    tail.push(` on conflict (${opts.target.map((c) => q(c.name)).join(", ")})`);
    if (opts.onConflict === "nothing" || opts.onConflict === undefined) tail.push(" do nothing");
    else {
      const assignments = opts.onConflict.map((k) =>
        `${q(columns[k].name)} = excluded.${q(columns[k].name)}`
      );
      for (const [name, expr] of Object.entries(opts.set ?? {})) assignments.push(`${q(name)} = ${expr}`);
      tail.push(` do update set ${assignments.join(", ")}`);
    }
  } else if (opts.onConflict === "nothing") tail.push(" on conflict do nothing");
  if (opts.returning?.length) tail.push(` returning ${opts.returning.join(", ")}`);
  const result = await tx.execute(sql`${sql.raw(text)}${json}::jsonb${sql.raw(tail.join(""))}`);
  return rowsOf<R>(result);
}

/**
 * `column = any(array)` with the list as one text-array parameter (no bound parameter per element).
 * `= any` of an array, unlike `in (select jsonb_array_elements_text(…))`, gives the planner the list's
 * length, so it probes the column's index instead of hashing a whole table.
 */
export function inList(column: PgColumn, list: readonly string[]): SQL {
  return anyText(column, list);
}

/** `expr = any($1::text[])` for any SQL expression (a column, `sql.raw("case_id")`). */
export function anyText(expr: PgColumn | SQL, list: readonly string[]): SQL {
  return sql`${expr} = any(${textArray(list)}::text[])`;
}

/** A PostgreSQL array literal of the strings (`{"a","b\\"c"}`), to bind as one `::text[]` parameter. */
export function textArray(list: readonly string[]): string {
  return `{${list.map((s) => `"${s.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
}
