/**
 * Fault 2: restart PostgreSQL under a running server. Two provincial stream clients are connected;
 * warning-creating events (`accepted` on a one-working-day item: an 8.1 warning at once) are posted
 * steadily before, during and after `pg_ctlcluster … restart`, each retried until acknowledged. One
 * client drops its connection when the restart begins and comes back with `Last-Event-ID` once
 * PostgreSQL is up again; the other stays connected throughout. Both must end up with every alert the
 * live feed holds after their starting position, and alerts raised after the restart must arrive
 * promptly (the server's LISTEN came back; without it they would wait for the hub's minute refresh).
 *
 * @module
 */
import postgres from "postgres";
import { shanghaiInstant } from "../rules/dates.ts";
import { hallCode } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
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
  clients: { name: string; received: number; missed: number; duplicates: number; reconnects: number }[];
  /** Arrival delay of alerts posted after the restart, at the client that stayed connected, ms. */
  latencyAfter: { p50: number; max: number; n: number };
  listenBefore: number;
  listenAfter: number;
}

const PREFIX = "FP";

async function post(url: string, auth: string, events: unknown[]): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: auth },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(5000),
    });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
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
  reader: string;
  dbUrl: string;
  dbName: string;
  cases?: number;
  log: (line: string) => void;
}): Promise<PgReport> {
  const n = opts.cases ?? 90;
  const item = HENAN_ITEMS.find((i) => i.promisedDays === 1)!;
  const hall = hallCode(item.department.split("-")[0]);
  const ids = Array.from(
    { length: n },
    (_, i) => `${PREFIX}${Date.now().toString(36)}${String(i).padStart(4, "0")}`,
  );
  const at = shanghaiInstant(Date.now() - 120_000);
  const setup = ids.flatMap((c) => [
    {
      id: `${c}-r`,
      case: c,
      type: "received",
      at,
      item: item.code,
      channel: "hall",
      hall,
      applicant: { name: "王芳", contact: "13900000000", kind: "person" },
    },
    { id: `${c}-m`, case: c, type: "materials_submitted", at, materials: item.materials.required },
  ]);
  if (!await post(opts.url, opts.ingest, setup)) throw new Error("could not post the received events");
  await sleep(1500);

  const stream = `${opts.url}/api/v1/stream`;
  const resumer = new ResumingClient(stream, opts.reader);
  const stayer = new ResumingClient(stream, opts.reader);
  const report: Partial<PgReport> = { posted: n, retried: 0 };
  const ackAt = new Map<string, number>();
  try {
    await Promise.all([resumer.open(), stayer.open()]);
    report.listenBefore = await listeners(opts.dbName);

    let restartedAt = Infinity;
    const poster = (async () => {
      for (const c of ids) {
        const event = {
          id: `${c}-a`,
          case: c,
          type: "accepted",
          at: shanghaiInstant(Date.now()),
          handler: "李娜",
        };
        const until = performance.now() + 60_000;
        let ok = false;
        while (!(ok = await post(opts.url, opts.ingest, [event])) && performance.now() < until) {
          report.retried!++;
          await sleep(250);
        }
        if (ok) ackAt.set(c, performance.now());
        await sleep(100);
      }
    })();

    await sleep(2500);
    opts.log(`  restarting PostgreSQL (pg_ctlcluster restart) with ${ackAt.size} events acknowledged …`);
    resumer.drop();
    const t0 = performance.now();
    await pgCtl("restart");
    if (!await waitPgReady(30_000)) throw new Error("PostgreSQL did not come back within 30 s");
    restartedAt = performance.now();
    report.restartMs = restartedAt - t0;
    opts.log(`  PostgreSQL is back after ${Math.round(report.restartMs)} ms; the client resumes`);
    resumer.resume();
    await poster;
    const firstAfter = Math.min(...[...ackAt.values()].filter((t) => t >= restartedAt));
    report.recoveryMs = Number.isFinite(firstAfter) ? firstAfter - restartedAt : null;

    // Wait (bounded) until both clients hold every alert of the feed after their start.
    let rows: Awaited<ReturnType<typeof feed>> = [];
    const start = Math.min(resumer.start!, stayer.start!);
    for (let i = 0; i < 40; i++) {
      rows = await feed(opts.dbUrl, start);
      const done = [resumer, stayer].every((c) => missing(c, rows).length === 0);
      if (done && i > 0) break;
      await sleep(500);
    }
    report.listenAfter = await listeners(opts.dbName);
    report.acknowledged = ackAt.size;
    report.feedAlerts = rows.length;
    const alerted = new Set(rows.filter((r) => r.rule === "8.1").map((r) => r.case));
    report.withoutAlert = [...ackAt.keys()].filter((c) => !alerted.has(c)).length;
    report.clients = [["dropped and resumed", resumer], ["stayed connected", stayer]].map(([name, c]) => {
      const client = c as ResumingClient;
      const ids = client.alerts.map((a) => a.id);
      return {
        name: name as string,
        received: new Set(ids).size,
        missed: missing(client, rows).length,
        duplicates: ids.length - new Set(ids).size,
        reconnects: client.connects - 1,
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
    await Promise.all([resumer.close(), stayer.close()]);
  }
}

/** Feed rows after the client's start that it never received. */
function missing(client: ResumingClient, rows: { id: number }[]): number[] {
  const got = new Set(client.alerts.map((a: Received) => a.id));
  return rows.filter((r) => r.id > client.start! && !got.has(r.id)).map((r) => r.id);
}
