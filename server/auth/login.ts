/**
 * Password login and logout as one place that checks the throttle (throttle.ts), verifies the
 * password, starts the session and writes the audit record (login.success, login.failure,
 * login.throttled, logout).
 *
 * @module
 */
import type { Db } from "../../db/client.ts";
import { recordAudit } from "../audit.ts";
import { dummyHash, verifyPassword } from "./password.ts";
import type { Principal } from "./principal.ts";
import {
  createSession,
  deleteSession,
  type NewSession,
  purgeExpiredSessions,
  type UserRow,
} from "./sessions.ts";
import { clearFailures, purgeLoginThrottle, recordFailure, waitSeconds } from "./throttle.ts";
import { userByName } from "./users.ts";

/** What a login attempt comes with. */
export interface LoginInput {
  username: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * The outcome: a session, or why not. `throttled`: too many failures of this name from this address;
 * the attempt was not checked, try again after `retryAfter` seconds. A wrong password also says how
 * long the next attempt must wait (0 while failures are still free).
 */
export type LoginResult =
  | { ok: true; user: UserRow; session: NewSession }
  | { ok: false; reason: "invalid"; retryAfter: number }
  | { ok: false; reason: "throttled"; retryAfter: number };

/** Try to log in. */
export async function login(db: Db, input: LoginInput, now: number): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const ip = input.ip ?? null;
  // Throttled per (name, address); an unknown address is one address.
  const from = ip ?? "unknown";
  const wait = await waitSeconds(db, username, from, now);
  if (wait > 0) {
    await recordAudit(db, {
      actor: username,
      role: "-",
      action: "login.throttled",
      detail: { retryAfter: wait },
      ip,
      at: new Date(now),
    });
    return { ok: false, reason: "throttled", retryAfter: wait };
  }
  const user = await userByName(db, username);
  // Verify even for unknown users so the answer takes as long either way.
  const matches = await verifyPassword(input.password, user?.passwordHash ?? await dummyHash());
  if (!user || !user.active || !user.passwordHash || !matches) {
    const reason = !user ? "unknown user" : !user.active ? "inactive" : "wrong password";
    return await db.transaction(async (tx): Promise<LoginResult> => {
      const delay = await recordFailure(tx, username, from, now);
      await recordAudit(tx, {
        actor: username,
        role: user?.role ?? "-",
        action: "login.failure",
        detail: { reason, nextAttemptDelay: delay },
        ip,
        at: new Date(now),
      });
      return { ok: false, reason: "invalid", retryAfter: delay };
    });
  }
  return await db.transaction(async (tx) => {
    await clearFailures(tx, username, from);
    const session = await createSession(tx, user.id, now, { ip, userAgent: input.userAgent });
    await recordAudit(tx, {
      actor: username,
      role: user.role,
      action: "login.success",
      ip,
      at: new Date(now),
    });
    // Housekeeping rides on logins: they are rare, and both deletes use an index or a small table.
    await purgeExpiredSessions(tx, now);
    await purgeLoginThrottle(tx, now);
    return { ok: true, user, session };
  });
}

/** End the principal's session and record it. */
export async function logout(db: Db, principal: Principal, ip: string | null, now: number): Promise<void> {
  if (!principal.session) return;
  await db.transaction(async (tx) => {
    await deleteSession(tx, principal.session!.idHash);
    await recordAudit(tx, {
      actor: principal.name,
      role: principal.role,
      action: "logout",
      ip,
      at: new Date(now),
    });
  });
}
