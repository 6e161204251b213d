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
import { setImmediate } from "node:timers";

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
  // Custom plans for every execution, as for the unnamed statements this used to send: a prepared
  // statement must not switch to a generic plan (a `= any($1)` probe planned without its list).
  const client = preparing(
    postgres(url, { max, onnotice: () => {}, connection: { plan_cache_mode: "force_custom_plan" } }),
  );
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

// deno-lint-ignore no-explicit-any
type PgClient = any;

/**
 * Statements with at most this many parameters are prepared: more come from a list written out as
 * `in ($1, …, $n)` (Drizzle's `inArray`), a statement per list length that is not worth keeping.
 */
const PREPARED_MAX_PARAMETERS = 32;

/**
 * Make postgres.js prepare (and keep per connection) the statements that have parameters, also those
 * Drizzle sends with `unsafe()` — in a transaction too. Unprepared, postgres.js sends each one as
 * Parse + Describe, waits for the parameter types, and only then binds and executes it: two round trips,
 * the second written by JavaScript, so statements sent together are not pipelined and none runs while
 * the process computes. A prepared one goes out whole at once (from its second use on a connection).
 */
function preparing(sql: PgClient): PgClient {
  const unsafe = sql.unsafe;
  sql.unsafe = (query: string, args?: unknown[], options?: Record<string, unknown>) => {
    const n = args?.length ?? 0;
    return unsafe(
      query,
      args,
      n > 0 && n <= PREPARED_MAX_PARAMETERS ? { ...options, prepare: true } : options,
    );
  };
  for (const name of ["begin", "savepoint"]) {
    const scope = sql[name];
    if (!scope) continue;
    sql[name] = (...args: unknown[]) => {
      const fn = args.pop() as (tx: PgClient) => unknown;
      return scope(...args, (tx: PgClient) => fn(preparing(tx)));
    };
  }
  return sql;
}

/**
 * Let the driver put the statements issued so far on the wire before a long synchronous step, so that
 * the database works while the process computes: Drizzle hands a query to postgres.js a few microtasks
 * after it is issued, and postgres.js writes a message under 1 KB from a `setImmediate`. Two turns of
 * the check phase: the second starts after the driver's own. (PGlite runs queries in this thread: a no-op
 * in effect.)
 */
export async function letStatementsGo(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
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
