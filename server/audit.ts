/**
 * The audit trail: who did what, when, from where. Records are appended to `audit_log`, which the
 * database refuses to update or delete (trigger in migration `audit_append_only`). Each record carries
 * the hash of the one before it: `hash = sha256(prev_hash + "\n" + canonical(record))`, so changing,
 * removing or reordering any record breaks the chain from there on; {@linkcode verifyAuditChain} finds
 * the first broken record. Writers serialize on a transaction-scoped advisory lock, so the chain stays
 * linear across server instances.
 *
 * What is recorded: logins (success and failure, with the reason), logouts, API key use (the first use
 * per key per hour — `api_keys.last_used_at` gates it), user/key/token administration; and, by the
 * modules that own them, supervisor decisions, reference-data and calendar changes — call
 * {@linkcode recordAudit} in the same transaction as the change.
 *
 * @module
 */
import { asc, gt, sql } from "drizzle-orm";
import { type Db, query, type Tx } from "../db/client.ts";
import { auditLog } from "../db/schema_auth.ts";
import { sha256Hex } from "./auth/crypto.ts";

/** The first record's `prev_hash`. */
export const GENESIS_HASH = "0".repeat(64);
const AUDIT_LOCK = 7461002;

/** What to record. `at` defaults to now. */
export interface AuditEntry {
  /** Username (or `display:<id>`, `system`). */
  actor: string;
  role: string;
  /** Dotted verb, e.g. `login.success`, `case.review`, `item.update`, `calendar.update`. */
  action: string;
  /** What was acted on: a case id, item code, user name, year… */
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
  /** When it happened, from the injected clock (`new Date(deps.clock())`). */
  at: Date;
}

/** A stored audit record. */
export type AuditRecord = typeof auditLog.$inferSelect;

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

/** The hash of a record given the previous record's hash. */
export function auditHash(prevHash: string, r: Omit<AuditRecord, "prevHash" | "hash">): Promise<string> {
  const body = canonicalJson({
    id: r.id,
    at: r.at.toISOString(),
    actor: r.actor,
    role: r.role,
    action: r.action,
    target: r.target,
    detail: r.detail,
    ip: r.ip ?? null,
  });
  return sha256Hex(`${prevHash}\n${body}`);
}

/**
 * Append a record. Pass the transaction that makes the change being recorded, so both commit or
 * neither; it runs in a nested transaction (savepoint) holding the chain lock until the outer commit.
 */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<AuditRecord> {
  return await tx.transaction(async (t) => {
    await t.execute(sql`select pg_advisory_xact_lock(${AUDIT_LOCK})`);
    const [last] = await query<{ hash: string }>(t, sql`select hash from audit_log order by id desc limit 1`);
    const [{ id }] = await query<{ id: string | number }>(
      t,
      sql`select nextval(pg_get_serial_sequence('audit_log', 'id')) as id`,
    );
    const record = {
      id: Number(id),
      at: new Date(entry.at.getTime()),
      actor: entry.actor,
      role: entry.role,
      action: entry.action,
      target: entry.target ?? "",
      // Round-trip through JSON so what is hashed is what jsonb stores (no undefined, no Dates).
      detail: JSON.parse(JSON.stringify(entry.detail ?? {})) as Record<string, unknown>,
      ip: entry.ip ?? null,
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    const hash = await auditHash(prevHash, record);
    const [row] = await t.insert(auditLog).values({ ...record, prevHash, hash }).returning();
    return row;
  });
}

/** The result of {@linkcode verifyAuditChain}. */
export interface ChainReport {
  ok: boolean;
  /** Records checked. */
  checked: number;
  /** The first record whose link or hash is wrong. */
  firstBad?: { id: number; reason: string };
}

/** Walk the whole chain in id order and recompute every hash. */
export async function verifyAuditChain(db: Db | Tx, pageSize = 1000): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let after = 0;
  let checked = 0;
  while (true) {
    const page = await db.select().from(auditLog).where(gt(auditLog.id, after)).orderBy(asc(auditLog.id))
      .limit(pageSize);
    for (const r of page) {
      if (r.prevHash !== prev) {
        return {
          ok: false,
          checked,
          firstBad: { id: r.id, reason: "prev_hash does not match the record before" },
        };
      }
      if (await auditHash(prev, r) !== r.hash) {
        return {
          ok: false,
          checked,
          firstBad: { id: r.id, reason: "hash does not match the record's content" },
        };
      }
      prev = r.hash;
      checked++;
    }
    if (page.length < pageSize) return { ok: true, checked };
    after = page[page.length - 1].id;
  }
}
