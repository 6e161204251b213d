/**
 * What the app is built from. Only `server/main.ts` reads the environment; tests inject their own.
 *
 * @module
 */
import type { Database } from "../db/client.ts";
import type { CalendarStore } from "./calendar_store.ts";
import type { KeyCache } from "./auth/key_cache.ts";
import type { LiveHub } from "./live/hub.ts";
import type { CredentialWatch } from "./live/credential_watch.ts";
import type { Metrics } from "./metrics/metrics.ts";
import type { Readiness } from "./metrics/readiness.ts";
import type { Logger } from "./ops/log.ts";
import type { Manifest } from "./pages/layout.tsx";
import type { SecurityOptions } from "./security.ts";

/** A source of the current instant (epoch ms). Tests pass a fixed or stepping clock. */
export type Clock = () => number;

/** The app's dependencies. */
export interface AppDeps {
  database: Database;
  clock: Clock;
  /** The working-day calendar, kept in step with the `calendar_years` table (server/calendar_store.ts). */
  calendar: CalendarStore;
  /** True in demo mode (seeded data, demo logins shown on the login page). */
  demo?: boolean;
  /** The process's live stream hub (server/live/hub.ts); absent, the stream answers 503. */
  live?: LiveHub;
  /**
   * Open streams' credentials (server/live/credential_watch.ts); absent, the stream route makes its own
   * from `security.maxStreamsPerCredential` and `security.streamCheckMs`. Tests inject one to drive it.
   */
  streamWatch?: CredentialWatch;
  /**
   * The process's API-key principals, following NOTIFY `jct_credentials` (server/auth/key_cache.ts);
   * absent, every request with a key reads the key, its account and its scope.
   */
  keys?: KeyCache;
  /** Rate limits, body limits, proxy trust (server/security.ts); defaults when absent. */
  security?: SecurityOptions;
  /** The island bundles, built once at start-up (server/island_bundles.ts); absent, pages load none. */
  manifest?: Manifest;
  /** The process's Prometheus metrics (server/metrics/); absent, `/metrics` answers 503. */
  metrics?: Metrics;
  /** Bearer token that opens `/metrics` to non-loopback clients (`METRICS_TOKEN`). */
  metricsToken?: string;
  /** The `/readyz` probe (server/metrics/readiness.ts); absent, one is started on first use. */
  readiness?: Readiness;
  /** Request and batch log lines (server/ops/log.ts); absent, nothing is logged. */
  log?: Logger;
  /** Whether the work portal's webhook is configured (server/portal/worker.ts runs then), and its retry limit. */
  portal?: { configured: boolean; maxAttempts: number };
}

/** The system clock. */
export const systemClock: Clock = () => Date.now();
