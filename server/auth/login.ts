/**
 * Password login and logout as one place that checks the lockout, verifies the password, starts the
 * session and writes the audit record (login.success, login.failure, login.locked, logout).
 *
 * @module
 */
import type { Db } from "../../db/client.ts";
import { recordAudit } from "../audit.ts";
import { clearFailures, lockedUntil, purgeLoginAttempts, recordFailure } from "./lockout.ts";
import { dummyHash, verifyPassword } from "./password.ts";
import type { Principal } from "./principal.ts";
import {
  createSession,
  deleteSession,
  type NewSession,
  purgeExpiredSessions,
  type UserRow,
} from "./sessions.ts";
import { userByName } from "./users.ts";

/** What a login attempt comes with. */
export interface LoginInput {
  username: string;
  password: string;
  ip?: string | null;
  userAgent?: string | null;
}

/** The outcome: a session, or why not (the two failures are told apart only by the lock). */
export type LoginResult =
  | { ok: true; user: UserRow; session: NewSession }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; lockedUntil: Date };

/** Try to log in. */
export async function login(db: Db, input: LoginInput, now: number): Promise<LoginResult> {
  const username = input.username.trim().toLowerCase().slice(0, 64);
  const ip = input.ip ?? null;
  const until = await lockedUntil(db, username, now);
  if (until) {
    await recordAudit(db, { actor: username, role: "-", action: "login.locked", ip, at: new Date(now) });
    return { ok: false, reason: "locked", lockedUntil: until };
  }
  const user = await userByName(db, username);
  // Verify even for unknown users so the answer takes as long either way.
  const matches = await verifyPassword(input.password, user?.passwordHash ?? await dummyHash());
  if (!user || !user.active || !user.passwordHash || !matches) {
    const reason = !user ? "unknown user" : !user.active ? "inactive" : "wrong password";
    return await db.transaction(async (tx) => {
      const lock = await recordFailure(tx, username, now);
      await recordAudit(tx, {
        actor: username,
        role: user?.role ?? "-",
        action: "login.failure",
        detail: { reason, locked: lock !== null },
        ip,
        at: new Date(now),
      });
      return lock ? { ok: false, reason: "locked", lockedUntil: lock } : { ok: false, reason: "invalid" };
    });
  }
  return await db.transaction(async (tx) => {
    await clearFailures(tx, username);
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
    await purgeLoginAttempts(tx, now);
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
