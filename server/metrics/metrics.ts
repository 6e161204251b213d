/**
 * The process's Prometheus metrics (prom-client), all named `jct_…`, on a registry of their own: one
 * {@linkcode Metrics} is created in server/main.ts (or by a test) and injected through `AppDeps`, never a
 * module singleton. The code that does the work reports to it in one line (`deps.metrics?.…`); figures
 * that live in the database (scheduler lag, outbox, connections) are read when `/metrics` is scraped.
 *
 * @module
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { IngestReport } from "../write/ingest.ts";

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What `/metrics` reads at scrape time (server/metrics/state.ts). */
export interface MetricsState {
  /** Seconds the oldest due time-driven change is overdue (0 when none is due). */
  schedulerLagSeconds(): Promise<number>;
  outbox(): Promise<{ pending: number; retrying: number; dead: number }>;
  connections(): Promise<{ active: number; idle: number; max: number }>;
  /** Open SSE streams by scope kind (`all`, `hall`, `department`, `region`). */
  streams(): Record<string, number>;
}

/** The metrics of one process. */
export class Metrics {
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  readonly #received: Counter<"sender">;
  readonly #stored: Counter<"sender">;
  readonly #duplicates: Counter<"sender">;
  readonly #refused: Counter<"sender" | "reason">;
  readonly #warnings: Counter<"sender">;
  readonly #batch: Histogram<"sender">;
  readonly #evaluationErrors: Counter;
  readonly #schedulerRuns: Counter;
  readonly #schedulerCases: Histogram;
  readonly #schedulerSeconds: Histogram;
  readonly #hubDelivery: Histogram;
  readonly #requests: Histogram<"method" | "route" | "status">;
  readonly #lag: Gauge;
  readonly #outbox: Gauge<"state">;
  readonly #connections: Gauge<"state">;
  readonly #streams: Gauge<"kind">;
  readonly #databaseUp: Gauge;
  #state: MetricsState | null = null;

  /** `processMetrics`: also prom-client's process metrics (CPU, memory, event loop lag) as `jct_process_…`. */
  constructor(opts: { registry?: Registry; processMetrics?: boolean } = {}) {
    const registry = opts.registry ?? new Registry();
    this.registry = registry;
    const r = [registry];
    if (opts.processMetrics) collectDefaultMetrics({ register: registry, prefix: "jct_" });
    this.#received = new Counter({
      name: "jct_events_received_total",
      help: "Events received over ingestion, by sender account.",
      labelNames: ["sender"],
      registers: r,
    });
    this.#stored = new Counter({
      name: "jct_events_stored_total",
      help: "Events newly stored, by sender.",
      labelNames: ["sender"],
      registers: r,
    });
    this.#duplicates = new Counter({
      name: "jct_events_duplicate_total",
      help: "Events re-sent with the same id and content, by sender.",
      labelNames: ["sender"],
      registers: r,
    });
    this.#refused = new Counter({
      name: "jct_events_refused_total",
      help: "Events refused, by sender and reason (the refused field's top-level name).",
      labelNames: ["sender", "reason"],
      registers: r,
    });
    this.#warnings = new Counter({
      name: "jct_events_warned_total",
      help: "Events stored with a warning to the sender (e.g. unknown item), by sender.",
      labelNames: ["sender"],
      registers: r,
    });
    this.#batch = new Histogram({
      name: "jct_ingest_batch_duration_seconds",
      help: "Time to handle one ingestion batch, by sender.",
      labelNames: ["sender"],
      buckets: SECONDS,
      registers: r,
    });
    this.#evaluationErrors = new Counter({
      name: "jct_evaluation_errors_total",
      help: "Case evaluations that threw (the case is stored with its error).",
      registers: r,
    });
    this.#schedulerRuns = new Counter({
      name: "jct_scheduler_runs_total",
      help: "Scheduler runs (each processes every case due).",
      registers: r,
    });
    this.#schedulerCases = new Histogram({
      name: "jct_scheduler_cases_per_run",
      help: "Cases re-evaluated per scheduler run.",
      buckets: [0, 1, 10, 100, 1000, 10_000, 100_000],
      registers: r,
    });
    this.#schedulerSeconds = new Histogram({
      name: "jct_scheduler_run_duration_seconds",
      help: "Duration of a scheduler run.",
      buckets: SECONDS,
      registers: r,
    });
    this.#hubDelivery = new Histogram({
      name: "jct_hub_delivery_seconds",
      help: "Live hub: time from the start of a tick with changes to the messages handed to every stream.",
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: r,
    });
    this.#requests = new Histogram({
      name: "jct_http_request_duration_seconds",
      help: "HTTP request latency by method, route pattern and status.",
      labelNames: ["method", "route", "status"],
      buckets: SECONDS,
      registers: r,
    });
    this.#lag = new Gauge({
      name: "jct_scheduler_lag_seconds",
      help: "Now minus the oldest due next_change_at (0 when nothing is due).",
      registers: r,
    });
    this.#outbox = new Gauge({
      name: "jct_outbox_messages",
      help: "Portal notification outbox: pending (not sent), retrying (pending after a failure), dead.",
      labelNames: ["state"],
      registers: r,
    });
    this.#connections = new Gauge({
      name: "jct_db_connections",
      help: "Connections to this database (all instances): active, idle; max = this process's pool size.",
      labelNames: ["state"],
      registers: r,
    });
    this.#streams = new Gauge({
      name: "jct_sse_streams",
      help: "Open live streams of this process, by scope kind.",
      labelNames: ["kind"],
      registers: r,
    });
    this.#databaseUp = new Gauge({
      name: "jct_up_database",
      help: "1 when the scrape-time database queries answered, else 0.",
      registers: r,
    });
  }

  /** Where the scrape-time figures come from. */
  bind(state: MetricsState): void {
    this.#state = state;
  }

  /** One ingestion batch handled. */
  ingested(sender: string, report: IngestReport, seconds: number): void {
    const received = report.stored + report.duplicates + report.refused.length;
    this.#received.inc({ sender }, received);
    this.#stored.inc({ sender }, report.stored);
    this.#duplicates.inc({ sender }, report.duplicates);
    for (const r of report.refused) this.#refused.inc({ sender, reason: reasonOf(r.field) });
    const warnings = (report as { warnings?: unknown[] }).warnings?.length ?? 0;
    if (warnings) this.#warnings.inc({ sender }, warnings);
    this.#batch.observe({ sender }, seconds);
  }

  /** Evaluations that threw. */
  evaluationErrors(n: number): void {
    if (n > 0) this.#evaluationErrors.inc(n);
  }

  /** One scheduler run. */
  schedulerRun(cases: number, seconds: number): void {
    this.#schedulerRuns.inc();
    this.#schedulerCases.observe(cases);
    this.#schedulerSeconds.observe(seconds);
  }

  /** One live hub tick that delivered changes. */
  hubDelivered(seconds: number): void {
    this.#hubDelivery.observe(seconds);
  }

  /** One HTTP request answered (`route` is the matched pattern, never the raw path). */
  request(method: string, route: string, status: number, seconds: number): void {
    this.#requests.observe({ method, route, status: String(status) }, seconds);
  }

  /** The Prometheus text exposition, with the scrape-time figures read first. */
  async render(): Promise<string> {
    const s = this.#state;
    if (s) {
      this.#streams.reset();
      for (const kind of ["all", "hall", "department", "region"]) this.#streams.set({ kind }, 0);
      for (const [kind, n] of Object.entries(s.streams())) this.#streams.set({ kind }, n);
      try {
        const [lag, outbox, connections] = await Promise.all([
          s.schedulerLagSeconds(),
          s.outbox(),
          s.connections(),
        ]);
        this.#lag.set(lag);
        for (const [k, v] of Object.entries(outbox)) this.#outbox.set({ state: k }, v);
        for (const [k, v] of Object.entries(connections)) this.#connections.set({ state: k }, v);
        this.#databaseUp.set(1);
      } catch {
        // The database is down or slow: say so, keep the last figures.
        this.#databaseUp.set(0);
      }
    }
    return await this.registry.metrics();
  }
}

/** A bounded label for a refusal: the field's first segment (`applicant.kind` → `applicant`). */
function reasonOf(field: string): string {
  const top = field.split(/[.[]/)[0];
  return top === "" ? "body" : top.slice(0, 40);
}
