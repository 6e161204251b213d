/**
 * `deno task faults`: fault tests against the real server on the local PostgreSQL (127.0.0.1:5432).
 *
 * 1. SIGKILL the server in the middle of heavy ingestion, restart it on the same database, re-send
 *    what was not acknowledged, then check that every acknowledged event is stored exactly once and
 *    that the stored alerts of every case equal a fresh evaluation.
 * 2. Restart PostgreSQL under the running server while events are posted and three stream clients
 *    listen; check that the server, its LISTEN and its scheduler recover, and that clients resuming
 *    with `Last-Event-ID` (during the outage, or after it) miss no alert.
 *
 * The run creates its own database and drops it, starts its servers as child processes and kills
 * them, and always leaves PostgreSQL running. Exit code 0 only when lost = 0, duplicated = 0,
 * mismatches = 0 and missed = 0. Not part of `deno task test`: restarting PostgreSQL would disturb
 * tests running beside it. Options: --cases N (fault 1, default 3000), --skip-restart.
 *
 * @module
 */
import { parseArgs } from "node:util";
import {
  type ChildServer,
  createDatabase,
  ensurePgRunning,
  type FaultDatabase,
  startChildServer,
} from "./faults_env.ts";
import {
  countStored,
  emptyReport,
  KILL_PREFIX,
  killEvents,
  type KillReport,
  killWhenCommittedAhead,
  sendBatches,
  toBatches,
} from "./faults_kill.ts";
import { restartUnderServer } from "./faults_pg.ts";
import { provision } from "./faults_setup.ts";
import { checkAlerts, checkStorage } from "./faults_verify.ts";

const { values: args } = parseArgs({
  options: {
    cases: { type: "string", default: "3000" },
    "skip-restart": { type: "boolean", default: false },
  },
});
const CASES = Number(args.cases);
if (!Number.isInteger(CASES) || CASES < 10) throw new Error("--cases must be a whole number ≥ 10");
const ADMIN_PASSWORD = `faults-${crypto.randomUUID()}`;
const t0 = performance.now();
const log = (line: string) =>
  console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(5)} s] ${line}`);
const results: [string, string | number, boolean][] = [];
const result = (name: string, value: string | number, ok = true) => results.push([name, value, ok]);

let db: FaultDatabase | null = null;
const servers: ChildServer[] = [];
const start = async () => {
  // Three stream clients share the reader's session and reconnect through outages: room for their retries.
  const s = await startChildServer({
    DATABASE_URL: db!.url,
    ADMIN_PASSWORD,
    MAX_STREAMS_PER_CREDENTIAL: "10",
  });
  servers.push(s);
  return s;
};
// A hard limit on the whole run: a hung step must not keep PostgreSQL or children around.
const watchdog = setTimeout(() => {
  console.error("faults: time limit (6 min) reached");
  for (const s of servers) for (const line of s.log().slice(-40)) console.error(`  server ${s.pid}| ${line}`);
  cleanup().finally(() => Deno.exit(2));
}, 6 * 60_000);

// Interrupted (Ctrl-C): still stop the servers, bring PostgreSQL back and drop the database.
Deno.addSignalListener("SIGINT", () => {
  console.error("faults: interrupted; cleaning up …");
  cleanup().finally(() => Deno.exit(130));
});

let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  return cleaning ??= cleanupOnce();
}

async function cleanupOnce(): Promise<void> {
  for (const s of servers) await s.stop("SIGTERM").catch(() => {});
  if (!await ensurePgRunning()) console.error("faults: PostgreSQL is NOT running — start it by hand");
  await db?.drop().catch((err) => console.error("faults: dropping the database failed:", err));
}

let failed = false;
try {
  db = await createDatabase();
  log(`database ${db.name} created on 127.0.0.1:5432`);

  // ── 1. SIGKILL during ingestion ──────────────────────────────────────────────────────────────
  let server = await start();
  log(`server started (pid ${server.pid}) at ${server.url}`);
  const keys = await provision(server.url, ADMIN_PASSWORD);
  log("admin logged in; reference data loaded; ingest and provincial reader keys created");
  const events = killEvents(CASES, Date.now());
  const batches = toBatches(events, 150);
  const killAfter = Math.floor(batches.length * 0.4);
  log(`sending ${events.length} events of ${CASES} cases in ${batches.length} batches, 8 at a time …`);
  let killer: Promise<KillReport> | null = null;
  let killed: Promise<unknown> | null = null;
  const first = emptyReport();
  await sendBatches(batches, {
    url: server.url,
    auth: keys.ingest,
    concurrency: 8,
    onAck: (acked) => {
      if (acked >= killAfter && !killer) {
        const victim = server;
        killer = killWhenCommittedAhead(db!.url, KILL_PREFIX, first, () => killed = victim.stop("SIGKILL"));
      }
      return killed !== null;
    },
  }, first);
  if (!killer) {
    throw new Error(`no batch was acknowledged: the server did not ingest (${first.refusals.join("; ")})`);
  }
  const kill: KillReport = await killer;
  await killed;
  const ackedBeforeKill = first.acknowledged.size;
  // Stored by the killed server but never answered: must come back as duplicates when re-sent.
  const unanswered = await countStored(db.url, KILL_PREFIX) - ackedBeforeKill;
  log(
    `SIGKILL with ${kill.acknowledged} events acknowledged, ${kill.inFlight} requests in flight, ` +
      `${kill.committedAhead} events committed but not yet acknowledged at that instant, ` +
      `${unanswered} committed and never answered; ` +
      `${first.pending.length} batches not acknowledged`,
  );

  server = await start();
  log(`server restarted (pid ${server.pid}) on the same database; re-sending what was not acknowledged …`);
  const pendingBefore = first.pending.length;
  const resend = await sendBatches(first.pending.splice(0), {
    url: server.url,
    auth: keys.ingest,
    concurrency: 4,
    attempts: 5,
  }, { ...emptyReport(), acknowledged: first.acknowledged });
  log(
    `re-sent ${pendingBefore} batches: ${resend.stored} stored now, ${resend.duplicates} were already stored ` +
      `(committed before the kill, never acknowledged)`,
  );
  const storage = await checkStorage(db.url, KILL_PREFIX, events, first.acknowledged);
  log("evaluating every case afresh and comparing with the stored alerts …");
  const alerts = await checkAlerts(db.url, KILL_PREFIX, { url: server.url, auth: keys.reader, every: 20 });
  for (const e of alerts.examples) log(`  mismatch: ${e}`);
  result("events sent", events.length);
  result("acknowledged before the kill", ackedBeforeKill);
  result(
    "committed by the killed server, never answered / re-sent as duplicates",
    `${unanswered} / ${resend.duplicates}`,
    unanswered === resend.duplicates,
  );
  result("acknowledged in the end", first.acknowledged.size, first.acknowledged.size === events.length);
  result("stored", storage.stored, storage.stored === events.length);
  result("lost (acknowledged, not stored)", storage.lost, storage.lost === 0);
  result("duplicated", storage.duplicated, storage.duplicated === 0);
  result(
    "stored with other content / never sent",
    `${storage.altered} / ${storage.unexpected}`,
    storage.altered + storage.unexpected === 0,
  );
  for (const r of [...first.refusals, ...resend.refusals].slice(0, 5)) log(`  refused: ${r}`);
  result("refused", first.refused + resend.refused, first.refused + resend.refused === 0);
  result("cases checked (alerts)", `${alerts.cases} (${alerts.alerts} alerts)`);
  result("mismatches: stored alerts ≠ fresh evaluation", alerts.mismatches, alerts.mismatches === 0);
  result(
    `mismatches: GET /api/v1/cases/:case (${alerts.apiChecked} cases)`,
    alerts.apiMismatches,
    alerts.apiMismatches === 0,
  );

  // ── 2. PostgreSQL restart under the running server ───────────────────────────────────────────
  if (!args["skip-restart"]) {
    log("fault 2: three stream clients connected, posting warning-creating events …");
    const pg = await restartUnderServer({
      url: server.url,
      ingest: keys.ingest.department,
      reader: keys.reader,
      dbUrl: db.url,
      dbName: db.name,
      log,
      assertAlive: () => {
        const exit = server.exited();
        if (exit) throw new Error(`the server died during the PostgreSQL restart (${JSON.stringify(exit)})`);
      },
    });
    result("PostgreSQL restart, ms", Math.round(pg.restartMs));
    result(
      "events posted / acknowledged (retried requests)",
      `${pg.posted} / ${pg.acknowledged} (${pg.retried})`,
      pg.acknowledged === pg.posted,
    );
    result(
      "first acknowledged POST after PostgreSQL was back, ms",
      pg.recoveryMs === null ? "never" : Math.round(pg.recoveryMs),
      pg.recoveryMs !== null,
    );
    result("acknowledged cases without their 8.1 alert", pg.withoutAlert, pg.withoutAlert === 0);
    result("alerts in the live feed after the clients' start", pg.feedAlerts);
    for (const c of pg.clients) {
      result(
        `client ${c.name}: received / replayed / missed / duplicates / reconnects`,
        `${c.received} / ${c.replayed} / ${c.missed} / ${c.duplicates} / ${c.reconnects}`,
        c.missed === 0 && c.duplicates === 0,
      );
    }
    result(
      "scheduler: case made due after the restart evaluated after, ms",
      pg.schedulerMs === null ? "never" : Math.round(pg.schedulerMs),
      pg.schedulerMs !== null,
    );
    result("LISTEN connections before / after", `${pg.listenBefore} / ${pg.listenAfter}`, pg.listenAfter > 0);
    result(
      "LISTEN back after PostgreSQL was, ms",
      pg.listenBackMs === null ? "never" : Math.round(pg.listenBackMs),
      pg.listenBackMs !== null,
    );
    result(
      `alert delay after the restart, ms (${pg.latencyAfter.n})`,
      `p50 ${Math.round(pg.latencyAfter.p50)}  max ${Math.round(pg.latencyAfter.max)}`,
      pg.latencyAfter.n > 0 && pg.latencyAfter.max < 10_000,
    );
  }
} catch (err) {
  failed = true;
  console.error("faults: the run failed:", err);
  for (const s of servers) for (const line of s.log().slice(-30)) console.error(`  server ${s.pid}| ${line}`);
  if (servers.some((s) => s.log().some((l) => l.startsWith("SIGTERM")))) {
    console.error("faults: a server was stopped by a SIGTERM this script did not send (another process?)");
  }
} finally {
  await cleanup();
  clearTimeout(watchdog);
}

const width = Math.max(...results.map(([k]) => k.length));
console.log("\n监察台 fault test (PostgreSQL 127.0.0.1:5432)");
for (const [k, v, ok] of results) console.log(`  ${ok ? "  " : "✗ "}${k.padEnd(width)}  ${v}`);
const bad = failed || results.some(([, , ok]) => !ok);
console.log(`\n${bad ? "FAILED" : "OK"} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
Deno.exit(bad ? 1 : 0);
