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
 * Several processes may run it on one database, and each runs a few batches at once. A batch claims
 * the earliest due cases in one statement: their rows with `FOR UPDATE SKIP LOCKED` (so concurrent
 * batches and instances take different cases instead of queueing on the same ones), then the same
 * per-case advisory lock that ingestion takes (server/write/recalc.ts), tried without waiting: a case that
 * ingestion is working on is skipped, and the scheduler never waits on a lock while holding one, so it
 * never deadlocks against ingestion. The load reads the claimed rows by primary key (their kept
 * timelines included, never `events`), so a batch costs in proportion to the cases due, not to the
 * cases open.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { anyText } from "./bulk.ts";
import { CHANGES_CHANNEL } from "../live/changes.ts";
import type { AppDeps } from "../deps.ts";
import { CASE_LOCK_CLASS, recalculateCases } from "./recalc.ts";
import { markOverdueOrders, nextOrderOverdueAt } from "../supervision/orders.ts";

/** Options of {@linkcode startScheduler}. */
export interface SchedulerOptions {
  /** Cases per transaction. Default 1000. */
  batchSize?: number;
  /** Batches run at once by this process (each its own transaction). Default 2 on PostgreSQL, 1 on PGlite. */
  concurrency?: number;
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
  const batchSize = opts.batchSize ?? 1000;
  const concurrency = Math.max(1, opts.concurrency ?? (deps.database.kind === "postgres" ? 2 : 1));
  const maxSleepMs = opts.maxSleepMs ?? 30_000;
  const retryMs = opts.retryMs ?? 5 * 60_000;
  const db = deps.database.db;
  let stopped = false;
  let wake: (() => void) | null = null;
  let woken = false;

  /** One batch: claim, recalculate, and how many were due when claiming (a full batch: more may be due). */
  async function runBatch(now: number): Promise<{ due: number; done: number }> {
    return await db.transaction(async (tx) => {
      // Batch reads by `= any(1,000 ids)` are cheaper serial than with parallel workers to start;
      // sent with the claim (one wait for both).
      const [, { due, mine }] = await Promise.all([
        tx.execute(sql`set local max_parallel_workers_per_gather = 0`),
        claimDue(tx, now, batchSize),
      ]);
      if (mine.length === 0) return { due, done: 0 };
      const summary = await recalculateCases(deps, tx, mine, now, { locked: true, dueBy: now });
      // An evaluated case stored its next instant, which is after now: only the others can be stuck.
      await postponeStuck(tx, mine.filter((id) => !summary.evaluations.has(id)), now, retryMs);
      return { due, done: summary.cases };
    });
  }

  async function worker(): Promise<number> {
    let total = 0;
    while (!stopped) {
      const { due, done } = await runBatch(deps.clock());
      total += done;
      if (due < batchSize) break;
    }
    return total;
  }

  async function processDue(): Promise<number> {
    // Supervision orders turn overdue by time alone too (RULES.md §5); not counted as cases.
    await markOverdueOrders(deps, deps.clock());
    // Workers take disjoint cases (SKIP LOCKED); each stops when a claim finds fewer than a batch.
    const counts = await Promise.all(Array.from({ length: concurrency }, worker));
    return counts.reduce((a, b) => a + b, 0);
  }

  let chain: Promise<unknown> = Promise.resolve();
  function runOnce(): Promise<number> {
    const run = chain.then(async () => {
      const started = performance.now();
      const cases = await processDue();
      deps.metrics?.schedulerRun(cases, (performance.now() - started) / 1000);
      return cases;
    });
    chain = run.catch(() => {});
    return run;
  }

  async function nextDueIn(): Promise<number> {
    const [row] = await query<{ next: string | Date | null }>(
      db,
      sql`select min(next_change_at) as next from cases`,
    );
    const order = await nextOrderOverdueAt(db);
    const caseNext = row?.next == null
      ? null
      : row.next instanceof Date
      ? row.next.getTime()
      : Date.parse(String(row.next));
    if (caseNext === null && order === null) return maxSleepMs;
    const next = Math.min(caseNext ?? Infinity, order ?? Infinity);
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
 * Claim due cases for this transaction in one statement: the earliest `limit` by `next_change_at`
 * (the index) whose rows no other transaction has locked, of those the ones whose advisory lock is
 * free. `due`: how many rows the claim saw; `mine`: the cases taken. Whether a taken case is still due
 * (another batch may have just finished it) is checked on the locked row by recalculateCases (`dueBy`).
 */
export async function claimDue(tx: Tx, now: number, limit: number): Promise<{ due: number; mine: string[] }> {
  const at = new Date(now).toISOString();
  const rows = await query<{ case_id: string; mine: boolean }>(
    tx,
    sql`with due as materialized (
          select case_id from cases where next_change_at <= ${at}::timestamptz
          order by next_change_at limit ${limit} for update skip locked)
        select case_id, pg_try_advisory_xact_lock(${CASE_LOCK_CLASS}, hashtext(case_id)) as mine
        from due order by hashtext(case_id)`,
  );
  return { due: rows.length, mine: rows.filter((r) => r.mine).map((r) => r.case_id) };
}

/**
 * A case that is still due after being evaluated (its evaluation failed and kept the old instant, or it
 * had no events to evaluate) would come first in every batch and starve the others: move it back by
 * `retryMs`. `ids`: the claimed cases that were not evaluated (those not due any more stay as they are).
 */
async function postponeStuck(tx: Tx, ids: readonly string[], now: number, retryMs: number): Promise<void> {
  if (ids.length === 0) return;
  const stuck = await query<{ case_id: string }>(
    tx,
    sql`update cases set next_change_at = ${new Date(now + retryMs).toISOString()}::timestamptz
        where ${anyText(sql.raw("case_id"), ids)} and next_change_at <= ${
      new Date(now).toISOString()
    }::timestamptz
        returning case_id`,
  );
  if (stuck.length > 0) {
    console.warn(
      `scheduler: ${stuck.length} case(s) still due after evaluation, retried later:`,
      stuck[0].case_id,
    );
  }
}
