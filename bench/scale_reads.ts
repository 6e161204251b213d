/**
 * The reads and the midnight run of `deno task bench:scale`, against the loaded data set: SSE
 * snapshots (connect → first `counts` message), first pages of the case list by status (the largest
 * department, its region, the province), by search text and item (that department, the province) and
 * by deadline (the province, the region, the busiest hall), a department's case list CSV export, the
 * month's rankings of all departments, the streamed exports (time to first byte and to the end,
 * bytes), and the scheduler applying the next working day's 00:00
 * (cases due, seconds, cases/s).
 *
 * @module
 */
import postgres from "postgres";
import type { Database } from "../db/client.ts";
import { builtinCalendar } from "../rules/builtin_calendar.ts";
import { dateIn, startOfDay } from "../rules/dates.ts";
import { startScheduler } from "../server/write/scheduler.ts";
import type { AppDeps } from "../server/deps.ts";
import { openSse } from "./sse.ts";
import { summarize, type Summary } from "./stats.ts";

/** Time `n` runs of `fn` (after one warm-up), ms. */
async function timed(n: number, fn: () => Promise<void>): Promise<Summary> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return summarize(ms);
}

/** Connect to the stream and wait for its first `counts` message. */
async function snapshot(url: string, auth: string): Promise<void> {
  const got = Promise.withResolvers<void>();
  const conn = await openSse(url, { cookie: auth }, (m) => {
    if (m.event === "counts") got.resolve();
  });
  const timer = setTimeout(() => got.reject(new Error(`no counts from ${url} in 30 s`)), 30_000);
  try {
    await got.promise;
  } finally {
    clearTimeout(timer);
    await conn.close();
  }
}

async function getOk(url: string, auth: string): Promise<number> {
  const res = await fetch(url, { headers: { cookie: auth } });
  const body = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${new TextDecoder().decode(body)}`);
  return body.length;
}

/** One timed read: its label, what was asked, and p50/p95 in ms. */
export interface ReadFigure {
  label: string;
  path: string;
  ms: Summary;
  bytes?: number;
  error?: string;
}

/** Measure each read `n` times. A read the server refuses is reported with its error, not hidden. */
export async function measureReads(
  base: string,
  auth: string,
  db: Database,
  n: number,
  now: number,
): Promise<ReadFigure[]> {
  const sql = db.db;
  const [dept] = await rowsOf<{ department: string; region: string }>(
    sql,
    `select c.department, d.region from cases c join departments d on d.code = c.department
      where c.status = 'accepted' group by 1, 2 order by count(*) desc limit 1`,
  );
  const [hall] = await rowsOf<{ hall: string }>(
    sql,
    `select hall from cases where hall is not null group by hall order by count(*) desc limit 1`,
  );
  // What an auditor types: the department's most frequent applicant's name, its busiest item.
  const [search] = await rowsOf<{ name: string; item: string }>(
    sql,
    `select (select applicant_name from cases where department = '${dept.department}'
        and applicant_name is not null group by 1 order by count(*) desc limit 1) as name,
      (select item_code from cases where department = '${dept.department}' and item_code is not null
        group by 1 order by count(*) desc limit 1) as item`,
  );
  const name = encodeURIComponent(search.name);
  const month = dateIn(now).slice(0, 7);
  const reads: { label: string; path: string; run: () => Promise<number | void> }[] = [
    {
      label: "province SSE snapshot",
      path: "/api/v1/stream",
      run: () => snapshot(`${base}/api/v1/stream`, auth),
    },
    {
      label: "hall SSE snapshot",
      path: `/api/v1/stream?hall=${hall.hall}`,
      run: () => snapshot(`${base}/api/v1/stream?hall=${hall.hall}`, auth),
    },
    // The first page of the list (its total included) by status, in the largest department, its
    // region and the province.
    ...([
      ["department case list (accepted, 1 page)", `department=${dept.department}&status=accepted`],
      ["department case list (in progress, 1 page)", `department=${dept.department}&status=open`],
      ["department case list (completed, 1 page)", `department=${dept.department}&status=completed`],
      ["region case list (accepted, 1 page)", `region=${dept.region}&status=accepted`],
      ["province case list (completed, 1 page)", `status=completed`],
      // Search (an applicant's name), an item, and the deadline sort beyond a department.
      ["department case list, text search (1 page)", `department=${dept.department}&q=${name}`],
      ["department case list, item (1 page)", `department=${dept.department}&item=${search.item}`],
      ["province case list, text search (1 page)", `q=${name}`],
      ["province case list by deadline (in progress, 1 page)", `status=open&sort=deadline`],
      ["province case list by deadline (1 page)", `sort=deadline`],
      [
        "region case list by deadline (in progress, 1 page)",
        `region=${dept.region}&status=open&sort=deadline`,
      ],
      ["hall case list by deadline (in progress, 1 page)", `hall=${hall.hall}&status=open&sort=deadline`],
    ] as const).map(([label, filter]) => ({
      label,
      path: `/api/v1/cases?${filter}&limit=50`,
      run: () => getOk(`${base}/api/v1/cases?${filter}&limit=50`, auth),
    })),
    {
      label: "case list CSV export (department, accepted, by deadline)",
      path: `/cases.csv?department=${dept.department}&status=accepted&sort=deadline`,
      run: () => getOk(`${base}/cases.csv?department=${dept.department}&status=accepted&sort=deadline`, auth),
    },
    {
      label: "monthly rankings, all departments",
      path: `/api/v1/reports/rankings?month=${month}`,
      run: () => getOk(`${base}/api/v1/reports/rankings?month=${month}`, auth),
    },
    {
      label: "rankings CSV export",
      path: `/api/v1/reports/rankings.csv?month=${month}`,
      run: () => getOk(`${base}/api/v1/reports/rankings.csv?month=${month}`, auth),
    },
  ];
  const out: ReadFigure[] = [];
  for (const r of reads) {
    let bytes: number | undefined;
    try {
      const ms = await timed(n, async () => {
        const b = await r.run();
        if (typeof b === "number") bytes = b;
      });
      out.push({ label: r.label, path: r.path, ms, bytes });
    } catch (err) {
      out.push({
        label: r.label,
        path: r.path,
        ms: summarize([]),
        error: (err as Error).message.slice(0, 200),
      });
    }
  }
  return out;
}

async function rowsOf<T>(db: Database["db"], text: string): Promise<T[]> {
  const { sql } = await import("drizzle-orm");
  const r = await db.execute(sql.raw(text));
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

/** The midnight run's figures. */
export interface MidnightFigures {
  /** The working day whose 00:00 is applied (Asia/Shanghai). */
  day: string;
  midnight: string;
  due: number;
  applied: number;
  seconds: number;
  casesPerSecond: number;
  openCases: number;
}

/**
 * The scheduler at the next working day's 00:00 (Asia/Shanghai) after `now`: how many cases are due
 * then, and how long one `runOnce()` takes to apply them all (a scheduler of its own with the clock
 * set there; the bench server's own scheduler is off).
 */
export async function measureMidnight(
  dbUrl: string,
  deps: AppDeps,
  now: number,
): Promise<MidnightFigures> {
  const cal = builtinCalendar();
  let day = dateIn(now);
  do day = cal.addWorkdays(day, 1); while (!cal.isWorkday(day));
  const midnight = startOfDay(day) + 1000;
  const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
  const [{ due, open }] = await sql<{ due: number; open: number }[]>`
    select count(*) filter (where next_change_at <= ${
    new Date(midnight).toISOString()
  }::timestamptz)::int as due,
      count(*) filter (where status in ('received', 'accepted'))::int as open from cases`;
  await sql.end();
  const scheduler = startScheduler({ ...deps, clock: () => midnight }, { background: false });
  const t0 = performance.now();
  const applied = await scheduler.runOnce();
  const seconds = (performance.now() - t0) / 1000;
  await scheduler.stop();
  return {
    day,
    midnight: new Date(midnight).toISOString(),
    due,
    applied,
    seconds,
    casesPerSecond: applied / seconds,
    openCases: open,
  };
}
