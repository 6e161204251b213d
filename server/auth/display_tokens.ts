/**
 * Display tokens for unattended wall screens: read-only, bound to one hall, passed as `?token=` on the
 * hall page and its stream (so the screen needs no login). Stored as SHA-256; revocable; optional expiry.
 *
 * @module
 */
import { and, eq, getTableColumns, gt, isNull, or, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { displayTokens } from "../../db/schema_auth.ts";
import { mintCredential, sha256Hex } from "./crypto.ts";

/** Every display token starts with this. */
export const DISPLAY_TOKEN_PREFIX = "dsp_";

/** A stored display token row. */
export type DisplayTokenRow = typeof displayTokens.$inferSelect;

/** Create a token for a hall; the returned `token` is shown once. */
export async function createDisplayToken(
  tx: Tx,
  input: { hall: string; name: string; createdBy: string; expiresAt?: Date | null },
): Promise<{ id: string; token: string; prefix: string }> {
  const { secret, hash, row } = await mintCredential(DISPLAY_TOKEN_PREFIX, input);
  await tx.insert(displayTokens).values({ ...row, hall: input.hall, tokenHash: hash });
  return { id: row.id, token: secret, prefix: row.prefix };
}

/** The valid (unrevoked, unexpired) token row, or null. */
export async function findDisplayToken(tx: Tx, token: string, now: number): Promise<DisplayTokenRow | null> {
  if (!token.startsWith(DISPLAY_TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await tx.select().from(displayTokens).where(and(
    eq(displayTokens.tokenHash, await sha256Hex(token)),
    isNull(displayTokens.revokedAt),
    or(isNull(displayTokens.expiresAt), gt(displayTokens.expiresAt, new Date(now))),
  ));
  return row ?? null;
}

/** Revoke a token; false when there is no such unrevoked token. */
export async function revokeDisplayToken(tx: Tx, id: string, now: number): Promise<boolean> {
  const rows = await tx.update(displayTokens).set({ revokedAt: new Date(now) })
    .where(and(eq(displayTokens.id, id), isNull(displayTokens.revokedAt))).returning({
      id: displayTokens.id,
    });
  return rows.length > 0;
}

/** Every token, newest first, without hashes. */
export async function listDisplayTokens(tx: Tx): Promise<Omit<DisplayTokenRow, "tokenHash">[]> {
  const { tokenHash: _, ...columns } = getTableColumns(displayTokens);
  return await tx.select(columns).from(displayTokens).orderBy(sql`${displayTokens.createdAt} desc`);
}
