/**
 * Login sessions. The cookie carries 256 random bits; the table keeps only their SHA-256, so a leaked
 * database does not leak usable sessions. Sessions expire 12 hours after login (a working day).
 *
 * @module
 */
import { and, eq, gt, lt } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { sessions, users } from "../../db/schema_auth.ts";
import { randomToken, sha256Hex } from "./crypto.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "jct_session";
/** How long a session lasts. */
export const SESSION_TTL_MS = 12 * 3600_000;

/** A stored user row. */
export type UserRow = typeof users.$inferSelect;

/** A new session: the `token` goes into the cookie and is never stored. */
export interface NewSession {
  token: string;
  idHash: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Start a session for a user. */
export async function createSession(
  tx: Tx,
  userId: string,
  now: number,
  meta: { ip?: string | null; userAgent?: string | null } = {},
): Promise<NewSession> {
  const token = randomToken();
  const idHash = await sha256Hex(token);
  const csrfToken = randomToken();
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await tx.insert(sessions).values({
    idHash,
    userId,
    csrfToken,
    createdAt: new Date(now),
    expiresAt,
    ip: meta.ip ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
  return { token, idHash, csrfToken, expiresAt };
}

/** The live session and its active user for a cookie token, or null. */
export async function findSession(
  tx: Tx,
  token: string,
  now: number,
): Promise<{ session: typeof sessions.$inferSelect; user: UserRow } | null> {
  if (token.length < 20 || token.length > 100) return null;
  const [row] = await tx.select({ session: sessions, user: users }).from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.idHash, await sha256Hex(token)),
        gt(sessions.expiresAt, new Date(now)),
        eq(users.active, true),
      ),
    );
  return row ?? null;
}

/** End one session (logout). */
export async function deleteSession(tx: Tx, idHash: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.idHash, idHash));
}

/** End every session of a user (password change, role change, deactivation). */
export async function deleteUserSessions(tx: Tx, userId: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
}

/** Remove expired sessions. */
export async function purgeExpiredSessions(tx: Tx, now: number): Promise<void> {
  await tx.delete(sessions).where(lt(sessions.expiresAt, new Date(now)));
}
