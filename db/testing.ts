/**
 * Test databases: one in-memory PGlite per test file, or a fresh database on the local PostgreSQL
 * when `TEST_DATABASE_URL` is set (`.ci/run` runs the suite both ways).
 *
 * A migrated PGlite starts from a dump of a freshly migrated one, kept in the temp folder under a
 * hash of the migrations and the PGlite build: creating and migrating an empty PGlite costs seconds,
 * which every test run alone (`deno task test:alone`) and every test file would pay again. The
 * migrations still run on it (finding nothing to do).
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
    const loadDataDir = opts.migrate === false ? undefined : await migratedPglite();
    const database = await openDatabase({ dataDir: "memory://", loadDataDir, ...opts });
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

const MIGRATIONS = new URL("./migrations/", import.meta.url);
let template: Promise<Blob> | undefined;

/** The dump of a freshly migrated PGlite: from the temp folder, or made (and saved) once. */
function migratedPglite(): Promise<Blob> {
  return template ??= (async () => {
    const file = `${Deno.env.get("TMPDIR") ?? "/tmp"}/jct-pglite-${await migrationsHash()}.tar`;
    try {
      return new Blob([await Deno.readFile(file)]);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const fresh = await openDatabase({ dataDir: "memory://" });
    const blob = await fresh.dump!();
    await fresh.close();
    // Written aside and renamed, so a test file starting meanwhile never reads half a dump.
    const part = `${file}.${crypto.randomUUID()}`;
    await Deno.writeFile(part, new Uint8Array(await blob.arrayBuffer()));
    await Deno.rename(part, file);
    return blob;
  })();
}

/**
 * SHA-256 over the migration files, the PGlite build that would run them, and the month: the
 * migrations create the monthly partitions from the current month on.
 */
async function migrationsHash(): Promise<string> {
  const month = new Date().toISOString().slice(0, 7);
  const parts: string[] = [import.meta.resolve("@electric-sql/pglite"), month];
  const walk = async (dir: URL) => {
    const entries = [];
    for await (const e of Deno.readDir(dir)) entries.push(e);
    entries.sort((a, b) => a.name < b.name ? -1 : 1);
    for (const e of entries) {
      const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
      if (e.isDirectory) await walk(url);
      else parts.push(url.pathname.slice(MIGRATIONS.pathname.length), await Deno.readTextFile(url));
    }
  };
  await walk(MIGRATIONS);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(parts.join("\0")));
  return [...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, "0")).join("");
}
