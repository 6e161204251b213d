/**
 * Login lockout: 5 failed logins for a username within 15 minutes lock it for 15 minutes, stored in
 * the database so every server instance enforces it. Usernames that do not exist are counted too, so
 * the lockout does not reveal which accounts exist.
 *
 * @module
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { loginAttempts } from "../../db/schema_auth.ts";

/** Failures that lock an account. */
export const MAX_FAILURES = 5;
/** How long the lock lasts, and the window in which failures add up. */
export const LOCK_MS = 15 * 60_000;

/** Until when the username is locked, or null. */
export async function lockedUntil(tx: Tx, username: string, now: number): Promise<Date | null> {
  const [row] = await tx.select({ until: loginAttempts.lockedUntil }).from(loginAttempts)
    .where(eq(loginAttempts.username, username));
  return row?.until && row.until.getTime() > now ? row.until : null;
}

/** Count a failure; returns the lock's end when this failure locks the username. */
export async function recordFailure(tx: Tx, username: string, now: number): Promise<Date | null> {
  return await tx.transaction(async (t) => {
    await t.insert(loginAttempts).values({ username, failures: 0, firstFailureAt: new Date(now) })
      .onConflictDoNothing();
    const [row] = await t.select().from(loginAttempts).where(eq(loginAttempts.username, username)).for(
      "update",
    );
    const stale = row.firstFailureAt.getTime() < now - LOCK_MS ||
      (row.lockedUntil !== null && row.lockedUntil.getTime() <= now);
    const failures = (stale ? 0 : row.failures) + 1;
    const locks = failures >= MAX_FAILURES;
    const until = locks ? new Date(now + LOCK_MS) : null;
    await t.update(loginAttempts).set({
      // After locking, the count starts again when the lock ends.
      failures: locks ? 0 : failures,
      firstFailureAt: stale ? new Date(now) : row.firstFailureAt,
      lockedUntil: until ?? (stale ? null : row.lockedUntil),
    }).where(eq(loginAttempts.username, username));
    return until;
  });
}

/** Forget failures after a successful login. */
export async function clearFailures(tx: Tx, username: string): Promise<void> {
  await tx.delete(loginAttempts).where(eq(loginAttempts.username, username));
}

/** Remove rows whose lock and window have passed. */
export async function purgeLoginAttempts(tx: Tx, now: number): Promise<void> {
  const cutoff = new Date(now - LOCK_MS);
  await tx.delete(loginAttempts).where(and(
    lt(loginAttempts.firstFailureAt, cutoff),
    or(isNull(loginAttempts.lockedUntil), lt(loginAttempts.lockedUntil, new Date(now))),
  ));
}
