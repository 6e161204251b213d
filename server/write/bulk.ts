/**
 * Multi-row writes with a single parameter: the rows travel as one JSON array and PostgreSQL
 * unpacks them with `jsonb_to_recordset`. Building thousands of bound parameters costs more than
 * the database's own work; one JSON parameter keeps a 5,000-row write at one round trip.
 *
 * @module
 */
import { getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import { rowsOf, type Tx } from "../../db/client.ts";

/** A row to insert into `T`: the table's own insert type (Drizzle's `$inferInsert`). */
export type InsertRow<T extends PgTable> = T["$inferInsert"];

/** A TS key of `T`'s columns. */
export type ColumnKey<T extends PgTable> = keyof InsertRow<T> & string;

/** Options of {@linkcode bulkInsert}. */
export interface BulkOptions<T extends PgTable> {
  /** Conflict target columns; without it, conflicts are not handled. */
  target?: PgColumn[];
  /** On conflict: do nothing, or update these columns from the new row (`excluded`). */
  onConflict?: "nothing" | readonly ColumnKey<T>[];
  /** Extra raw assignments on conflict, by SQL column name (e.g. `value = counters.value + excluded.value`). */
  set?: Record<string, string>;
  /** Expressions to return, raw SQL (e.g. `id`, `"on"::text as on`). */
  returning?: string[];
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The SQL name and type of each of `keys`, columns of `table`. */
export function columnsOf<T extends PgTable>(
  table: T,
  keys: readonly string[],
): { key: string; name: string; type: string }[] {
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  return keys.map((k) => {
    const c = columns[k];
    if (!c) throw new Error(`${getTableName(table)} has no column ${k}`);
    return { key: k, name: c.name, type: c.getSQLType().replace(/^bigserial$/, "bigint") };
  });
}

/**
 * The rows as one JSON array, as they are (keyed by TS key: no copy of each row is made), with the
 * SQL names of their columns and the `x("tsKey" type, …)` column list that `jsonb_to_recordset` needs
 * to read it back; `select` lists the record's columns in the order of `names`.
 */
export function recordset<T extends PgTable>(
  table: T,
  rows: readonly InsertRow<T>[],
): { json: string; names: string[]; columns: string; select: string } {
  const keys = new Set<string>();
  for (const r of rows) for (const k in r) keys.add(k);
  const cols = columnsOf(table, [...keys]);
  return {
    json: JSON.stringify(rows),
    names: cols.map((c) => c.name),
    columns: cols.map((c) => `${q(c.key)} ${c.type}`).join(", "),
    select: cols.map((c) => `x.${q(c.key)}`).join(", "),
  };
}

/** Insert rows of the table's insert type (every key any row has is written; missing ones as null). */
export async function bulkInsert<T extends PgTable, R = Record<string, unknown>>(
  tx: Tx,
  table: T,
  rows: readonly InsertRow<T>[],
  opts: BulkOptions<T> = {},
): Promise<R[]> {
  if (rows.length === 0) return [];
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const set = recordset(table, rows);
  const names = set.names.map(q).join(", ");
  const into = q(getTableName(table));
  const text = `insert into ${into} (${names}) select ${set.select} from jsonb_to_recordset(`;
  const tail: string[] = [`) as x(${set.columns})`];
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
  const result = await tx.execute(sql`${sql.raw(text)}${set.json}::jsonb${sql.raw(tail.join(""))}`);
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
