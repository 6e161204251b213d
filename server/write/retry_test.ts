import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { ServiceUnavailableError, ValidationError } from "../errors.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { ingestEvents, type IngestReport } from "./ingest.ts";
import { isTransient, RetryBatch, retryTransaction } from "./retry.ts";

const t = await openTestApp("2024-10-10T12:00:00+08:00");
const closed = () =>
  Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" });

Deno.test("a lost connection, a raced insert, a deadlock and postgres.js' null-socket TypeError are transient; a domain error is not", () => {
  assert.equal(isTransient(closed()), true);
  assert.equal(isTransient(new RetryBatch()), true);
  assert.equal(isTransient(Object.assign(new Error("deadlock detected"), { code: "40P01" })), true);
  assert.equal(isTransient(new TypeError("Cannot read properties of null (reading 'write')")), true);
  // Drizzle wraps the driver's error in `cause`.
  assert.equal(isTransient(new Error("Failed query: commit", { cause: closed() })), true);
  assert.equal(isTransient(new ValidationError("bad")), false);
  assert.equal(isTransient(new TypeError("Cannot read properties of undefined (reading 'item')")), false);
  assert.equal(isTransient(Object.assign(new Error("duplicate key"), { code: "23505" })), false);
});

Deno.test("retryTransaction runs a transiently failing attempt again, and answers 503 when every attempt failed", async () => {
  let n = 0;
  assert.equal(
    await retryTransaction(() => ++n < 3 ? Promise.reject(closed()) : Promise.resolve("done"), {
      backoffMs: 1,
    }),
    "done",
  );
  assert.equal(n, 3);
  n = 0;
  await assert.rejects(
    retryTransaction(() => (n++, Promise.reject(closed())), { attempts: 2, backoffMs: 1 }),
    (err: unknown) =>
      err instanceof ServiceUnavailableError && err.status === 503 && err.retryAfterSeconds > 0,
  );
  assert.equal(n, 2);
  n = 0;
  await assert.rejects(
    retryTransaction(() => (n++, Promise.reject(new ValidationError("bad")))),
    ValidationError,
  );
  assert.equal(n, 1);
});

Deno.test("a batch whose transaction loses its connection is stored once by the retry, and answered as stored", async () => {
  let attempts = 0;
  const report = await ingestEvents(
    t.deps,
    [receivedEvent("R1-r", "R1", "2024-10-08T09:00:00+08:00")],
    "test-ingest",
    {
      inTransaction: () => {
        // The first attempt fails after the events were written and evaluated: all of it rolls back.
        if (++attempts === 1) throw closed();
        return Promise.resolve();
      },
    },
  );
  assert.equal(attempts, 2);
  assert.deepEqual(report, { stored: 1, duplicates: 0, refused: [] });
  const rows = await query<{ n: number; cases: number }>(
    t.database.db,
    sql`select (select count(*)::int from events where id = 'R1-r') as n,
      (select count(*)::int from cases where case_id = 'R1') as cases`,
  );
  assert.deepEqual({ ...rows[0] }, { n: 1, cases: 1 });
});

Deno.test("an id the same sender stores from another instance meanwhile makes the later batch a conflict, not an error", async () => {
  const at = "2024-10-08T09:00:00+08:00";
  let later: Promise<IngestReport> | undefined;
  const first = await ingestEvents(t.deps, [receivedEvent("R-same", "R2", at)], "test-ingest", {
    inTransaction: async () => {
      // While this transaction is open, another instance stores the same id for another case: on
      // PostgreSQL it reads no such id, its insert waits for this commit and then finds the id taken.
      later = ingestEvents(t.deps, [receivedEvent("R-same", "R3", at)], "test-ingest");
      await new Promise((resolve) => setTimeout(resolve, 200));
    },
  });
  assert.deepEqual(first, { stored: 1, duplicates: 0, refused: [] });
  const report = await later!;
  assert.deepEqual([report.stored, report.duplicates], [0, 0]);
  assert.deepEqual(report.refused.map((r) => [r.field, r.id]), [["id", "R-same"]]);
  const rows = await query<{ n: number; r3: number }>(
    t.database.db,
    sql`select (select count(*)::int from events where id = 'R-same') as n,
      (select count(*)::int from cases where case_id = 'R3') as r3`,
  );
  assert.deepEqual({ ...rows[0] }, { n: 1, r3: 0 });
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
