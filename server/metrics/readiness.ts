/**
 * Readiness (`GET /readyz`): the database answers, every committed migration is applied, and LISTEN
 * works end to end — a NOTIFY with a fresh nonce comes back through this process's own listener
 * within a second. Each check has a timeout, so an unreachable database answers 503 promptly.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { type Database, query } from "../../db/client.ts";
import { withTimeout } from "./state.ts";

const CHANNEL = "jct_readyz";
const JOURNAL = new URL("../../db/migrations/meta/_journal.json", import.meta.url);

/** The outcome of the checks. */
export interface ReadyReport {
  ready: boolean;
  checks: { database: Check; migrations: Check; listen: Check };
}
type Check = { ok: boolean; detail?: string };

/** A process's readiness probe. */
export interface Readiness {
  check(): Promise<ReadyReport>;
  stop(): Promise<void>;
}

/** Start listening on the probe's channel; `check()` then runs the three checks. */
export async function startReadiness(database: Database, timeoutMs = 2000): Promise<Readiness> {
  const expected = (JSON.parse(await Deno.readTextFile(JOURNAL)) as { entries: unknown[] }).entries.length;
  const waiting = new Map<string, () => void>();
  const unlisten = await database.listen(CHANNEL, (payload) => waiting.get(payload)?.());

  async function database_(): Promise<Check> {
    await withTimeout(query(database.db, sql`select 1`), timeoutMs);
    return { ok: true };
  }
  async function migrations(): Promise<Check> {
    const [row] = await withTimeout(
      query<{ n: number }>(database.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`),
      timeoutMs,
    );
    const applied = row?.n ?? 0;
    return applied >= expected
      ? { ok: true, detail: `${applied}/${expected}` }
      : { ok: false, detail: `${applied}/${expected} applied` };
  }
  async function listen(): Promise<Check> {
    const nonce = crypto.randomUUID();
    const heard = new Promise<void>((resolve) => waiting.set(nonce, resolve));
    try {
      await withTimeout(query(database.db, sql`select pg_notify(${CHANNEL}, ${nonce})`), timeoutMs);
      await withTimeout(heard, Math.min(timeoutMs, 1000));
      return { ok: true };
    } finally {
      waiting.delete(nonce);
    }
  }
  const run = async (f: () => Promise<Check>): Promise<Check> => {
    try {
      return await f();
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  };
  return {
    async check() {
      const db = await run(database_);
      const checks = db.ok
        ? { database: db, migrations: await run(migrations), listen: await run(listen) }
        : {
          database: db,
          migrations: { ok: false, detail: "database down" },
          listen: { ok: false, detail: "database down" },
        };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    },
    stop: async () => await unlisten().catch(() => {}),
  };
}
