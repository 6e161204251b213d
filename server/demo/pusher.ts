/**
 * Demo mode's heartbeat: every couple of seconds a few plausible events go through ingestion — new
 * cases at the windows (now and then one whose promise is 1–2 days, which warns at once), the next
 * step of some open cases, completions, certificates and evaluations — so the wall screen moves.
 * Stateless between ticks: it reads the cases to advance from the database, so a restart resumes. It
 * only ever advances cases it created itself (its own sender), never a real sender's.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { textArray } from "../write/bulk.ts";
import { addDays, dateIn, shanghaiInstant } from "../../rules/dates.ts";
import type { CaseEvent } from "../../rules/types.ts";
import type { AppDeps } from "../deps.ts";
import { ingestEvents, type IngestReport } from "../write/ingest.ts";
import { loadCaseEvents } from "../write/recalc.ts";
import { loadItems } from "../reference.ts";
import { DEMO_ITEMS } from "./henan_items.ts";
import { Random } from "./random.ts";
import { DEMO_SENDER } from "./seed.ts";
import { advance, arrival, type Move } from "./steps.ts";

/** Options of {@linkcode startDemoPusher}. */
export interface PusherOptions {
  /** Pause between ticks (default 2,000 ms). */
  intervalMs?: number;
  seed?: number;
  /** Called with each tick's ingestion report (tests, logging). */
  onTick?: (report: IngestReport) => void;
}

/** A running pusher. */
export interface DemoPusher {
  /** Stop ticking; resolves once a tick in flight has finished. */
  stop(): Promise<void>;
}

const WEIGHTS = DEMO_ITEMS.map((d) => d.weight);

/** Start pushing demo events through `ingestEvents`, dated by `deps.clock()`. */
export function startDemoPusher(deps: AppDeps, opts: PusherOptions = {}): DemoPusher {
  const rng = new Random(opts.seed ?? Date.now());
  const interval = opts.intervalMs ?? 2000;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let ticks = 0;
  const loop = () => {
    inFlight = pushOnce(deps, rng, ticks++)
      .then((report) => opts.onTick?.(report))
      .catch((err) => console.error("demo pusher:", err))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, interval);
      });
  };
  timer = setTimeout(loop, interval);
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/**
 * A few cases the demo itself created (its `received` came from the demo sender and no other sender
 * claims the case number), picked without scanning any table: a range read of the claims index
 * (`case_claims` by sender and case id) from a random point — a random region and a recent day, as the
 * demo's case numbers start — then those cases' rows by primary key. Real senders' cases are never
 * picked, whatever their numbers.
 */
async function pickDemoCases(deps: AppDeps, rng: Random, now: number) {
  const { db } = deps.database;
  const region = rng.pick(DEMO_ITEMS).item.department.split("-")[0];
  const start = region + addDays(dateIn(now), -rng.int(0, 20)).replaceAll("-", "");
  const rows = await query<{ case_id: string; status: string; closed_on: string | null }>(
    db,
    sql`select k.case_id, k.status, k.closed_on::text as closed_on
      from (select case_id from case_claims where sender = ${DEMO_SENDER} and case_id >= ${start}
            order by sender, case_id limit 24) c
      join cases k on k.case_id = c.case_id`,
  );
  if (rows.length === 0) return [];
  const foreign = new Set(
    (await query<{ case_id: string }>(
      db,
      sql`select distinct case_id from case_claims
        where case_id = any(${textArray(rows.map((r) => r.case_id))}::text[]) and sender <> ${DEMO_SENDER}`,
    )).map((r) => r.case_id),
  );
  const mine = rows.filter((r) => !foreign.has(r.case_id));
  // A random order (Fisher–Yates with the pusher's generator).
  for (let i = mine.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [mine[i], mine[j]] = [mine[j], mine[i]];
  }
  return mine.map((r) => ({ caseId: r.case_id, status: r.status, closedOn: r.closed_on }));
}

/** One tick: build this instant's events and ingest them. */
export async function pushOnce(deps: AppDeps, rng: Random, tick: number): Promise<IngestReport> {
  const now = deps.clock();
  const at = shanghaiInstant(now);
  const stamp = `${now.toString(36)}${tick.toString(36)}`;
  const out: CaseEvent[] = [];
  const add = (caseId: string, moves: Move[]) =>
    moves.forEach((m, k) =>
      out.push({ ...m, id: `${caseId}-P${stamp}-${k}`, case: caseId, at } as CaseEvent)
    );

  const arrivals = rng.weighted([0, 1, 2], [3, 5, 2]);
  for (let i = 0; i < arrivals; i++) {
    // About a quarter of the catalogue's cases promise 1–2 days and warn as soon as they are accepted.
    const d = rng.weighted(DEMO_ITEMS, WEIGHTS);
    const region = d.item.department.split("-")[0];
    const clock = at.slice(11, 19).replaceAll(":", "");
    const caseId = `${region}${at.slice(0, 10).replaceAll("-", "")}${clock}${rng.int(100, 999)}`;
    add(caseId, arrival(rng, d));
  }

  const { db } = deps.database;
  // One to three of the demo's own open cases move on per tick, and now and then one completed lately
  // gets its evaluation; arrivals average one a tick, so "in progress" neither drains nor grows much.
  const picked = await pickDemoCases(deps, rng, now);
  const open = picked.filter((c) => c.status === "received" || c.status === "accepted");
  const recent = picked.filter((c) =>
    c.status === "completed" && c.closedOn !== null && c.closedOn >= addDays(dateIn(now), -3)
  );
  const moves = rng.weighted([1, 2, 3], [4, 4, 2]);
  const ids = [...open.slice(0, moves), ...recent.slice(0, rng.chance(0.5) ? 1 : 0)].map((c) => c.caseId);
  if (ids.length) {
    const byCase = await loadCaseEvents(db, ids);
    const codes = [...byCase.values()].flatMap((l) =>
      l.flatMap((e) => (e.type === "received" ? [e.item] : []))
    );
    const items = await loadItems(db, codes);
    const store = deps.calendar;
    for (const [caseId, events] of byCase) {
      const received = events.find((e) => e.type === "received");
      const item = received?.type === "received" ? items.get(received.item) : undefined;
      if (item) add(caseId, advance(rng, events, item, store.calendar, now));
    }
  }
  if (out.length === 0) return { stored: 0, duplicates: 0, refused: [] };
  return await ingestEvents(deps, out, DEMO_SENDER);
}
