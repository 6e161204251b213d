import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { type Database, query } from "../db/client.ts";
import { openTestDatabase } from "../db/testing.ts";
import { LiveHub } from "./live/hub.ts";
import { ALL_SCOPE } from "./live/scope.ts";
import { insertAlert, seedReference, SseReader } from "./live/test_helpers.ts";
import { startScheduler } from "./write/scheduler.ts";
import { openCalendarStore } from "./calendar_store.ts";

const NOW = Date.parse("2024-10-15T10:00:00+08:00");
const database = await openTestDatabase();
await seedReference(database.db);

/** The database, with a hook to run the LISTEN's `onListen` again as postgres.js does on reconnecting. */
function relistenable(): { database: Database; relisten: () => void } {
  const hooks: (() => void)[] = [];
  return {
    database: {
      ...database,
      listen: (channel, fn, onListen) => {
        if (onListen) hooks.push(onListen);
        return database.listen(channel, fn, onListen);
      },
    },
    relisten: () => hooks.forEach((h) => h()),
  };
}

Deno.test("after the LISTEN is re-established the hub reads the feed it was not notified of", async () => {
  const { database: db, relisten } = relistenable();
  const hub = new LiveHub({ database: db, clock: () => NOW }, { tickMs: 0, pingMs: 0 });
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    assert.equal((await reader.next())?.retry, 3000);
    assert.equal((await reader.next())?.event, "counts");
    // Committed while the LISTEN connection was down: no notification reaches the hub.
    const id = await insertAlert(database.db, { department: "D1", region: "410100" }, "WHILE-DOWN");
    await hub.tick();
    relisten();
    await hub.tick();
    const message = await reader.next();
    assert.equal(message?.event, "alert");
    assert.equal(message?.id, String(id));
    assert.equal(JSON.parse(message!.data!).case, "WHILE-DOWN");
  } finally {
    await hub.stop();
  }
});

Deno.test("after the LISTEN is re-established the scheduler looks for due cases at once", async () => {
  const { database: db, relisten } = relistenable();
  // A case without events is postponed when the scheduler looks at it: that is how we see it looked.
  const dueCase = async (caseId: string) => {
    const due = new Date(Date.now() - 1000).toISOString();
    await database.db.execute(sql`insert into cases (case_id, status, result, evaluated_at, next_change_at)
      values (${caseId}, 'received', '{}'::jsonb, now(), ${due}::timestamptz)`);
  };
  const lookedAt = async (caseId: string, what: string) => {
    const looked = async () => {
      const [row] = await query<{ next: string | Date }>(
        database.db,
        sql`select next_change_at as next from cases where case_id = ${caseId}`,
      );
      return new Date(row.next).getTime() > Date.now();
    };
    const until = Date.now() + 10_000;
    while (!await looked()) {
      assert.ok(Date.now() < until, what);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await dueCase("FIRST-LOOK");
  const scheduler = startScheduler({ database: db, clock: Date.now, calendar: await openCalendarStore(db) }, {
    maxSleepMs: 60_000,
  });
  try {
    // Its first look postpones FIRST-LOOK; then nothing is due for a minute and it sleeps.
    await lookedAt("FIRST-LOOK", "the scheduler did not make its first look");
    // Due now, but the notification of it was lost.
    await dueCase("RELISTEN");
    relisten();
    await lookedAt("RELISTEN", "the scheduler did not look at the due case after the LISTEN came back");
  } finally {
    await scheduler.stop();
  }
});

Deno.test.afterAll(() => database.drop());
