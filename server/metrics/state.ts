/**
 * The figures `/metrics` reads from the database at scrape time, each with a short timeout so a
 * database outage makes the scrape report `jct_up_database 0` rather than hang. Every query is cheap at
 * volume: `min(next_change_at)` over its index, the outbox counts over its partial indexes (pending,
 * dead), connections from `pg_stat_activity`.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { type Database, query } from "../../db/client.ts";
import type { Clock } from "../deps.ts";
import type { LiveHub } from "../live/hub.ts";
import type { MetricsState } from "./metrics.ts";

const TIMEOUT_MS = 2000;

/** Reject after `ms`. */
export function withTimeout<T>(p: Promise<T>, ms = TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** The scrape-time state of a process: its database, clock, hub and pool size. */
export function databaseState(
  deps: { database: Database; clock: Clock; live?: LiveHub },
  poolMax: number,
): MetricsState {
  const db = deps.database.db;
  return {
    async schedulerLagSeconds() {
      const now = new Date(deps.clock()).toISOString();
      const [row] = await withTimeout(query<{ oldest: string | Date | null }>(
        db,
        sql`select min(next_change_at) as oldest from cases where next_change_at <= ${now}::timestamptz`,
      ));
      if (row?.oldest == null) return 0;
      const oldest = row.oldest instanceof Date ? row.oldest.getTime() : Date.parse(String(row.oldest));
      return Math.max(0, (deps.clock() - oldest) / 1000);
    },
    async outbox() {
      const [row] = await withTimeout(query<{ pending: number; retrying: number; dead: number }>(
        db,
        sql`select
          (select count(*) from notifications_outbox where sent_at is null and dead_at is null)::int as pending,
          (select count(*) from notifications_outbox where sent_at is null and dead_at is null and attempts > 0)::int
            as retrying,
          (select count(*) from notifications_outbox where dead_at is not null)::int as dead`,
      ));
      return { pending: row?.pending ?? 0, retrying: row?.retrying ?? 0, dead: row?.dead ?? 0 };
    },
    async connections() {
      if (deps.database.kind === "pglite") return { active: 1, idle: 0, max: 1 };
      const [row] = await withTimeout(query<{ active: number; idle: number }>(
        db,
        sql`select count(*) filter (where state = 'active')::int as active,
          count(*) filter (where state like 'idle%')::int as idle
          from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
      ));
      return { active: row?.active ?? 0, idle: row?.idle ?? 0, max: poolMax };
    },
    streams: () => deps.live?.streamsByKind() ?? {},
  };
}
