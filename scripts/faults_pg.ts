/**
 * Fault 2: restart PostgreSQL under a running server. Three provincial stream clients are connected;
 * warning-creating events (`accepted` on a one-working-day item: an 8.1 warning at once) are posted
 * steadily before, during and after `pg_ctlcluster … restart`, each retried until acknowledged. Two
 * clients drop their connection when the restart begins and come back with `Last-Event-ID`: one while
 * PostgreSQL is still down (retrying as a browser does), one two seconds after it is up again (so
 * that it has alerts to be replayed); the third stays connected throughout. Every client must end up
 * with every alert the live feed holds after its starting position; alerts raised after the restart
 * must arrive promptly (the server's LISTEN came back: without it they would wait for the hub's
 * minute refresh), and the scheduler must still evaluate a case that falls due after the restart.
 *
 * @module
 */
import postgres from "postgres";
import { shanghaiInstant } from "../rules/dates.ts";
import { acceptedNow, receivedComplete } from "../bench/warning_cases.ts";
import { ADMIN_URL, pgCtl, sleep, waitPgReady } from "./faults_env.ts";
import { type Received, ResumingClient } from "./faults_sse.ts";

/** What the restart scenario measured. */
export interface PgReport {
  posted: number;
  acknowledged: number;
  /** Requests that failed (5xx or no connection) and were retried. */
  retried: number;
  restartMs: number;
  /** From PostgreSQL accepting connections again to the first acknowledged POST. */
  recoveryMs: number | null;
  feedAlerts: number;
  /** Acknowledged cases without an 8.1 alert in the feed. */
  withoutAlert: number;
  clients: {
    name: string;
    received: number;
    missed: number;
    duplicates: number;
    reconnects: number;
    replayed: number;
  }[];
  /** How long the scheduler took to evaluate a case made due after the restart; null: never. */
  schedulerMs: number | null;
  /** Arrival delay of alerts posted after the restart, at the client that stayed connected, ms. */
  latencyAfter: { p50: number; max: number; n: number };
  listenBefore: number;
  listenAfter: number;
  /** From PostgreSQL accepting connections again to the server's LISTEN being back; null: never. */
  listenBackMs: number | null;
}

const PREFIX = "FP";

/** Why POSTs failed: HTTP status or error name → count. */
export const postFailures = new Map<string, number>();

async function post(url: string, auth: string, events: unknown[]): Promise<boolean> {
  let why: string;
  try {
    const res = await fetch(`${url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: auth },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    if (res.status === 200) return true;
    why = `HTTP ${res.status}`;
  } catch (err) {
    why = (err as Error).name;
  }
  postFailures.set(why, (postFailures.get(why) ?? 0) + 1);
  return false;
}

/** Backends of the database LISTENing (postgres.js keeps one connection for all its listeners). */
async function listeners(dbName: string): Promise<number> {
  const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await sql`select count(*)::int as n from pg_stat_activity
      where datname = ${dbName} and query ilike 'listen%'`;
    return row.n;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

async function feed(dbUrl: string, after: number): Promise<{ id: number; case: string; rule: string }[]> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const rows = await sql<{ id: string; case: string; rule: string }[]>`
      select id, payload->>'case' as case, payload->>'rule' as rule from live_feed
      where kind = 'alert' and id > ${after} order by id`;
    return rows.map((r) => ({ ...r, id: Number(r.id) }));
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Run the scenario against a running server whose database is `dbUrl` (named `dbName`). */
export async function restartUnderServer(opts: {
  url: string;
  ingest: string;
  reader: Record<string, string>;
  dbUrl: string;
  dbName: string;
  cases?: number;
  log: (line: string) => void;
  /** Throws when the server process has ended (it must survive the restart). */
  assertAlive: () => void;
}): Promise<PgReport> {
  const n = opts.cases ?? 90;
  const ids = Array.from(
    { length: n },
    (_, i) => `${PREFIX}${Date.now().toString(36)}${String(i).padStart(4, "0")}`,
  );
  const at = shanghaiInstant(Date.now() - 120_000);
  const setup = receivedComplete(ids, at);
  if (!await post(opts.url, opts.ingest, setup)) throw new Error("could not post the received events");
  await sleep(1500);

  const stream = `${opts.url}/api/v1/stream`;
  const clients: [string, ResumingClient][] = [
    ["retries during the outage", new ResumingClient(stream, opts.reader)],
    ["returns 2 s after", new ResumingClient(stream, opts.reader)],
    ["stays connected", new ResumingClient(stream, opts.reader)],
  ];
  const [early, late, stayer] = clients.map(([, c]) => c);
  const report: Partial<PgReport> = { posted: n, retried: 0 };
  const ackAt = new Map<string, number>();
  try {
    await Promise.all(clients.map(([, c]) => c.open()));
    report.listenBefore = await listeners(opts.dbName);

    let restartedAt = Infinity;
    // No request is retried after this: the whole posting ends within two minutes.
    const giveUp = performance.now() + 120_000;
    const poster = (async () => {
      for (const c of ids) {
        const event = acceptedNow(c);
        const until = Math.min(performance.now() + 30_000, giveUp);
        let ok = false;
        while (!(ok = await post(opts.url, opts.ingest, [event])) && performance.now() < until) {
          opts.assertAlive();
          report.retried!++;
          await sleep(250);
        }
        if (ok) ackAt.set(c, performance.now());
        else opts.log(`  gave up on ${event.id}: not acknowledged`);
        await sleep(100);
      }
    })();

    await sleep(2500);
    opts.log(`  restarting PostgreSQL (pg_ctlcluster restart) with ${ackAt.size} events acknowledged …`);
    early.drop();
    late.drop();
    const t0 = performance.now();
    const restarting = pgCtl("restart");
    // This client comes back while PostgreSQL is still down, and keeps trying as a browser would.
    setTimeout(() => early.resume(), 1000);
    await restarting;
    if (!await waitPgReady(30_000)) throw new Error("PostgreSQL did not come back within 30 s");
    restartedAt = performance.now();
    report.restartMs = restartedAt - t0;
    opts.log(`  PostgreSQL is back after ${Math.round(report.restartMs)} ms`);
    const scheduler = schedulerAlive(opts.dbUrl, ids[0]);
    const listenBack = (async () => {
      for (let i = 0; i < 150; i++) {
        if (await listeners(opts.dbName).catch(() => 0) > 0) return performance.now() - restartedAt;
        await sleep(100);
      }
      return null;
    })();
    await sleep(2000);
    late.resume();
    await poster;
    report.schedulerMs = await scheduler;
    report.listenBackMs = await listenBack;
    const firstAfter = Math.min(...[...ackAt.values()].filter((t) => t >= restartedAt));
    report.recoveryMs = Number.isFinite(firstAfter) ? firstAfter - restartedAt : null;

    // Wait (bounded) until every client holds every alert of the feed after its start.
    let rows: Awaited<ReturnType<typeof feed>> = [];
    const start = Math.min(...clients.map(([, c]) => c.start!));
    for (let i = 0; i < 40; i++) {
      rows = await feed(opts.dbUrl, start);
      if (i > 0 && clients.every(([, c]) => missing(c, rows).length === 0)) break;
      await sleep(500);
    }
    report.listenAfter = await listeners(opts.dbName);
    report.acknowledged = ackAt.size;
    report.feedAlerts = rows.length;
    const alerted = new Set(rows.filter((r) => r.rule === "8.1").map((r) => r.case));
    report.withoutAlert = [...ackAt.keys()].filter((c) => !alerted.has(c)).length;
    report.clients = clients.map(([name, client]) => {
      const ids = client.alerts.map((a) => a.id);
      return {
        name,
        received: new Set(ids).size,
        missed: missing(client, rows).length,
        duplicates: ids.length - new Set(ids).size,
        reconnects: client.connects - 1,
        replayed: client.replayed,
      };
    });
    const delays = stayer.alerts
      .filter((a) => a.rule === "8.1" && (ackAt.get(a.case) ?? -1) >= restartedAt)
      .map((a) => Math.max(0, a.at - ackAt.get(a.case)!)).sort((a, b) => a - b);
    report.latencyAfter = {
      p50: delays[Math.floor(delays.length / 2)] ?? NaN,
      max: delays.at(-1) ?? NaN,
      n: delays.length,
    };
    return report as PgReport;
  } finally {
    await Promise.all(clients.map(([, c]) => c.close()));
  }
}

/**
 * Whether the server's scheduler survived the restart: make one case due now and wait (≤ 40 s) for
 * it to be evaluated again. Resolves to the delay in ms, or null when it never was.
 */
async function schedulerAlive(dbUrl: string, caseId: string): Promise<number | null> {
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const t = performance.now();
    const [due] = await sql<{ at: Date }[]>`update cases set next_change_at = now() where case_id = ${caseId}
      returning next_change_at as at`;
    for (let i = 0; i < 160; i++) {
      const [row] = await sql<{ at: Date }[]>`select evaluated_at as at from cases where case_id = ${caseId}`;
      if (row.at.getTime() >= due.at.getTime()) return performance.now() - t;
      await sleep(250);
    }
    return null;
  } finally {
    await sql.end({ timeout: 2 });
  }
}

/** Feed rows after the client's start that it never received. */
function missing(client: ResumingClient, rows: { id: number }[]): number[] {
  const got = new Set(client.alerts.map((a: Received) => a.id));
  return rows.filter((r) => r.id > client.start! && !got.has(r.id)).map((r) => r.id);
}
