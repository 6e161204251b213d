/**
 * API keys for machine accounts (`Authorization: Bearer jct_…`). A key acts as its user (role and
 * scope). The key is returned once at creation; only its SHA-256 is stored. Revoked keys and keys of
 * deactivated users stop working at once.
 *
 * @module
 */
import { and, eq, getTableColumns, isNull, lt, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { apiKeys, users } from "../../db/schema_auth.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import type { UserRow } from "./sessions.ts";

/** Every key starts with this, so that leaked keys are easy to recognise in logs and scanners. */
export const API_KEY_PREFIX = "jct_";

/** A stored key row (without the secret, which is never stored). */
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** Create a key for a user; the returned `key` is shown once and cannot be recovered. */
export async function createApiKey(
  tx: Tx,
  input: { userId: string; name: string; createdBy: string; key?: string },
): Promise<{ id: string; key: string; prefix: string }> {
  const key = input.key ?? API_KEY_PREFIX + randomToken();
  const id = crypto.randomUUID();
  const prefix = key.slice(0, API_KEY_PREFIX.length + 6);
  await tx.insert(apiKeys).values({
    id,
    userId: input.userId,
    name: input.name,
    prefix,
    keyHash: await sha256Hex(key),
    createdBy: input.createdBy,
  });
  return { id, key, prefix };
}

/** The unrevoked key and its active user, or null. */
export async function findApiKey(tx: Tx, key: string): Promise<{ key: ApiKeyRow; user: UserRow } | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  const [row] = await tx.select({ key: apiKeys, user: users }).from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt), eq(users.active, true)));
  return row ?? null;
}

/** Revoke a key; false when there is no such unrevoked key. */
export async function revokeApiKey(tx: Tx, id: string, now: number): Promise<boolean> {
  const rows = await tx.update(apiKeys).set({ revokedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
  return rows.length > 0;
}

/**
 * Note a key's use. True for the first use in an hour (then the caller writes one `key.use` audit
 * record); the conditional update makes this hold across server instances without a lock.
 */
export async function noteKeyUse(tx: Tx, id: string, now: number): Promise<boolean> {
  const hourAgo = new Date(now - 3600_000);
  const rows = await tx.update(apiKeys).set({ lastUsedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, hourAgo))))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** A key as lists show it: without its hash. */
export type PublicApiKey = Omit<ApiKeyRow, "keyHash">;

/** Keys, newest first, optionally of one user. */
export async function listApiKeys(tx: Tx, userId?: string): Promise<PublicApiKey[]> {
  const { keyHash: _, ...columns } = getTableColumns(apiKeys);
  const q = tx.select(columns).from(apiKeys).orderBy(sql`${apiKeys.createdAt} desc`);
  return userId ? await q.where(eq(apiKeys.userId, userId)) : await q;
}
