/**
 * The scheduler: applies the changes that happen by time alone (a warning at 00:00, a red card after
 * the deadline, a finding sent to investigation). Every case stores the next instant it changes by
 * itself (`cases.next_change_at`, indexed); the scheduler sleeps until the earliest of them (at most
 * `maxSleepMs`), wakes early on NOTIFY `jct_changes` (a new, earlier instant may exist), and
 * re-evaluates the due cases as of now.
 *
 * Catching up after a restart or a paused machine needs nothing special: a due case is evaluated as
 * of now, which applies every transition up to now at once, and applying is a diff against what is
 * stored, so each transition is recorded exactly once however late or often the case is evaluated.
 *
 * Several processes may run it on one database. A due case is claimed with the same per-case
 * advisory lock that ingestion takes (server/recalc.ts), tried without waiting: a case another
 * process is working on is skipped, never processed twice at once, and never deadlocks against
 * ingestion (row locks taken before the advisory lock would).
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../db/client.ts";
import { CHANGES_CHANNEL } from "./live/changes.ts";
import type { AppDeps } from "./deps.ts";
import { CASE_LOCK_CLASS, caseLockKey, recalculateCases } from "./recalc.ts";

/** Options of {@linkcode startScheduler}. */
export interface SchedulerOptions {
  /** Cases per transaction. Default 500. */
  batchSize?: number;
  /** Longest sleep between looks at the table. Default 30 000 ms. */
  maxSleepMs?: number;
  /** When a case is still due after its evaluation (it failed), try it again after this long. Default 5 min. */
  retryMs?: number;
  /** False: no background loop, callers use `runOnce()` (tests with a fake clock). Default true. */
  background?: boolean;
}

/** A running scheduler. */
export interface Scheduler {
  /** Process every case due now (in batches); resolves to how many cases were evaluated. */
  runOnce(): Promise<number>;
  /** Stop the loop and wait for a running batch to finish. */
  stop(): Promise<void>;
}

/** Start the scheduler for the app's database and clock. */
export function startScheduler(deps: AppDeps, opts: SchedulerOptions = {}): Scheduler {
  const batchSize = opts.batchSize ?? 500;
  const maxSleepMs = opts.maxSleepMs ?? 30_000;
  const retryMs = opts.retryMs ?? 5 * 60_000;
  const db = deps.database.db;
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;

  async function runBatch(now: number): Promise<number> {
    return await db.transaction(async (tx) => {
      const ids = await claimDue(tx, now, batchSize);
      if (ids.length === 0) return 0;
      await recalculateCases(deps, tx, ids, now);
      await postponeStuck(tx, ids, now, retryMs);
      return ids.length;
    });
  }

  async function processDue(): Promise<number> {
    let total = 0;
    // A full batch means more may be due.
    while (!stopped) {
      const n = await runBatch(deps.clock());
      total += n;
      if (n < batchSize) break;
    }
    return total;
  }

  let chain: Promise<unknown> = Promise.resolve();
  function runOnce(): Promise<number> {
    const run = chain.then(processDue);
    chain = run.catch(() => {});
    return run;
  }

  async function nextDueIn(): Promise<number> {
    const [row] = await query<{ next: string | Date | null }>(
      db,
      sql`select min(next_change_at) as next from cases`,
    );
    if (row?.next == null) return maxSleepMs;
    const next = row.next instanceof Date ? row.next.getTime() : Date.parse(String(row.next));
    // Still due right after a run: another process holds it; look again shortly, don't spin.
    const wait = next - deps.clock();
    return wait <= 0 ? 1000 : Math.min(maxSleepMs, wait);
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (woken || stopped) return resolve();
      // setTimeout may fire a little early: 5 ms of margin avoids a wasted wake-up before the instant.
      const timer = setTimeout(done, ms + 5);
      wake = done;
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
    });
  }

  async function loop(): Promise<void> {
    while (!stopped) {
      woken = false;
      let wait = maxSleepMs;
      try {
        await runOnce();
        wait = await nextDueIn();
      } catch (err) {
        if (stopped) break;
        console.error("scheduler:", err);
        wait = Math.min(maxSleepMs, 5000);
      }
      await sleep(wait);
      // Coalesce a burst of notifications (every ingested batch sends one) into one look.
      if (woken && !stopped) await new Promise((r) => setTimeout(r, 200));
    }
  }

  const onChange = () => {
    woken = true;
    wake?.();
  };
  // A re-established LISTEN may have missed notifications: look at the table then too.
  const unlisten = opts.background === false
    ? null
    : deps.database.listen(CHANGES_CHANNEL, onChange, onChange);
  const looping = opts.background === false ? null : unlisten!.then(loop);

  return {
    runOnce,
    async stop() {
      stopped = true;
      wake?.();
      await looping?.catch(() => {});
      await chain;
      await (await unlisten?.catch(() => null))?.();
    },
  };
}

/**
 * The due cases this process may take now: the earliest `limit` by `next_change_at` (the index),
 * those whose advisory lock is free taken for the transaction, and checked still due after locking
 * (another process may have just finished them).
 */
export async function claimDue(tx: Tx, now: number, limit: number): Promise<string[]> {
  const at = new Date(now).toISOString();
  const due = await query<{ case_id: string }>(
    tx,
    sql`select case_id from cases where next_change_at <= ${at}::timestamptz
        order by next_change_at limit ${limit}`,
  );
  if (due.length === 0) return [];
  const keys = [...new Set(due.map((r) => caseLockKey(r.case_id)))].sort((a, b) => a - b);
  const taken = new Set(
    (await query<{ k: number }>(
      tx,
      sql`select k from unnest(${`{${keys.join(",")}}`}::int[]) as t(k)
          where pg_try_advisory_xact_lock(${CASE_LOCK_CLASS}, k)`,
    )).map((r) => Number(r.k)),
  );
  const mine = due.map((r) => r.case_id).filter((id) => taken.has(caseLockKey(id)));
  if (mine.length === 0) return [];
  const list = sql.join(mine.map((id) => sql`${id}`), sql`, `);
  return (await query<{ case_id: string }>(
    tx,
    sql`select case_id from cases where case_id in (${list}) and next_change_at <= ${at}::timestamptz`,
  )).map((r) => r.case_id);
}

/**
 * A case that is still due after being evaluated (its evaluation failed and kept the old instant)
 * would come first in every batch and starve the others: move it back by `retryMs`.
 */
async function postponeStuck(tx: Tx, ids: readonly string[], now: number, retryMs: number): Promise<void> {
  const list = sql.join(ids.map((id) => sql`${id}`), sql`, `);
  const stuck = await query<{ case_id: string }>(
    tx,
    sql`update cases set next_change_at = ${new Date(now + retryMs).toISOString()}::timestamptz
        where case_id in (${list}) and next_change_at <= ${new Date(now).toISOString()}::timestamptz
        returning case_id`,
  );
  if (stuck.length > 0) {
    console.warn(
      `scheduler: ${stuck.length} case(s) still due after evaluation, retried later:`,
      stuck[0].case_id,
    );
  }
}
