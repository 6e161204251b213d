/**
 * Upkeep of the tables that grow by month (events: db/migrations/0014_partition_events.sql;
 * alert_history, live_feed: 0005_partition_by_month.sql): the coming months' partitions are created ahead of time, and the live feed is pruned beyond its replay window
 * (its emptied month partitions are dropped). Runs at start-up and then every few hours on every
 * instance; a try-advisory lock lets one instance do it at a time, the others skip that round.
 *
 * Retention of the history itself (events, alert history) is an operator's decision, not done here:
 * an old month is archived by detaching its partition (`ALTER TABLE … DETACH PARTITION … CONCURRENTLY`),
 * dumping it (`pg_dump -t`), and dropping it — see README "数据增长与归档 / Growth and retention".
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../db/client.ts";
import type { AppDeps } from "./deps.ts";

/** The partitioned tables and how many months ahead of the current one get a partition. */
export const PARTITIONED_TABLES = ["events", "alert_history", "live_feed"] as const;
const MONTHS_AHEAD = 3;
/** Live feed rows are kept this long (the replay window is 24 h; a wall screen shows today's alerts). */
export const LIVE_FEED_KEEP_MS = 48 * 3600_000;
const MAINTENANCE_LOCK = 7461003;
const PRUNE_BATCH = 50_000;

/** Create the month partitions from the current month to `MONTHS_AHEAD` months on; returns how many were made. */
export async function ensurePartitions(db: Tx, now: number): Promise<number> {
  const from = new Date(now).toISOString().slice(0, 10);
  let made = 0;
  for (const table of PARTITIONED_TABLES) {
    const [row] = await query<{ n: number }>(
      db,
      sql`select jct_ensure_month_partitions(${table}, ${from}::date,
          (${from}::date + ${`${MONTHS_AHEAD} months`}::interval)::date) as n`,
    );
    made += Number(row?.n ?? 0);
  }
  return made;
}

/**
 * Delete live feed rows older than `keepMs` (in batches, so no long lock) and drop month partitions
 * of the live feed that end before that; returns how many rows were deleted.
 */
export async function pruneLiveFeed(db: Tx, now: number, keepMs = LIVE_FEED_KEEP_MS): Promise<number> {
  const before = new Date(now - keepMs).toISOString();
  let deleted = 0;
  for (;;) {
    const rows = await query<{ n: number }>(
      db,
      sql`with gone as (delete from live_feed where (id, created_at) in (
            select id, created_at from live_feed where created_at < ${before}::timestamptz limit ${PRUNE_BATCH})
          returning 1) select count(*)::int as n from gone`,
    );
    const n = Number(rows[0]?.n ?? 0);
    deleted += n;
    if (n < PRUNE_BATCH) break;
  }
  // Month partitions wholly before the cut-off are empty now: drop them.
  const parts = await query<{ name: string; upper: string }>(
    db,
    sql`select c.relname as name, substring(pg_get_expr(c.relpartbound, c.oid) from 'TO \\(''([^'']+)''\\)') as upper
        from pg_inherits i join pg_class c on c.oid = i.inhrelid
        where i.inhparent = 'live_feed'::regclass and c.relname like 'live_feed_p%'`,
  );
  for (const p of parts) {
    if (p.upper && Date.parse(p.upper) <= now - keepMs) {
      await db.execute(sql.raw(`drop table if exists "${p.name.replaceAll('"', '""')}"`));
    }
  }
  return deleted;
}

/** One round of upkeep, if no other instance is doing it right now. */
export async function runMaintenance(
  deps: Pick<AppDeps, "database" | "clock">,
): Promise<{ partitions: number; pruned: number } | null> {
  return await deps.database.db.transaction(async (tx) => {
    const [lock] = await query<{ ok: boolean }>(
      tx,
      sql`select pg_try_advisory_xact_lock(${MAINTENANCE_LOCK}) as ok`,
    );
    if (!lock?.ok) return null;
    const now = deps.clock();
    return { partitions: await ensurePartitions(tx, now), pruned: await pruneLiveFeed(tx, now) };
  });
}

/** Run the upkeep every `everyMs` (default 3 h); returns a stop function. */
export function startMaintenance(
  deps: Pick<AppDeps, "database" | "clock">,
  everyMs = 3 * 3600_000,
): () => void {
  const round = () =>
    runMaintenance(deps).catch((err) => console.error("maintenance (partitions, live feed):", err));
  const timer = setInterval(round, everyMs);
  return () => clearInterval(timer);
}
