/**
 * Reading the audit trail, newest first, filtered by actor, action prefix and period, a page at a
 * time (`before` = the last id of the previous page). The API (`GET /api/v1/audit`) and the `/audit`
 * page both read it through here.
 *
 * @module
 */
import { and, desc, eq, gte, like, lt, lte, type SQL } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { auditLog } from "../db/schema_auth.ts";

/** A filter of the audit trail. */
export interface AuditFilter {
  limit: number;
  before?: number;
  actor?: string;
  /** A prefix of the action (`item.` matches item.upsert and item.import). */
  action?: string;
  /** RFC 3339 instants, both inclusive. */
  from?: string;
  to?: string;
}

/** One page of records and the `before` of the next page (null at the end). */
export async function auditRecords(db: Tx, f: AuditFilter) {
  const where: (SQL | undefined)[] = [
    f.before ? lt(auditLog.id, f.before) : undefined,
    f.actor ? eq(auditLog.actor, f.actor) : undefined,
    f.action ? like(auditLog.action, `${f.action.replace(/[\\%_]/g, (m) => `\\${m}`)}%`) : undefined,
    f.from ? gte(auditLog.at, new Date(f.from)) : undefined,
    f.to ? lte(auditLog.at, new Date(f.to)) : undefined,
  ];
  const records = await db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.id))
    .limit(f.limit);
  const next = records.length === f.limit ? records[records.length - 1].id : null;
  return { records, next };
}
