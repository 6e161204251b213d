/**
 * The work-portal outbox worker (省政务服务统一工作门户, article 8(一)): delivers each message of
 * `notifications_outbox` (8.1 warnings, new supervision orders) to the portal's webhook as a JSON POST
 * with an `Idempotency-Key` that is the same on every try of one message.
 *
 * - Claiming: a short transaction takes due messages with `FOR UPDATE SKIP LOCKED` and leases them
 *   (`next_attempt_at` = now + lease, `attempts` + 1), so several workers in several processes never
 *   take the same message; the HTTP call runs outside any transaction (a slow portal holds no lock and,
 *   on PGlite, never blocks the app's single connection). The lease is longer than the request timeout.
 * - Failure (a non-2xx answer, a network error, a timeout): retried after `baseDelayMs · 2^(attempts−1)`
 *   (5 s, 10 s, 20 s … at most `maxDelayMs`); after `maxAttempts` tries the message is dead-lettered
 *   (`dead_at`), shown on the admin page (/admin/portal) with a retry button.
 * - A worker that dies mid-send leaves the lease to expire: the message is tried again (at-least-once;
 *   the idempotency key lets the portal drop the duplicate).
 *
 * Without a webhook URL no worker runs and messages stay pending, visible on the admin page.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { dateIn } from "../../rules/dates.ts";
import type { AppDeps } from "../deps.ts";

/** Options of {@linkcode startPortalWorker}. */
export interface PortalWorkerOptions {
  /** The portal's webhook (PORTAL_WEBHOOK_URL). */
  url: string;
  /** Tries before a message is dead-lettered. Default 8. */
  maxAttempts?: number;
  /** Delay before the first retry. Default 5 000 ms. */
  baseDelayMs?: number;
  /** Longest delay between tries. Default 1 h. */
  maxDelayMs?: number;
  /** Request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /** How long a claimed message is reserved for its worker. Default 60 000 ms (> timeout). */
  leaseMs?: number;
  /** Messages per claim. Default 20. */
  batchSize?: number;
  /** Time between looks at the outbox. Default 2 000 ms. */
  pollMs?: number;
  /** False: no background loop, callers use `runOnce()`. Default true. */
  background?: boolean;
  /** The HTTP client (tests may wrap it). Default `fetch`. */
  fetch?: typeof fetch;
}

/** What one pass did. */
export interface PassReport {
  claimed: number;
  sent: number;
  failed: number;
  dead: number;
}

/** A running worker. */
export interface PortalWorker {
  /** Claim and deliver due messages until none is due; what was done. */
  runOnce(): Promise<PassReport>;
  /** Stop the loop and wait for a running pass. */
  stop(): Promise<void>;
}

/** The idempotency key of an outbox message: stable for its whole life. */
export function idempotencyKey(id: number): string {
  return `jct-outbox-${id}`;
}

/** The delay before the next try after `attempts` failed tries. */
export function backoffMs(attempts: number, baseDelayMs = 5000, maxDelayMs = 3_600_000): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: number | string;
  case_id: string;
  rule: string;
  department: string | null;
  department_name: string | null;
  payload: unknown;
  attempts: number;
  created_at: string | Date;
}

/** The JSON body the portal receives. */
export function portalBody(m: Claimed) {
  const payload = (typeof m.payload === "string" ? JSON.parse(m.payload) : m.payload) as Record<
    string,
    unknown
  >;
  return {
    id: idempotencyKey(Number(m.id)),
    kind: payload.kind ?? null,
    message: payload.text ?? null,
    case: m.case_id,
    rule: m.rule,
    department: m.department,
    departmentName: m.department_name,
    createdAt: new Date(m.created_at).toISOString(),
    data: payload,
  };
}

/** Start delivering. */
export function startPortalWorker(deps: AppDeps, opts: PortalWorkerOptions): PortalWorker {
  const maxAttempts = opts.maxAttempts ?? 8;
  const baseDelayMs = opts.baseDelayMs ?? 5000;
  const maxDelayMs = opts.maxDelayMs ?? 3_600_000;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const leaseMs = Math.max(opts.leaseMs ?? 60_000, timeoutMs + 5000);
  const batchSize = opts.batchSize ?? 20;
  const pollMs = opts.pollMs ?? 2000;
  const doFetch = opts.fetch ?? fetch;
  const db = deps.database.db;
  let stopped = false;
  let wake: (() => void) | null = null;

  async function claim(now: number): Promise<Claimed[]> {
    const at = new Date(now).toISOString();
    return await db.transaction(async (tx) =>
      await query<Claimed>(
        tx,
        sql`update notifications_outbox o
            set attempts = o.attempts + 1, last_attempt_at = ${at}::timestamptz,
                next_attempt_at = ${new Date(now + leaseMs).toISOString()}::timestamptz
            where o.id in (
              select id from notifications_outbox
              where sent_at is null and dead_at is null and next_attempt_at <= ${at}::timestamptz
              order by next_attempt_at, id limit ${batchSize}
              for update skip locked)
            returning o.id, o.case_id, o.rule, o.department, o.payload, o.attempts, o.created_at,
              (select d.name from departments d where d.code = o.department) as department_name`,
      )
    );
  }

  async function deliver(m: Claimed): Promise<string | null> {
    try {
      const res = await doFetch(opts.url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey(Number(m.id)) },
        body: JSON.stringify(portalBody(m)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text().catch(() => "");
      return res.ok ? null : `HTTP ${res.status} ${text.slice(0, 200)}`.trim();
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : String(err);
    }
  }

  async function settle(m: Claimed, error: string | null, report: PassReport): Promise<void> {
    const now = deps.clock();
    const id = Number(m.id);
    if (error === null) {
      report.sent++;
      await markSent(db, id, now);
    } else if (m.attempts >= maxAttempts) {
      report.dead++;
      await db.execute(
        sql`update notifications_outbox set dead_at = ${new Date(now).toISOString()}::timestamptz,
        last_error = ${error} where id = ${id}`,
      );
    } else {
      report.failed++;
      const next = new Date(now + backoffMs(m.attempts, baseDelayMs, maxDelayMs)).toISOString();
      await db.execute(sql`update notifications_outbox set next_attempt_at = ${next}::timestamptz,
        last_error = ${error} where id = ${id}`);
    }
  }

  async function pass(): Promise<PassReport> {
    const report: PassReport = { claimed: 0, sent: 0, failed: 0, dead: 0 };
    while (!stopped) {
      const batch = await claim(deps.clock());
      report.claimed += batch.length;
      // One failing message never holds up the others: each is sent and settled on its own.
      await Promise.all(batch.map(async (m) => await settle(m, await deliver(m), report)));
      if (batch.length < batchSize) break;
    }
    return report;
  }

  let chain: Promise<unknown> = Promise.resolve();
  function runOnce(): Promise<PassReport> {
    const run = chain.then(pass);
    chain = run.catch(() => {});
    return run;
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      try {
        await runOnce();
      } catch (err) {
        if (!stopped) console.error("portal worker:", err);
      }
      await new Promise<void>((resolve) => {
        if (stopped) return resolve();
        const timer = setTimeout(done, pollMs);
        wake = done;
        function done() {
          clearTimeout(timer);
          wake = null;
          resolve();
        }
      });
    }
  }
  const looping = opts.background === false ? null : loop();

  return {
    runOnce,
    async stop() {
      stopped = true;
      wake?.();
      await looping;
      await chain;
    },
  };
}

/** The `counters` metric that counts delivered messages per day (department, hall and rule ''). */
export const SENT_METRIC = "portal_sent";

/**
 * Mark a message sent and count it in the same transaction (the day's `portal_sent` counter), so the
 * admin page never counts the sent messages by reading them. A message already marked is not counted
 * again.
 */
async function markSent(db: AppDeps["database"]["db"], id: number, now: number): Promise<void> {
  await db.transaction(async (tx) => {
    const done = await query<{ id: unknown }>(
      tx,
      sql`update notifications_outbox set sent_at = ${new Date(now).toISOString()}::timestamptz,
        last_error = null where id = ${id} and sent_at is null returning id`,
    );
    if (done.length === 0) return;
    await tx.execute(sql`insert into counters (department, hall, metric, rule, day, value)
      values ('', '', ${SENT_METRIC}, '', ${dateIn(now)}, 1)
      on conflict (department, hall, metric, rule, day) do update set value = counters.value + 1`);
  });
}

/**
 * Counts of the outbox by state (the admin page's headline), none by reading the whole outbox:
 * pending, retrying and failed from the partial indexes of unsent and dead messages (as many rows as
 * there are such messages), sent from the daily counters.
 */
export async function outboxCounts(db: AppDeps["database"]["db"], today: string) {
  const [row] = await query<
    Record<"pending" | "retrying" | "dead" | "sent" | "sent_today", string | number | null>
  >(
    db,
    sql`select
          (select count(*) from notifications_outbox where sent_at is null and dead_at is null) as pending,
          (select count(*) from notifications_outbox
            where sent_at is null and dead_at is null and attempts > 0) as retrying,
          (select count(*) from notifications_outbox where dead_at is not null) as dead,
          (select sum(value) from counters where metric = ${SENT_METRIC}) as sent,
          (select sum(value) from counters where metric = ${SENT_METRIC} and day = ${today}) as sent_today`,
  );
  return {
    pending: Number(row?.pending ?? 0),
    retrying: Number(row?.retrying ?? 0),
    sent: Number(row?.sent ?? 0),
    sentToday: Number(row?.sent_today ?? 0),
    failed: Number(row?.dead ?? 0),
  };
}
