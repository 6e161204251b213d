/**
 * `deno run -A bench/midnight.ts`: the scheduler's midnight (issue 8 item 3) on a data set of its own,
 * measured several times without rebuilding it. Smaller and quicker than `deno task bench:scale`.
 *
 * - `--build`: POST `--template` demo cases (default 20,000, received over the last 7 working days)
 *   through the HTTP API, make `--copies` copies in PostgreSQL (default 9: 200,000 cases, about 38,000
 *   open), and keep the database as `jct_midnight_base` (replacing an older one).
 * - Then (and on every run without `--build`): copy `jct_midnight_base`, apply the next working day's
 *   00:00 with the product's scheduler (its defaults) on the copy, and print the cases due, the seconds,
 *   cases/s, and the CPU seconds spent by this process and by its PostgreSQL backends — cases per
 *   CPU-second does not depend on what else the machine is running, cases/s does. The copy is dropped.
 * - `--drop`: drop `jct_midnight_base`.
 *
 * Only 127.0.0.1. The instant of the build is kept in the base database (`bench_midnight`).
 *
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client.ts";
import { openCalendarStore } from "../server/calendar_store.ts";
import { systemClock } from "../server/deps.ts";
import { startBenchServer } from "./server.ts";
import { postInBatches, timeOrderedEvents } from "./scale_load.ts";
import { cloneCases } from "./scale_clone.ts";
import { measureMidnight } from "./scale_reads.ts";

const { values: args } = parseArgs({
  options: {
    build: { type: "boolean", default: false },
    drop: { type: "boolean", default: false },
    template: { type: "string", default: "20000" },
    copies: { type: "string", default: "9" },
  },
});
const BASE = "jct_midnight_base", RUN = "jct_midnight_run";
const adminUrl = "postgres://postgres@127.0.0.1:5432/postgres";
const urlOf = (name: string) => `postgres://postgres@127.0.0.1:5432/${name}`;
const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });

if (args.drop) {
  await admin.unsafe(`drop database if exists ${BASE} with (force)`);
  await admin.end();
  Deno.exit(0);
}

if (args.build) {
  const now = Date.now();
  const events = timeOrderedEvents(Number(args.template), 20241008, "", now, 7);
  const server = await startBenchServer({ adminUrl, scheduler: false });
  const ingest = await postInBatches(server.url, server.senders, events, 2000);
  console.log(`ingested ${ingest.stored} events in ${ingest.seconds.toFixed(0)} s`);
  await cloneCases(server.dbUrl, { copies: Number(args.copies), streams: 2, log: console.log });
  const name = new URL(server.dbUrl).pathname.slice(1);
  const db = postgres(server.dbUrl, { max: 1, onnotice: () => {} });
  await db`create table bench_midnight as select ${now}::bigint as built_at`;
  await db.end();
  await server.database.close();
  // The server's listeners still hold connections: a template must have none.
  await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
  await admin.unsafe(`drop database if exists ${BASE} with (force)`);
  await admin.unsafe(`create database ${BASE} template ${name}`);
  await server.close().catch(() => {});
  console.log(`kept ${BASE}`);
}

await admin.unsafe(`drop database if exists ${RUN} with (force)`);
await admin.unsafe(`create database ${RUN} template ${BASE}`);
const database = await openDatabase({ url: urlOf(RUN), max: 10 });
const calendar = await openCalendarStore(database);
const probe = postgres(urlOf(RUN), { max: 1, onnotice: () => {} });
try {
  const [{ built_at }] = await probe<{ built_at: string }[]>`select built_at::text from bench_midnight`;
  /** CPU seconds of this database's backends (other than the probe), by pid, from /proc. */
  const backendCpu = async () => {
    const rows = await probe<{ pid: number }[]>`select pid from pg_stat_activity
      where datname = ${RUN} and pid <> pg_backend_pid()`;
    const out = new Map<number, number>();
    for (const { pid } of rows) {
      const fields = (await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => "")).split(") ")[1]?.split(
        " ",
      );
      if (fields) out.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, USER_HZ
    }
    return out;
  };
  // Open the pool's connections first, so that their CPU is counted from here on.
  await Promise.all(Array.from({ length: 10 }, () => database.db.execute(sql`select pg_sleep(0.05)`)));
  const pg0 = await backendCpu();
  const js0 = process.cpuUsage();
  const deps = { database, calendar, clock: systemClock };
  const m = await measureMidnight(urlOf(RUN), deps, Number(built_at));
  const js = process.cpuUsage(js0);
  let pg = 0;
  for (const [pid, s] of await backendCpu()) pg += s - (pg0.get(pid) ?? 0);
  const jsSeconds = (js.user + js.system) / 1e6;
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ")[0];
  console.log(
    `midnight ${m.day}: ${m.due} due of ${m.openCases} open, applied ${m.applied} in ${
      m.seconds.toFixed(2)
    } s = ` +
      `${m.casesPerSecond.toFixed(0)} cases/s (load average ${load})\n` +
      `CPU: this process ${jsSeconds.toFixed(2)} s, PostgreSQL backends ${pg.toFixed(2)} s = ` +
      `${(m.applied / (jsSeconds + pg)).toFixed(0)} cases per CPU-second`,
  );
} finally {
  await probe.end();
  await calendar.close();
  await database.close();
  await admin.unsafe(`drop database if exists ${RUN} with (force)`);
  await admin.end();
}
