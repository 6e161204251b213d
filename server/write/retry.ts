/**
 * Retrying a write transaction that failed for a reason that a second attempt removes: another writer
 * stored one of a batch's event ids between its read and its insert ({@linkcode RetryBatch}), a
 * serialization failure or deadlock, or the connection lost under the transaction (PostgreSQL
 * restarted or ended the backend; postgres.js then rejects with `CONNECTION_CLOSED`, or with a
 * `TypeError` when a query of the transaction is written to the closed socket). The transaction rolled
 * back (or never committed) in every such case, so its work is simply done again; a batch whose commit
 * did reach the database before the connection was lost reads its events as duplicates the second time.
 * Nothing else is retried: a domain error or a bug fails at once.
 *
 * @module
 */
import { ServiceUnavailableError } from "../errors.ts";

/** Thrown inside a transaction to have it rolled back and run again. */
export class RetryBatch extends Error {
  constructor(message = "a concurrent writer stored part of the batch") {
    super(message);
    this.name = "RetryBatch";
  }
}

/** postgres.js' codes for a connection that went away, and PostgreSQL's SQLSTATEs worth a retry. */
const CONNECTION_CODES = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "ECONNRESET",
]);
const RETRY_STATES = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
]);

/** Whether `err` (or an error it wraps: Drizzle wraps the driver's in `cause`) is worth another attempt. */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof RetryBatch) return true;
    const code = (e as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      (CONNECTION_CODES.has(code) || RETRY_STATES.has(code) || code.startsWith("08"))
    ) {
      return true;
    }
    // postgres.js writing a pipelined query to a socket it already closed (porsager/postgres#1154).
    if (e instanceof TypeError && /reading 'write'|evaluating 'socket\.write'/.test(e.message)) return true;
  }
  return false;
}

/** Options of {@linkcode retryTransaction}. */
export interface RetryOptions {
  /** Attempts in all (default 4). */
  attempts?: number;
  /** Pause before the second attempt, ms, doubled for each further one (default 20). */
  backoffMs?: number;
}

/**
 * Run `attempt` (a whole transaction) until it succeeds, retrying transient failures. When every
 * attempt failed transiently, throws a {@linkcode ServiceUnavailableError} (503 with Retry-After) that
 * names the cause: the client may send the batch again, nothing of it was acknowledged.
 */
export async function retryTransaction<T>(attempt: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 4, backoff = opts.backoffMs ?? 20;
  for (let n = 1;; n++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (n >= attempts) {
        console.error(`write transaction failed ${n} times:`, err);
        throw new ServiceUnavailableError(
          `数据库暂时不可用，请稍后重新报送 (database temporarily unavailable: ${
            (err as Error).message
          }; send the batch again)`,
          1,
        );
      }
      if (!(err instanceof RetryBatch)) {
        console.warn(`write transaction retried after: ${(err as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (n - 1)));
    }
  }
}
