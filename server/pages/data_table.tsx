/**
 * The pages' data table: a header row of column names, the rows, or a line saying there are none.
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** Props of {@linkcode DataTable}. */
export interface DataTableProps {
  /** Column names; `false` leaves a column out (one only some callers may see). */
  heads: (string | false)[];
  /** How many rows there are: none shows `empty` instead of the table. */
  count: number;
  /** The line shown for no rows. Default "无". */
  empty?: string;
  id?: string;
  /** Extra classes beside `data`. */
  class?: string;
  /** The `<tr>` rows. */
  children: ComponentChildren;
}

/** A table of rows under named columns, or the empty line. */
export function DataTable({ heads, count, empty = "无", id, class: extra, children }: DataTableProps) {
  if (count === 0) return <p class="empty">{empty}</p>;
  return (
    <table class={extra ? `data ${extra}` : "data"} id={id}>
      <thead>
        <tr>{heads.filter((h) => h !== false).map((h, i) => <th key={i}>{h}</th>)}</tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
