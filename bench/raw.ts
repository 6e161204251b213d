/**
 * The baseline: the same rows the events table would get, written by raw multi-row INSERTs through
 * postgres.js into a plain table of the events table's shape (`LIKE events INCLUDING ALL`: its
 * columns, defaults, primary key and indexes as the schema has them now; a sequence of its own) in
 * the same database, dropped afterwards. Rows (with their content hashes) are built before the clock
 * starts.
 *
 * @module
 */
import postgres from "postgres";
import type { CaseEvent } from "../rules/types.ts";
import { eventContentHash } from "../rules/canonical.ts";

/** Insert the rows in batches; the seconds the INSERTs took and the server's version. */
export async function rawInsert(
  dbUrl: string,
  events: readonly CaseEvent[],
  batch: number,
): Promise<{ seconds: number; serverVersion: string }> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`create sequence bench_raw_events_seq`;
    await sql`create table bench_raw_events (like events including all)`;
    await sql`alter table bench_raw_events alter column seq set default nextval('bench_raw_events_seq')`;
    const rows = events.map((e) => ({
      id: e.id,
      case_id: e.case,
      type: e.type,
      at: e.at,
      payload: e as unknown as Record<string, postgres.JSONValue>,
      content_hash: eventContentHash(e),
      sender: "bench",
    }));
    const columns = ["id", "case_id", "type", "at", "payload", "content_hash", "sender"] as const;
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batch) {
      await sql`insert into bench_raw_events ${sql(rows.slice(i, i + batch), ...columns)}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    await sql`drop table bench_raw_events`;
    await sql`drop sequence bench_raw_events_seq`;
    const [{ server_version }] = await sql<{ server_version: string }[]>`show server_version`;
    return { seconds, serverVersion: server_version };
  } finally {
    await sql.end();
  }
}
