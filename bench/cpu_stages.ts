/**
 * `deno run -A bench/cpu_stages.ts [CASES] [ROUNDS]`: the CPU of ingestion's pure stages without the
 * database or HTTP, on the demo events of bench:ingest-profile (CASES cases, default 12,500) in time
 * order, in batches of 2,000. Stages: each event validated (parseEvent) and hashed (eventContentHash);
 * each batch's cases evaluated with their timelines so far (evaluateCase), planned against the previous
 * batch's plan (planCase) and their case rows serialised as bulk.ts sends them (recordset). Each stage
 * runs ROUNDS times (default 5) over inputs prepared once; the least CPU time of a stage is printed.
 * A third argument names the stages to run (e.g. `evaluate,plan`). A guide for A/B comparisons on one machine in one sitting, not a figure to quote alone.
 *
 * @module
 */
import process from "node:process";
import { timeOrderedEvents } from "./scale_load.ts";
import { parseEvent } from "../rules/event_schema.ts";
import { eventContentHash } from "../rules/canonical.ts";
import { evaluateCase, type Evaluation } from "../rules/evaluate.ts";
import { builtinCalendar } from "../rules/builtin_calendar.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
import type { CaseEvent } from "../rules/types.ts";
import {
  type CaseOutcome,
  type CasePlan,
  type CaseRow,
  planCase,
  type PreviousState,
} from "../server/write/apply_plan.ts";
import type { CounterDelta } from "../server/write/counts.ts";
import { recordset } from "../server/write/bulk.ts";
import { cases as casesTable } from "../db/schema.ts";

/** This process's CPU milliseconds (user + system): the machine is shared, wall time is not the measure. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cases = Number(Deno.args[0] ?? 12500);
const rounds = Number(Deno.args[1] ?? 5);
/** Only these stages (comma-separated; "parse" runs before "hash" needs its events). */
const only = Deno.args[2]?.split(",");
const now = Date.now();
const events = timeOrderedEvents(cases, 1, "", now, 7);
const items = new Map(HENAN_ITEMS.map((i) => [i.code, i]));
const calendar = builtinCalendar();

// The batches as the server sees them: raw values, the cases' event lists, the previous state.
const batches: { raws: unknown[]; lists: Map<string, { all: CaseEvent[]; added: CaseEvent[] }> }[] = [];
const kept = new Map<string, CaseEvent[]>();
for (let i = 0; i < events.length; i += 2000) {
  const part = events.slice(i, i + 2000);
  const lists = new Map<string, { all: CaseEvent[]; added: CaseEvent[] }>();
  for (const e of part) {
    const entry = lists.get(e.case) ?? { all: [], added: [] };
    entry.added.push(e);
    lists.set(e.case, entry);
  }
  for (const [id, entry] of lists) {
    // As read back from the database (JSON objects of a few shapes, not the generator's).
    entry.all = JSON.parse(JSON.stringify([...kept.get(id) ?? [], ...entry.added]));
    kept.set(id, entry.all);
  }
  batches.push({ raws: JSON.parse(JSON.stringify(part)), lists });
}

/** Each batch's outcomes, handed to `use` batch by batch (as the server holds one batch's at a time). */
const evaluate = (use: (batch: CaseOutcome[]) => void) =>
  batches.forEach((b) => {
    const out: CaseOutcome[] = [];
    for (const [caseId, { all, added }] of b.lists) {
      const evaluation: Evaluation = evaluateCase({
        caseId,
        events: all,
        item: (c) => items.get(c),
        calendar,
        asOf: now,
      });
      out.push({ caseId, evaluation, eventCount: all.length, timelineAdded: added });
    }
    use(out);
  });
const outcomes: CaseOutcome[][] = [];
evaluate((batch) => outcomes.push(batch));

/** The stored state a plan leaves for the next batch's (case row and alerts). */
function stateAfter(p: CasePlan, before: PreviousState | undefined, ids: { n: number }): PreviousState {
  const row = p.caseRow.evaluated!;
  return {
    row: {
      caseId: row.caseId,
      status: row.status,
      department: row.department,
      hall: row.hall,
      result: JSON.parse(JSON.stringify(row.result)),
      contributions: row.contributions,
      error: null,
    } as CaseRow,
    alerts: [
      ...before?.alerts ?? [],
      ...p.newAlerts.map((a) => ({
        id: ++ids.n,
        rule: a.row.rule,
        subject: a.row.subject,
        level: a.row.level,
        on: a.row.on,
        resolvedOn: a.row.resolvedOn ?? null,
        voidedOn: a.row.voidedOn ?? null,
        withdrawn: false,
      })),
    ],
    findings: [],
    manual: [],
  };
}
const previous: Map<string, PreviousState>[] = [];
const plans: CasePlan[][] = [];
{
  const state = new Map<string, PreviousState>();
  const ids = { n: 0 };
  for (const batch of outcomes) {
    previous.push(
      new Map(batch.flatMap((o): [string, PreviousState][] => {
        const s = state.get(o.caseId);
        return s ? [[o.caseId, s]] : [];
      })),
    );
    const made = batch.map((o) => planCase(o, state.get(o.caseId), "410100", now, new Map()));
    for (const p of made) {
      state.set(p.caseRow.evaluated!.caseId, stateAfter(p, state.get(p.caseRow.evaluated!.caseId), ids));
    }
    plans.push(made);
  }
}

const parsed: CaseEvent[][] = [];
let sink = 0;
const stages: Record<string, () => void> = {
  parse() {
    parsed.length = 0;
    for (const b of batches) {
      parsed.push(b.raws.map((raw) => {
        const r = parseEvent(raw, { now });
        if (!r.ok) throw new Error(r.error);
        return r.event;
      }));
    }
  },
  hash() {
    for (const list of parsed) for (const e of list) sink += eventContentHash(e).length;
  },
  evaluate() {
    evaluate((batch) => sink += batch.length);
  },
  plan() {
    outcomes.forEach((batch, i) => {
      const deltas = new Map<string, CounterDelta>();
      for (const o of batch) {
        const ev = (o as { evaluation: Evaluation }).evaluation;
        const n = ev.itemCode ? items.get(ev.itemCode)?.promisedDays ?? null : null;
        sink += planCase(o, previous[i].get(o.caseId), "410100", now, deltas, n).newAlerts.length;
      }
    });
  },
  serialise() {
    for (const batch of plans) {
      const rows = batch.map((p) => ({
        ...p.caseRow.evaluated!,
        timeline: (p.caseRow.timeline as { append: CaseEvent[] }).append,
      }));
      sink += recordset(casesTable, rows).json.length;
    }
  },
};
const best: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  for (const [name, run] of Object.entries(stages)) {
    if (only && !only.includes(name)) continue;
    const t0 = cpuMs();
    run();
    best[name] = Math.min(best[name] ?? Infinity, cpuMs() - t0);
  }
}
if (sink === 0) throw new Error("nothing done");
const total = Object.values(best).reduce((a, b) => a + b, 0);
console.log(
  `${events.length} events, ${cases} cases: ` +
    Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ") + ` = ${total.toFixed(0)} ms`,
);
