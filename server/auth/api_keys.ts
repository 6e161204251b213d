/**
 * API keys for machine accounts (`Authorization: Bearer jct_…`): only ingest accounts have them
 * ({@linkcode KEY_ROLES}); people log in with a password, wall screens use display tokens. A key acts
 * as its user (role and scope). The key is returned once at creation; only its SHA-256 is stored.
 * Revoked and expired keys, keys of deactivated users and keys of an account that is no longer an
 * ingest account stop working at once (checked on every request, and by open streams every few
 * seconds: server/live/credential_watch.ts).
 *
 * @module
 */
import { and, eq, getTableColumns, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { apiKeys, users } from "../../db/schema_auth.ts";
import { ValidationError } from "../errors.ts";
import { mintCredential, sha256Hex } from "./crypto.ts";
import { announceCredentialChange } from "./key_cache.ts";
import type { UserRow } from "./sessions.ts";

/** The roles whose accounts may hold API keys. */
export const KEY_ROLES = ["ingest"] as const;

/** The refusal for a key asked for a person's account. */
export const KEY_ROLE_MESSAGE = "只能为数据接入账户签发 API 密钥，人员账户请用密码登录 " +
  "(API keys are only for ingest accounts; people log in with a password)";

/** Every key starts with this, so that leaked keys are easy to recognise in logs and scanners. */
export const API_KEY_PREFIX = "jct_";

/** A stored key row (without the secret, which is never stored). */
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/**
 * Create a key for an ingest account (anything else is refused with {@linkcode KEY_ROLE_MESSAGE}); the
 * returned `key` is shown once and cannot be recovered. `expiresAt`: refused after it; absent = until
 * revoked.
 */
export async function createApiKey(
  tx: Tx,
  input: { userId: string; name: string; createdBy: string; key?: string; expiresAt?: Date | null },
): Promise<{ id: string; key: string; prefix: string }> {
  const [owner] = await tx.select({ role: users.role }).from(users).where(eq(users.id, input.userId));
  if (!owner || !(KEY_ROLES as readonly string[]).includes(owner.role)) {
    throw new ValidationError(KEY_ROLE_MESSAGE, [{ path: ["userId"], message: KEY_ROLE_MESSAGE }]);
  }
  const { secret, hash, row } = await mintCredential(API_KEY_PREFIX, { ...input, secret: input.key });
  await tx.insert(apiKeys).values({ ...row, userId: input.userId, keyHash: hash });
  return { id: row.id, key: secret, prefix: row.prefix };
}

/** What makes a key usable at `now`: unrevoked, unexpired, of an active ingest account. */
function usable(now: number) {
  return and(
    isNull(apiKeys.revokedAt),
    or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, new Date(now))),
    eq(users.active, true),
    inArray(users.role, [...KEY_ROLES]),
  );
}

/** The stored hash of a key as presented, or null for what cannot be a key (no lookup needed). */
export async function apiKeyHash(key: string): Promise<string | null> {
  if (!key.startsWith(API_KEY_PREFIX) || key.length > 200) return null;
  return await sha256Hex(key);
}

/** The usable key and its user, or null. */
export async function findApiKey(
  tx: Tx,
  key: string,
  now: number,
): Promise<{ key: ApiKeyRow; user: UserRow } | null> {
  const hash = await apiKeyHash(key);
  return hash === null ? null : await findApiKeyByHash(tx, hash, now);
}

/** The usable key with this hash ({@linkcode apiKeyHash}) and its user, or null. */
export async function findApiKeyByHash(
  tx: Tx,
  hash: string,
  now: number,
): Promise<{ key: ApiKeyRow; user: UserRow } | null> {
  const [row] = await tx.select({ key: apiKeys, user: users }).from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.keyHash, hash), usable(now)));
  return row ?? null;
}

/** Of the key ids given, those still usable at `now` (one query for any number of open streams). */
export async function usableKeyIds(tx: Tx, ids: readonly string[], now: number): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await tx.select({ id: apiKeys.id }).from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(inArray(apiKeys.id, [...ids]), usable(now)));
  return new Set(rows.map((r) => r.id));
}

/** Revoke a key (on every instance at once: server/auth/key_cache.ts); false when there is no such unrevoked key. */
export async function revokeApiKey(tx: Tx, id: string, now: number): Promise<boolean> {
  const rows = await tx.update(apiKeys).set({ revokedAt: new Date(now) })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
  if (rows.length > 0) await announceCredentialChange(tx);
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
