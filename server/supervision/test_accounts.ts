/**
 * Test-only: people accounts signed in by session (the way they use the product), so tests do not
 * depend on API keys for people. `headers()` starts a fresh session at the app clock's instant (tests
 * move the clock by days; a session lasts 12 hours).
 *
 * @module
 */
import type { Role } from "../auth/roles.ts";
import { createSession } from "../auth/sessions.ts";
import { createUser } from "../auth/users.ts";
import type { TestApp } from "../testing.ts";

/** A signed-in person. */
export interface TestPerson {
  username: string;
  /** Cookie and CSRF headers of a session started now. */
  headers(): Promise<Record<string, string>>;
}

/** Create an account and return how to act as it. */
export async function person(
  t: TestApp,
  input: { username: string; displayName: string; role: Role; departments?: string[]; region?: string },
): Promise<TestPerson> {
  const user = await createUser(
    t.database.db,
    {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      password: "correct-horse-battery-2026",
      departments: input.departments ?? [],
      region: input.region ?? null,
      hall: null,
    },
    t.deps.clock(),
    { checkReference: false },
  );
  return {
    username: user.username,
    headers: async () => {
      const s = await createSession(t.database.db, user.id, t.deps.clock());
      return { cookie: `jct_session=${s.token}`, "x-csrf-token": s.csrfToken, authorization: "" };
    },
  };
}
