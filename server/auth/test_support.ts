/**
 * Shared setup for the auth tests: a small reference-data world, a stepping clock, accounts per role,
 * and cookie-carrying request helpers.
 *
 * @module
 */
import { departments, halls, regions } from "../../db/schema.ts";
import type { Db, Tx } from "../../db/client.ts";
import { hashPassword } from "./password.ts";
import { createSession, SESSION_COOKIE } from "./sessions.ts";
import { createUser } from "./users.ts";
import type { PrincipalRole, Role } from "./roles.ts";
import type { Principal } from "./principal.ts";

/** 河南 → 郑州 → 金水区; 洛阳 beside it. */
export async function seedReference(db: Db): Promise<void> {
  await db.insert(regions).values([
    { code: "410000", name: "河南省", parent: null },
    { code: "410100", name: "郑州市", parent: "410000" },
    { code: "410105", name: "金水区", parent: "410100" },
    { code: "410300", name: "洛阳市", parent: "410000" },
  ]).onConflictDoNothing();
  await db.insert(departments).values([
    { code: "410100-SCJGJ", name: "郑州市市场监督管理局", region: "410100" },
    { code: "410105-SCJGJ", name: "金水区市场监督管理局", region: "410105" },
    { code: "410300-SCJGJ", name: "洛阳市市场监督管理局", region: "410300" },
  ]).onConflictDoNothing();
  await db.insert(halls).values([
    { code: "410100-ZWFW", name: "郑州市民之家", region: "410100" },
    { code: "410105-ZWFW", name: "金水区政务服务中心", region: "410105" },
    { code: "410300-ZWFW", name: "洛阳市政务服务中心", region: "410300" },
  ]).onConflictDoNothing();
}

/**
 * A principal made in memory, with no account behind it, for code that takes one directly (page routes,
 * list queries): a person's session, or a display token's for `display`; id and names are the role,
 * the scope columns empty, unless `extra` says otherwise.
 */
export function principalFor(
  role: PrincipalRole,
  scope: Principal["scope"],
  extra: Partial<Principal> = {},
): Principal {
  return {
    kind: role === "display" ? "display" : "session",
    id: role,
    name: role,
    displayName: role,
    role,
    departments: [],
    region: null,
    hall: null,
    scope,
    ...extra,
  };
}

/** The password of every test account. */
export const TEST_PASSWORD = "test-password-1";

let testHash: Promise<string> | undefined;
/**
 * The hash of {@linkcode TEST_PASSWORD}, made once per process (a PBKDF2 hash takes a good fraction of a
 * second): pass it as `createUser(…, { passwordHash })` for test accounts of people.
 */
export function testPasswordHash(): Promise<string> {
  testHash ??= hashPassword(TEST_PASSWORD);
  return testHash;
}

/** An account's scope: departments, a region or a hall, each optional. */
export interface TestScope {
  departments?: string[];
  region?: string;
  hall?: string;
}

/**
 * A person's account of `role` with `scope` and the password {@linkcode TEST_PASSWORD}, displayed as
 * `displayName` (default: the role). The scope's codes are not checked against the reference data.
 */
export async function createPerson(
  tx: Tx,
  username: string,
  role: Role,
  scope: TestScope,
  now: number,
  displayName: string = role,
) {
  const { departments = [], region = null, hall = null } = scope;
  return await createUser(
    tx,
    { username, displayName, role, departments, region, hall },
    now,
    { checkReference: false, passwordHash: await testPasswordHash() },
  );
}

/**
 * Request headers of a fresh login session of the user, as a browser would send them: the session
 * cookie, the CSRF header for writes, and an empty `authorization` (so that `TestApp.send` does not add
 * its default account's). People sign in with sessions; API keys are only for ingest accounts.
 */
export async function sessionHeaders(tx: Tx, userId: string, now: number): Promise<Record<string, string>> {
  const s = await createSession(tx, userId, now);
  return {
    authorization: "",
    cookie: `${SESSION_COOKIE}=${s.token}`,
    // middleware.ts CSRF_HEADER, not imported: that would pull the routes into every test module.
    "x-csrf-token": s.csrfToken,
  };
}

/** One account per role (username = role), scoped to 郑州 where a scope is needed. */
export async function seedUsers(db: Db, now: number): Promise<void> {
  const scopes: Record<Role, { departments?: string[]; region?: string; hall?: string }> = {
    province: {},
    region: { region: "410100" },
    department: { departments: ["410100-SCJGJ"] },
    hall_manager: { hall: "410100-ZWFW" },
    director: { region: "410100" },
    admin: {},
    ingest: { departments: ["410105-SCJGJ"] },
  };
  for (const [role, s] of Object.entries(scopes)) {
    await createUser(
      db,
      {
        username: role.replace("_", "-"),
        displayName: role,
        role: role as Role,
        departments: s.departments ?? [],
        region: s.region ?? null,
        hall: s.hall ?? null,
      },
      now,
      { passwordHash: await testPasswordHash() },
    );
  }
}

/** A settable clock. */
export function steppingClock(start = Date.parse("2026-03-02T09:00:00+08:00")) {
  const clock = { now: start, fn: () => clock.now };
  return clock;
}

/** The `name=value` pairs of a response's Set-Cookie headers. */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const i = pair.indexOf("=");
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}
