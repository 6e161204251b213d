/**
 * The server entry point, and the only module that reads the environment:
 *
 * - `PORT` (default 8000; 0 picks a free port, printed on start),
 * - `DATABASE_URL` (a postgres:// URL; unset = embedded PGlite in `DATA_DIR`),
 * - `DATA_DIR` (default `./data`),
 * - `DEMO` (`1`/`true`: demo accounts, seeded demo data and a pusher of plausible new events; `0`/`false`:
 *   none of that). Unset, demo mode is on for the embedded database and off with `DATABASE_URL`, so
 *   `deno task start` on a fresh machine shows a moving wall screen and a production server stays clean,
 * - `ADMIN_PASSWORD` (the first administrator's password on a fresh database),
 * - `TRUST_PROXY` (`1`/`true`: behind a reverse proxy, take the client IP from X-Forwarded-For),
 * - `METRICS_TOKEN` (the bearer token that opens `/metrics` to clients other than loopback),
 * - `LOG_FORMAT` (`json`: one JSON line per request and per event batch; otherwise plain text lines),
 * - `PORTAL_WEBHOOK_URL` (the unified work portal's webhook: 8.1 warnings and new supervision orders
 *   are POSTed there by the outbox worker; unset, they stay pending on /admin/portal),
 * - `PORTAL_MAX_ATTEMPTS` (tries before a portal message is dead-lettered; default 8),
 * - `MAX_STREAMS_PER_CREDENTIAL` (open live streams per display token, session or key; the oldest
 *   beyond it is closed; default 3).
 *
 * Opens and migrates the database, loads the calendar, starts the live hub and the scheduler, serves
 * the app, and shuts down in order on SIGINT/SIGTERM: close the live streams (an open stream would
 * keep `server.shutdown()` waiting), stop the scheduler, drain requests, close the database.
 *
 * @module
 */
import { type Database, DEFAULT_POOL_MAX, openDatabase } from "../db/client.ts";
import { createApp } from "./app.ts";
import { WATCH_DEFAULTS } from "./live/credential_watch.ts";
import { ensureBootstrapUsers } from "./auth/bootstrap.ts";
import { openCalendarStore } from "./calendar_store.ts";
import { openKeyCache } from "./auth/key_cache.ts";
import { startDemoPusher } from "./demo/pusher.ts";
import { seedDemo } from "./demo/seed.ts";
import { buildIslands } from "./island_bundles.ts";
import { type AppDeps, systemClock } from "./deps.ts";
import { LiveHub } from "./live/hub.ts";
import { startScheduler } from "./write/scheduler.ts";
import { startTallyBackfill } from "./reports/backfill.ts";
import { runMaintenance, startMaintenance } from "./partitions.ts";
import { Metrics } from "./metrics/metrics.ts";
import { startReadiness } from "./metrics/readiness.ts";
import { databaseState } from "./metrics/state.ts";
import { createLogger, logFormat } from "./ops/log.ts";
import { startPortalWorker } from "./portal/worker.ts";

/** The settings `main` reads from the environment. */
export interface ServerConfig {
  port: number;
  databaseUrl?: string;
  dataDir: string;
  demo: boolean;
  adminPassword?: string;
  trustProxy: boolean;
  maxStreamsPerCredential: number;
  metricsToken?: string;
  logFormat: "json" | "text";
  portal: { url: string | null; maxAttempts: number };
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());

/** Read the configuration from the environment. */
export function configFromEnv(env: Deno.Env = Deno.env): ServerConfig {
  const port = Number(env.get("PORT") ?? "8000");
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT is not a port: ${env.get("PORT")}`);
  }
  return {
    port,
    databaseUrl: env.get("DATABASE_URL") || undefined,
    dataDir: env.get("DATA_DIR") || "./data",
    demo: env.get("DEMO") === undefined || env.get("DEMO") === ""
      ? !env.get("DATABASE_URL")
      : truthy(env.get("DEMO")),
    adminPassword: env.get("ADMIN_PASSWORD") || undefined,
    trustProxy: truthy(env.get("TRUST_PROXY")),
    maxStreamsPerCredential: positive(env, "MAX_STREAMS_PER_CREDENTIAL", WATCH_DEFAULTS.maxPerCredential),
    metricsToken: env.get("METRICS_TOKEN") || undefined,
    logFormat: logFormat(env.get("LOG_FORMAT")),
    portal: {
      url: portalUrl(env.get("PORTAL_WEBHOOK_URL")),
      maxAttempts: positive(env, "PORTAL_MAX_ATTEMPTS", 8),
    },
  };
}

function portalUrl(raw: string | undefined): string | null {
  if (!raw?.trim()) return null;
  const url = new URL(raw.trim()); // throws on a malformed URL: refuse to start rather than lose messages
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`PORTAL_WEBHOOK_URL is not an http(s) URL: ${raw}`);
  }
  return url.toString();
}

function positive(env: Deno.Env, name: string, fallback: number): number {
  const raw = env.get(name);
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} is not a positive integer: ${raw}`);
  return n;
}

/** A running server. */
export interface RunningServer {
  url: string;
  /** Shut down in order; safe to call more than once. */
  shutdown(): Promise<void>;
}

/** Start everything and serve. */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const database: Database = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: `${config.dataDir}/pg` },
  );
  const clock = systemClock;
  // Before any transaction: the evaluator needs the calendar, and PGlite has one connection.
  const calendar = await openCalendarStore(database);
  const keys = await openKeyCache(database);
  const metrics = new Metrics({ processMetrics: true });
  // The hub reads with two connections of its own, so delivery never queues behind ingestion's
  // transactions for a pooled one (PGlite has one connection: it shares it).
  const liveReads = config.databaseUrl
    ? await openDatabase({ url: config.databaseUrl, max: 2, migrate: false })
    : null;
  const live = new LiveHub({ database, reads: liveReads?.db, clock, metrics });
  await live.start();
  // Bundle the islands once, now (cached by source hash); pages read the manifest from the deps.
  const manifest = await buildIslands();
  const deps: AppDeps = {
    database,
    clock,
    calendar,
    keys,
    demo: config.demo,
    live,
    security: { trustProxy: config.trustProxy, maxStreamsPerCredential: config.maxStreamsPerCredential },
    manifest,
    metrics,
    metricsToken: config.metricsToken,
    readiness: await startReadiness(database),
    log: createLogger(config.logFormat),
    portal: { configured: config.portal.url !== null, maxAttempts: config.portal.maxAttempts },
  };
  metrics.bind(databaseState(deps, database.kind === "postgres" ? DEFAULT_POOL_MAX : 1));
  // Month partitions ahead, live feed pruned: now, before anything is written, then every few hours.
  await runMaintenance(deps);
  const stopMaintenance = startMaintenance(deps);
  await ensureBootstrapUsers(deps, { demo: config.demo, adminPassword: config.adminPassword });
  if (config.demo) await seedDemoData(deps);
  const scheduler = startScheduler(deps);
  // Cases stored before the ranking keys existed are re-evaluated once, in the background.
  const backfill = startTallyBackfill(deps);
  const pusher = config.demo ? startDemoPusher(deps) : null;
  const portal = config.portal.url
    ? startPortalWorker(deps, { url: config.portal.url, maxAttempts: config.portal.maxAttempts })
    : null;

  const app = createApp(deps);
  let url = "";
  const listening = Promise.withResolvers<void>();
  const server = Deno.serve({
    port: config.port,
    onListen: ({ port }) => {
      url = `http://localhost:${port}/`;
      console.log(`监察台 listening on ${url} (database: ${database.kind}${config.demo ? ", demo" : ""})`);
      listening.resolve();
    },
  }, app.fetch);
  await listening.promise;

  let closing: Promise<void> | null = null;
  return {
    url,
    shutdown: () =>
      closing ??= (async () => {
        await pusher?.stop();
        stopMaintenance();
        await live.stop();
        await liveReads?.close();
        await backfill.stop();
        await scheduler.stop();
        await deps.readiness?.stop();
        await portal?.stop();
        await server.shutdown();
        await calendar.close();
        await keys.close();
        await database.close();
      })(),
  };
}

/** Demo mode: seed the demo data set once (only into a database without cases). */
async function seedDemoData(deps: AppDeps): Promise<void> {
  const report = await seedDemo(deps, { now: deps.clock() });
  if (report.seeded) {
    console.log(`演示数据已生成: ${report.cases} 件, ${report.stored} 个事件 (${Math.round(report.ms)} ms)`);
  }
}

if (import.meta.main) {
  const running = await startServer(configFromEnv());
  const stop = async (signal: string) => {
    console.log(`${signal}: shutting down`);
    // A watchdog: never hang on the way out.
    setTimeout(() => Deno.exit(1), 15_000);
    try {
      await running.shutdown();
    } catch (err) {
      console.error("shutdown:", err);
      Deno.exit(1);
    }
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    try {
      Deno.addSignalListener(signal, () => stop(signal));
    } catch {
      // SIGTERM is not available on Windows.
    }
  }
}
