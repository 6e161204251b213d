/**
 * The baseline: the same rows the events table would get, written by raw multi-row INSERTs through
 * postgres.js into a plain table of the same shape (same columns, primary key and indexes) in the
 * same database. Rows (with their content hashes) are built before the clock starts.
 *
 * @module
 */
import postgres from "postgres";
import type { CaseEvent } from "../rules/types.ts";
import { contentHash } from "../rules/canonical.ts";

/** Insert the rows in batches; the seconds the INSERTs took and the server's version. */
export async function rawInsert(
  dbUrl: string,
  events: readonly CaseEvent[],
  batch: number,
): Promise<{ seconds: number; serverVersion: string }> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  try {
    await sql`create table bench_raw_events (
      seq bigserial primary key,
      id text not null,
      case_id text not null,
      type text not null,
      at timestamptz not null,
      payload jsonb not null,
      content_hash text not null,
      sender text not null,
      stored_at timestamptz not null default now())`;
    await sql`create unique index bench_raw_events_id_key on bench_raw_events (id)`;
    await sql`create index bench_raw_events_case_idx on bench_raw_events (case_id)`;
    const rows = events.map((e) => ({
      id: e.id,
      case_id: e.case,
      type: e.type,
      at: e.at,
      payload: e as unknown as Record<string, postgres.JSONValue>,
      content_hash: contentHash(e),
      sender: "bench",
    }));
    const columns = ["id", "case_id", "type", "at", "payload", "content_hash", "sender"] as const;
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += batch) {
      await sql`insert into bench_raw_events ${sql(rows.slice(i, i + batch), ...columns)}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    const [{ server_version }] = await sql<{ server_version: string }[]>`show server_version`;
    return { seconds, serverVersion: server_version };
  } finally {
    await sql.end();
  }
}
