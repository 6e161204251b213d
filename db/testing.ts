/**
 * Test databases: one in-memory PGlite per test file, or a fresh database on the local PostgreSQL
 * when `TEST_DATABASE_URL` is set (`.ci/run` runs the suite both ways).
 *
 * @module
 */
import postgres from "postgres";
import { type Database, openDatabase, type OpenOptions } from "./client.ts";

/** A database for one test file, with a `drop()` that removes everything it made. */
export interface TestDatabase extends Database {
  /** The URL of the PostgreSQL test database, when on PostgreSQL. */
  url?: string;
  drop(): Promise<void>;
}

/** Open a fresh database for a test file, migrated unless `opts.migrate` is false. */
export async function openTestDatabase(
  opts: Pick<OpenOptions, "onQuery" | "migrate"> = {},
): Promise<TestDatabase> {
  const admin = Deno.env.get("TEST_DATABASE_URL");
  if (!admin) {
    const database = await openDatabase({ dataDir: "memory://", ...opts });
    return { ...database, drop: () => database.close() };
  }
  const name = `jct_test_${crypto.randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const root = postgres(admin, { max: 1, onnotice: () => {} });
  await root.unsafe(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), max: 5, ...opts });
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await root.unsafe(`drop database if exists ${name} with (force)`);
      await root.end();
    },
  };
}
