import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { type Database, query } from "../db/client.ts";
import { openTestDatabase } from "../db/testing.ts";
import { LiveHub } from "./live/hub.ts";
import { ALL_SCOPE } from "./live/scope.ts";
import { insertAlert, seedReference, SseReader } from "./live/test_helpers.ts";
import { startScheduler } from "./scheduler.ts";
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
  const scheduler = startScheduler({ database: db, clock: Date.now, calendar: await openCalendarStore(db) }, {
    maxSleepMs: 60_000,
  });
  try {
    await new Promise((r) => setTimeout(r, 300)); // its first look: nothing due, then a minute's sleep
    // Due now, but the notification of it was lost. A case without events is postponed when looked at.
    const due = new Date(Date.now() - 1000).toISOString();
    await database.db.execute(sql`insert into cases (case_id, status, result, evaluated_at, next_change_at)
      values ('RELISTEN', 'received', '{}'::jsonb, now(), ${due}::timestamptz)`);
    relisten();
    const looked = async () => {
      const [row] = await query<{ next: string | Date }>(
        database.db,
        sql`select next_change_at as next from cases where case_id = 'RELISTEN'`,
      );
      return new Date(row.next).getTime() > Date.now();
    };
    const until = Date.now() + 5000;
    while (!await looked()) {
      assert.ok(Date.now() < until, "the scheduler did not look at the due case after the LISTEN came back");
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    await scheduler.stop();
  }
});

Deno.test.afterAll(() => database.drop());
