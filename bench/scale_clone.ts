/**
 * The bulk of `deno task bench:scale`'s data set: copies of every case ingested so far, made inside
 * PostgreSQL — the events with their identities (`event_keys`), the case claims, the case rows with
 * their kept timelines, alerts, findings and the manual queue — so that ten million events take
 * minutes instead of hours. Copy k renames case `X` to `K<k>-X` (event ids likewise, the case id
 * replaced throughout payloads, results and timelines); the live counters are then scaled by
 * `copies + 1` so that they match.
 *
 * Each table's columns are read from the catalogue, so a column added to the schema is copied too
 * (serial ids are left to their sequences). For speed: the copies read a frozen template (the tables
 * as ingested, in unlogged side tables), run in `streams` parallel connections with asynchronous
 * commit, and the secondary indexes of the copied tables are dropped first and built again after
 * the bulk (a sort each instead of millions of random inserts); then `VACUUM (ANALYZE)`, as
 * autovacuum would leave insert-only tables. The measured ingestion after it runs on ordinary,
 * logged, fully indexed tables.
 *
 * @module
 */
import postgres from "postgres";

/** The tables copied, in this order within each copy's transaction. */
const TABLES = ["events", "event_keys", "case_claims", "cases", "alerts", "findings", "manual_queue"];
/** jsonb columns holding the case id (and event ids made from it) anywhere inside: replaced as text. */
const CASE_JSON = new Set(["result", "timeline"]);
/** Columns holding an event id. */
const EVENT_ID: Record<string, string> = { events: "id", event_keys: "event_id" };

/** How long each part of the bulk took, s. */
export interface CloneFigures {
  copies: number;
  streams: number;
  copySeconds: number;
  indexSeconds: number;
  vacuumSeconds: number;
  seconds: number;
}

type Sql = postgres.Sql;
const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** `insert into t (cols) select exprs from template`, with `$1` the copy's prefix. */
async function copyStatement(sql: Sql, table: string): Promise<string> {
  const columns = await sql<{ name: string; type: string; serial: boolean }[]>`
    select column_name as name, data_type as type, coalesce(column_default like 'nextval(%', false) as serial
    from information_schema.columns where table_schema = 'public' and table_name = ${table}
    order by ordinal_position`;
  const kept = columns.filter((c) => !c.serial);
  if (!kept.some((c) => c.name === "case_id")) throw new Error(`${table} has no case_id column`);
  const expr = (c: { name: string; type: string }) => {
    const col = ident(c.name);
    if (c.name === "case_id" || c.name === EVENT_ID[table]) return `$1 || ${col}`;
    // An event names its id and case at the top level only (rules/types.ts): cheaper than a text round trip.
    if (table === "events" && c.name === "payload") {
      return `${col} || jsonb_build_object('id', $1 || id, 'case', $1 || case_id)`;
    }
    if (c.type === "jsonb" && CASE_JSON.has(c.name)) {
      return `replace(${col}::text, case_id, $1 || case_id)::jsonb`;
    }
    return col;
  };
  return `insert into ${ident(table)} (${kept.map((c) => ident(c.name)).join(", ")})
    select ${kept.map(expr).join(", ")} from ${ident(`bench_tpl_${table}`)}`;
}

/** The secondary (non-constraint) indexes of the tables: name and definition. */
async function secondaryIndexes(sql: Sql, tables: readonly string[]) {
  return await sql<{ name: string; def: string }[]>`
    select i.relname as name, pg_get_indexdef(x.indexrelid) as def
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
    join pg_namespace n on n.oid = t.relnamespace
    where n.nspname = 'public' and t.relname = any(${tables as string[]})
      and not exists (select 1 from pg_constraint c where c.conindid = x.indexrelid)`;
}

/** The tables that hold rows: each partition of a partitioned table, else the table (quoted names). */
async function leafTables(sql: Sql, tables: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const t of tables) {
    const parts = await sql<{ name: string }[]>`
      select relid::regclass::text as name from pg_partition_tree(${t}::regclass) where isleaf`;
    out.push(...(parts.length ? parts.map((p) => p.name) : [ident(t)]));
  }
  return out;
}

/** Run `jobs`, at most `streams` at once (the pool has a connection for each). */
async function parallel(streams: number, jobs: (() => Promise<unknown>)[]) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(streams, jobs.length) }, async () => {
    while (next < jobs.length) await jobs[next++]();
  }));
}

/** Make `copies` copies of every stored case (see the module doc). */
export async function cloneCases(
  dbUrl: string,
  opts: { copies: number; streams: number; log: (s: string) => void },
): Promise<CloneFigures> {
  const { copies, streams, log } = opts;
  const sql = postgres(dbUrl, {
    max: streams,
    onnotice: () => {},
    connection: { synchronous_commit: "off", maintenance_work_mem: "256MB" },
  });
  const t0 = performance.now();
  const since = (t: number) => (performance.now() - t) / 1000;
  try {
    for (const t of TABLES) {
      await sql.unsafe(`create unlogged table ${ident(`bench_tpl_${t}`)} as select * from ${ident(t)}`);
    }
    const statements = await Promise.all(TABLES.map((t) => copyStatement(sql, t)));
    // No autovacuum during the bulk (it would chase the growing tables); the VACUUM below does its work.
    const leaves = await leafTables(sql, TABLES);
    for (const t of leaves) await sql.unsafe(`alter table ${t} set (autovacuum_enabled = off)`);
    const indexes = await secondaryIndexes(sql, TABLES);
    for (const ix of indexes) await sql.unsafe(`drop index ${ident(ix.name)}`);
    log(`  ${indexes.length} secondary indexes dropped; ${copies} copies on ${streams} connections …`);
    let done = 0;
    await parallel(
      streams,
      Array.from({ length: copies }, (_, i) => async () => {
        await sql.begin(async (tx) => {
          for (const s of statements) await tx.unsafe(s, [`K${i + 1}-`]);
        });
        if (++done % 10 === 0 || done === copies) {
          log(`  copy ${done} / ${copies} (${since(t0).toFixed(0)} s)`);
        }
      }),
    );
    const copySeconds = since(t0);
    await sql`update counters set value = value * ${copies + 1}`;
    for (const t of TABLES) await sql.unsafe(`drop table ${ident(`bench_tpl_${t}`)}`);
    const t1 = performance.now();
    // A partitioned table's index is listed `ON ONLY` the parent; built on it, it covers every partition.
    await parallel(streams, indexes.map((ix) => () => sql.unsafe(ix.def.replace(" ON ONLY ", " ON "))));
    const indexSeconds = since(t1);
    log(`  ${indexes.length} indexes built (${indexSeconds.toFixed(0)} s); vacuum (analyze) …`);
    const t2 = performance.now();
    await parallel(
      streams,
      [...TABLES, "counters"].map((t) => () => sql.unsafe(`vacuum (analyze) ${ident(t)}`)),
    );
    for (const t of leaves) await sql.unsafe(`alter table ${t} reset (autovacuum_enabled)`);
    return {
      copies,
      streams,
      copySeconds,
      indexSeconds,
      vacuumSeconds: since(t2),
      seconds: since(t0),
    };
  } finally {
    await sql.end();
  }
}
