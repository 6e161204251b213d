/**
 * The benchmark's server: a fresh database on the local PostgreSQL, the product's app with its live
 * hub and scheduler served in-process on 127.0.0.1, the demo's Henan reference data, and two API keys
 * (an ingest client for the province, a province reader for the stream). `close()` drops it all.
 *
 * @module
 */
import postgres from "postgres";
import { type Database, openDatabase } from "../db/client.ts";
import { createApiKey } from "../server/auth/api_keys.ts";
import { createUser } from "../server/auth/users.ts";
import { hashPassword } from "../server/auth/password.ts";
import { createSession, SESSION_COOKIE } from "../server/auth/sessions.ts";
import { createApp } from "../server/app.ts";
import { openCalendarStore } from "../server/calendar_store.ts";
import { openKeyCache } from "../server/auth/key_cache.ts";
import { type AppDeps, systemClock } from "../server/deps.ts";
import { LiveHub } from "../server/live/hub.ts";
import { upsertItems, upsertReference } from "../server/reference.ts";
import { startScheduler } from "../server/write/scheduler.ts";
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
import type { SenderAuth } from "./post_batch.ts";

/** A running benchmark server. */
export interface BenchServer {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** URL of the benchmark's own database. */
  dbUrl: string;
  database: Database;
  /** The app's dependencies (for benchmarks that call product functions directly). */
  deps: AppDeps;
  /** The department sender's `Authorization` header value. */
  ingestAuth: string;
  /** Both senders' header values (department system, evaluation platform), for mixed batches. */
  senders: SenderAuth;
  /** The provincial reader's `Cookie` header value (a login session: people have no API keys). */
  readCookie: string;
  close(): Promise<void>;
}

/** Options of {@linkcode startBenchServer}. */
export interface BenchServerOptions {
  /** The PostgreSQL server's URL; a database is created beside the one it names. */
  adminUrl: string;
  /** The live hub's tick (default: the hub's own default). */
  tickMs?: number;
  /** Run the product's scheduler in the background (default true). */
  scheduler?: boolean;
  /** Connections in the server's pool (default 10). */
  poolSize?: number;
  /** Leave the database when closing (for inspection; default false: dropped). */
  keep?: boolean;
  /** The database's name (default `jct_bench_` and a random suffix); it must not exist yet. */
  name?: string;
  /** Called with every statement the server's Drizzle sends (to count statements per request). */
  onQuery?: (query: string, params: unknown[]) => void;
}

/** Create the database, load the reference data and accounts, and serve the app. */
export async function startBenchServer(opts: BenchServerOptions): Promise<BenchServer> {
  const name = opts.name ?? `jct_bench_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`--name: not a plain database name: ${name}`);
  const admin = postgres(opts.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(opts.adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const cleanups: (() => Promise<unknown>)[] = [async () => {
    if (!opts.keep) await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }];
  const close = async () => {
    for (const f of cleanups.reverse()) await f().catch((err) => console.error("cleanup:", err));
  };
  try {
    const database = await openDatabase({ url: dbUrl, max: opts.poolSize ?? 10, onQuery: opts.onQuery });
    cleanups.push(() => database.close());
    // As server/main.ts: the evaluator's calendar, loaded once and injected.
    const calendar = await openCalendarStore(database);
    cleanups.push(() => calendar.close());
    const keys = await openKeyCache(database);
    cleanups.push(() => keys.close());
    const now = systemClock();
    const readerHash = await hashPassword("bench-reader-password");
    const { ingestAuth, evaluationAuth, readCookie } = await database.db.transaction(async (tx) => {
      await upsertReference(tx, "regions", HENAN_REGIONS);
      await upsertReference(tx, "departments", HENAN_DEPARTMENTS);
      await upsertReference(tx, "halls", HENAN_HALLS);
      await upsertItems(tx, HENAN_ITEMS);
      const ingest = await createUser(tx, {
        username: "bench-ingest",
        displayName: "基准测试接入",
        role: "ingest",
        region: "410000",
        departments: [],
        hall: null,
      }, now);
      const reader = await createUser(
        tx,
        {
          username: "bench-reader",
          displayName: "基准测试读取",
          role: "province",
          region: null,
          departments: [],
          hall: null,
        },
        now,
        { passwordHash: readerHash },
      );
      const evaluation = await createUser(tx, {
        username: "bench-evaluation",
        displayName: "基准测试评价平台",
        role: "ingest",
        region: null,
        departments: [],
        hall: null,
        senderKind: "evaluation",
      }, now);
      const k1 = await createApiKey(tx, { userId: ingest.id, name: "bench", createdBy: "bench" });
      const k2 = await createApiKey(tx, { userId: evaluation.id, name: "bench", createdBy: "bench" });
      const session = await createSession(tx, reader.id, now);
      return {
        ingestAuth: `Bearer ${k1.key}`,
        evaluationAuth: `Bearer ${k2.key}`,
        readCookie: `${SESSION_COOKIE}=${session.token}`,
      };
    });

    // As server/main.ts: the hub reads with two connections of its own (closed after it stops).
    const liveReads = await openDatabase({ url: dbUrl, max: 2, migrate: false });
    cleanups.push(() => liveReads.close());
    const live = new LiveHub(
      { database, reads: liveReads.db, clock: systemClock },
      opts.tickMs ? { tickMs: opts.tickMs } : {},
    );
    await live.start();
    let stopping: Promise<void> | null = null;
    const stopLive = () => (stopping ??= live.stop());
    cleanups.push(stopLive);
    const deps: AppDeps = {
      database,
      calendar,
      keys,
      clock: systemClock,
      live,
      // The benchmark opens thousands of streams with one reader session: no per-credential cap here.
      security: { apiLimit: { limit: 1_000_000, windowSeconds: 60 }, maxStreamsPerCredential: 1_000_000 },
    };
    if (opts.scheduler ?? true) {
      const scheduler = startScheduler(deps);
      cleanups.push(() => scheduler.stop());
    }
    const app = createApp(deps);
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    cleanups.push(() => server.shutdown());
    // Stopping the hub closes open streams, so that the server's shutdown does not wait on them.
    cleanups.push(stopLive);
    return {
      url: `http://127.0.0.1:${server.addr.port}`,
      dbUrl,
      database,
      deps,
      ingestAuth,
      senders: { department: ingestAuth, evaluation: evaluationAuth },
      readCookie,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
