/**
 * Opening the database: PGlite (real PostgreSQL in WASM) in a data folder when no URL is given,
 * otherwise a PostgreSQL server through postgres.js. Both run the same committed migrations and
 * expose the same Drizzle API and LISTEN/NOTIFY.
 *
 * @module
 */
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { type SQL, sql } from "drizzle-orm";
import * as mainSchema from "./schema.ts";
import * as authSchema from "./schema_auth.ts";
import * as supervisionSchema from "./schema_supervision.ts";
import * as deskSchema from "./schema_desk.ts";

const schema = { ...mainSchema, ...authSchema, ...supervisionSchema, ...deskSchema };

/** The Drizzle database, whichever driver is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

/** An open database with its notification channel. */
export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  /**
   * Subscribe to NOTIFY on a channel; resolves to an unsubscribe function. `onListen` runs each time
   * the LISTEN is in place: first, and again after postgres.js re-listened on a new connection (the
   * old one was lost, e.g. PostgreSQL restarted). Notifications sent meanwhile are lost, so a
   * listener catches up there.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onListen?: () => void,
  ): Promise<() => Promise<void>>;
  /** Close every connection. */
  close(): Promise<void>;
  /** PGlite only: a dump of the data folder, to start another database from (tests do). */
  dump?(): Promise<Blob>;
}

/** Options of {@linkcode openDatabase}. */
export interface OpenOptions {
  /** A postgres:// URL; when absent, PGlite in `dataDir`. */
  url?: string;
  /** PGlite's data folder; `memory://` for an in-memory database. */
  dataDir?: string;
  /** PGlite: start from this dump of a data folder (`dumpDataDir()`) instead of an empty one. */
  loadDataDir?: Blob;
  /** Connections in the postgres.js pool. */
  max?: number;
  /** Run the committed migrations (default true). */
  migrate?: boolean;
  /** Called with every statement Drizzle sends and its parameters (the plan test reads them). */
  onQuery?: (query: string, params: unknown[]) => void;
}

/** Connections in the postgres.js pool unless `max` says otherwise. */
export const DEFAULT_POOL_MAX = 10;

const MIGRATIONS = new URL("./migrations", import.meta.url).pathname;

/** Open (and migrate) the database. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const logger = opts.onQuery ? { logQuery: opts.onQuery } : undefined;
  const database = opts.url
    ? await openPostgres(opts.url, opts.max ?? DEFAULT_POOL_MAX, logger)
    : await openPglite(opts.dataDir ?? "./data/pg", logger, opts.loadDataDir);
  if (opts.migrate ?? true) await migrateDb(database);
  return database;
}

/** Run the migrations of `folder` (default: the committed ones) that are not applied yet. */
export async function migrateDb(database: Database, folder = MIGRATIONS): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // deno-lint-ignore no-explicit-any
    await migrate(database.db as any, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/postgres-js/migrator");
    // Several servers may start at once: one migrates, the others wait on the lock.
    await database.db.execute(sql`select pg_advisory_lock(7461001)`);
    try {
      // deno-lint-ignore no-explicit-any
      await migrate(database.db as any, { migrationsFolder: folder });
    } finally {
      await database.db.execute(sql`select pg_advisory_unlock(7461001)`);
    }
  }
}

type Logger = { logQuery(query: string, params: unknown[]): void } | undefined;

async function openPglite(dataDir: string, logger: Logger, loadDataDir?: Blob): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (!dataDir.startsWith("memory://")) await Deno.mkdir(dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir, loadDataDir });
  const db = drizzle(client, { schema, logger }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    listen: async (channel, fn, onListen) => {
      const unsub = await client.listen(channel, fn);
      onListen?.();
      return async () => await unsub();
    },
    close: () => client.close(),
    dump: () => client.dumpDataDir("none"),
  };
}

async function openPostgres(url: string, max: number, logger: Logger): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max, onnotice: () => {} });
  const db = drizzle(client, { schema, logger }) as unknown as Db;
  return {
    db,
    kind: "postgres",
    listen: async (channel, fn, onListen) => {
      const { unlisten } = await client.listen(channel, fn, onListen);
      return async () => await unlisten();
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** Rows of a raw `db.execute()` result, whichever driver answered. */
export function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

/** Run a raw query and return its rows. */
export async function query<T>(tx: Tx, q: SQL): Promise<T[]> {
  return rowsOf<T>(await tx.execute(q));
}
