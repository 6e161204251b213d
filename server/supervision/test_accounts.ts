/**
 * Test-only: people accounts signed in by session (the way they use the product), so tests do not
 * depend on API keys for people. `headers()` starts a fresh session at the app clock's instant (tests
 * move the clock by days; a session lasts 12 hours).
 *
 * @module
 */
import type { Role } from "../auth/roles.ts";
import { createApiKey } from "../auth/api_keys.ts";
import { createSession } from "../auth/sessions.ts";
import { createUser } from "../auth/users.ts";
import { receivedEvent, supervisedCaseEvents, type TestApp } from "../testing.ts";

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

/** Create an ingest account (a department system) of some departments; its `authorization` header. */
export async function ingestClient(
  t: TestApp,
  username: string,
  departments: string[],
): Promise<{ authorization: string }> {
  const user = await createUser(
    t.database.db,
    { username, displayName: username, role: "ingest", departments, region: null, hall: null },
    t.deps.clock(),
    { checkReference: false },
  );
  const { key } = await createApiKey(t.database.db, { userId: user.id, name: "k", createdBy: "t" });
  return { authorization: `Bearer ${key}` };
}

/**
 * The queue's test cases, pushed at the app: R1 (a 9.9 feedback and a 9.1 investigation, appealed on
 * 2024-09-09) and K1 (a correction notice issued late: 8.2a, opened 2024-09-12).
 */
export async function seedQueueCases(t: TestApp): Promise<void> {
  const res = await t.send("POST", "/api/v1/events", [
    ...supervisedCaseEvents(),
    receivedEvent("k1-r", "K1", "2024-09-02T09:00:00+08:00"),
    {
      id: "k1-n",
      case: "K1",
      type: "correction_requested",
      at: "2024-09-12T10:00:00+08:00",
      materials: ["申请书"],
    },
  ]);
  if (res.status !== 200) throw new Error(`seeding the queue cases: ${res.status} ${await res.text()}`);
}
