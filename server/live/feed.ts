/**
 * Reading the `live_feed` table: its newest id, the rows after a position (for all clients at once),
 * and the replay of one scope's missed alerts after `Last-Event-ID`.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { feedFilter, type Placed, type Scope } from "./scope.ts";
import { sseMessage } from "./sse.ts";
import { SSE_EVENTS } from "./wire.ts";

/** A `live_feed` row as the streams see it. */
export interface FeedRow extends Placed {
  id: number;
  kind: string;
  payload: unknown;
}

/** Rows read per tick at most; a full read means more are waiting. */
export const FEED_BATCH = 2000;

/** The newest feed id (0 when the feed is empty). */
export async function feedHead(db: Tx): Promise<number> {
  const [row] = await query<{ max: string | number | null }>(db, sql`select max(id) as max from live_feed`);
  return Number(row?.max ?? 0);
}

/** Up to {@linkcode FEED_BATCH} rows after `after`, ascending. */
export async function readFeed(db: Tx, after: number): Promise<FeedRow[]> {
  const rows = await query<FeedRow>(
    db,
    sql`select id, kind, department, hall, region, payload from live_feed
        where id > ${after} order by id limit ${FEED_BATCH}`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The newest `limit` alerts of the scope in (after, upTo] raised within `windowMs` before `now`, ascending. */
export async function readReplay(
  db: Tx,
  scope: Scope,
  after: number,
  upTo: number,
  { limit, windowMs, now }: { limit: number; windowMs: number; now: number },
): Promise<FeedRow[]> {
  const since = new Date(now - windowMs).toISOString();
  const rows = await query<FeedRow>(
    db,
    sql`select * from (
          select f.id, f.kind, f.department, f.hall, f.region, f.payload from live_feed f
          where f.id > ${after} and f.id <= ${upTo} and f.kind = 'alert' and f.created_at > ${since}::timestamptz
            and ${feedFilter(scope)}
          order by f.id desc limit ${limit}
        ) r order by id`,
  );
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

/** The `event: alert` message of a feed row; its id is the row's id. */
export function alertMessage(row: FeedRow): Uint8Array {
  const payload = typeof row.payload === "string" ? row.payload : JSON.stringify(row.payload);
  return sseMessage(SSE_EVENTS.alert, String(row.id), payload);
}
