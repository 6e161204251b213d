/**
 * Demo mode's heartbeat: every couple of seconds a few plausible events go through ingestion — new
 * cases at the windows (now and then one whose promise is 1–2 days, which warns at once), the next
 * step of some open cases, completions, certificates and evaluations — so the wall screen moves.
 * Stateless between ticks: it reads the cases to advance from the database, so a restart resumes.
 *
 * @module
 */
import { and, count, gte, inArray, sql } from "drizzle-orm";
import { addDays, dateIn, shanghaiInstant } from "../../rules/dates.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { cases } from "../../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { ingestEvents, type IngestReport } from "../ingest.ts";
import { loadCaseEvents } from "../recalc.ts";
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
  const inProgress = inArray(cases.status, ["received", "accepted"]);
  const [{ n }] = await db.select({ n: count() }).from(cases).where(inProgress);
  // One or two open cases move on per tick, two once more than ~375 are open: completions then balance
  // arrivals near the seeded load, so "in progress" on the wall screen neither drains nor grows.
  const moves = Math.min(4, Math.max(1, Math.round(Number(n) / 250)));
  const open = await db.select({ caseId: cases.caseId }).from(cases).where(inProgress)
    .orderBy(sql`random()`).limit(moves);
  const recent = await db.select({ caseId: cases.caseId }).from(cases)
    .where(and(sql`${cases.status} = 'completed'`, gte(cases.closedOn, addDays(dateIn(now), -3))))
    .orderBy(sql`random()`).limit(1);
  const ids = [...open, ...recent].map((r) => r.caseId);
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
