/**
 * Login throttling per (username, client address): the first {@linkcode FREE_FAILURES} failures cost
 * nothing; each further failure makes the next attempt from that address for that name wait 1, 2, 4 …
 * seconds, at most {@linkcode MAX_DELAY_S}. Nobody can lock anybody out: a stranger's failures slow
 * down only the stranger's address, and the right user from another address is not delayed. A success
 * clears the row; a row forgets itself {@linkcode FORGET_MS} after its last failure. Stored in the
 * database, so every server instance applies the same delay.
 *
 * @module
 */
import { and, eq, gt, lt, sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { loginThrottle } from "../../db/schema_auth.ts";

/** Failures per (username, address) before any delay. */
export const FREE_FAILURES = 3;
/** The longest delay between two attempts, in seconds. */
export const MAX_DELAY_S = 300;
/** Failures older than this are forgotten. */
export const FORGET_MS = 3600_000;

/** The delay after the `failures`-th failure, in seconds: 0 while free, then 1, 2, 4 … capped. */
export function delayAfter(failures: number): number {
  if (failures <= FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_S, 2 ** (failures - FREE_FAILURES - 1));
}

/** Seconds until the next attempt of `username` from `ip` is allowed; 0 = now. */
export async function waitSeconds(tx: Tx, username: string, ip: string, now: number): Promise<number> {
  const [row] = await tx.select({ next: loginThrottle.nextAllowedAt, last: loginThrottle.lastFailureAt })
    .from(loginThrottle)
    .where(and(eq(loginThrottle.username, username), eq(loginThrottle.ip, ip)));
  if (!row || row.last.getTime() < now - FORGET_MS) return 0;
  return Math.max(0, Math.ceil((row.next.getTime() - now) / 1000));
}

/** Count a failure (one upsert); returns the delay in seconds before the next attempt. */
export async function recordFailure(tx: Tx, username: string, ip: string, now: number): Promise<number> {
  const at = new Date(now);
  const forgotten = new Date(now - FORGET_MS);
  const [row] = await tx.insert(loginThrottle)
    .values({ username, ip, failures: 1, lastFailureAt: at, nextAllowedAt: at })
    .onConflictDoUpdate({
      target: [loginThrottle.username, loginThrottle.ip],
      set: {
        // A raw Date is no parameter for postgres.js: pass the instant as text and cast it.
        failures:
          sql`case when ${loginThrottle.lastFailureAt} < ${forgotten.toISOString()}::timestamptz then 1
          else ${loginThrottle.failures} + 1 end`,
        lastFailureAt: at,
      },
    })
    .returning({ failures: loginThrottle.failures });
  const delay = delayAfter(row.failures);
  if (delay > 0) {
    await tx.update(loginThrottle).set({ nextAllowedAt: new Date(now + delay * 1000) })
      .where(and(eq(loginThrottle.username, username), eq(loginThrottle.ip, ip)));
  }
  return delay;
}

/** Forget the failures of `username` from `ip` after a successful login. */
export async function clearFailures(tx: Tx, username: string, ip: string): Promise<void> {
  await tx.delete(loginThrottle).where(and(eq(loginThrottle.username, username), eq(loginThrottle.ip, ip)));
}

/** Remove rows whose last failure is forgotten (uses the index on last_failure_at). */
export async function purgeLoginThrottle(tx: Tx, now: number): Promise<void> {
  await tx.delete(loginThrottle).where(lt(loginThrottle.lastFailureAt, new Date(now - FORGET_MS)));
}

/** User names that some address must currently wait for (the administrators' account list shows them). */
export async function throttledNames(tx: Tx, now: number): Promise<Set<string>> {
  const rows = await tx.selectDistinct({ username: loginThrottle.username }).from(loginThrottle)
    .where(gt(loginThrottle.nextAllowedAt, new Date(now)));
  return new Set(rows.map((r) => r.username));
}
