import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openTestDatabase } from "./testing.ts";

const database = await openTestDatabase();
const onPostgres = database.kind === "postgres";

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!done()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

Deno.test("listen calls onListen once the LISTEN is in place and delivers notifications", async () => {
  const payloads: string[] = [];
  let listens = 0;
  const unlisten = await database.listen("jct_client_test_a", (p) => payloads.push(p), () => listens++);
  try {
    assert.equal(listens, 1);
    await database.db.execute(sql`select pg_notify('jct_client_test_a', 'one')`);
    await until("the notification", () => payloads.length === 1);
    assert.deepEqual(payloads, ["one"]);
  } finally {
    await unlisten();
  }
});

Deno.test({
  name: "a lost LISTEN connection is listened again: onListen runs again and notifications arrive",
  ignore: !onPostgres,
  fn: async () => {
    const payloads: string[] = [];
    let listens = 0;
    const unlisten = await database.listen("jct_client_test_b", (p) => payloads.push(p), () => listens++);
    try {
      assert.equal(listens, 1);
      // What a PostgreSQL restart does to the listening connection.
      await database.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and query ilike 'listen%' and pid <> pg_backend_pid()`);
      await until("the LISTEN again", () => listens === 2);
      await database.db.execute(sql`select pg_notify('jct_client_test_b', 'after')`);
      await until("the notification after the reconnection", () => payloads.includes("after"));
    } finally {
      await unlisten();
    }
  },
});

Deno.test.afterAll(() => database.drop());
