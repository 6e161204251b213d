/**
 * `deno run -A bench/cpu_stages.ts [CASES] [ROUNDS]`: the CPU of ingestion's pure stages without the
 * database or HTTP — the demo events of bench:ingest-profile in time order, in batches of 2,000: each
 * event validated (parseEvent) and hashed (eventContentHash), each batch's cases evaluated with their
 * timelines so far (evaluateCase), planned against the previous plan (planCase) and their case rows
 * serialised as bulk.ts sends them (recordset). Prints CPU milliseconds per stage, best of ROUNDS: a guide
 * for A/B comparisons of the same machine in one sitting, not a figure to quote alone.
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
import { type CaseOutcome, type CaseRow, planCase, type PreviousState } from "../server/write/apply_plan.ts";
import type { CounterDelta } from "../server/write/counts.ts";
import { recordset } from "../server/write/bulk.ts";
import { cases as casesTable } from "../db/schema.ts";

/** This process's CPU milliseconds (user + system): the machine is shared, wall time is not the measure. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const cases = Number(Deno.args[0] ?? 12500);
const rounds = Number(Deno.args[1] ?? 3);
const now = Date.now();
const events = timeOrderedEvents(cases, 1, "", now, 7);
const bodies: string[] = [];
for (let i = 0; i < events.length; i += 2000) bodies.push(JSON.stringify(events.slice(i, i + 2000)));
const items = new Map(HENAN_ITEMS.map((i) => [i.code, i]));
const calendar = builtinCalendar();

function round(): Record<string, number> {
  const t = { parse: 0, hash: 0, evaluate: 0, plan: 0, serialise: 0 };
  const kept = new Map<string, CaseEvent[]>();
  const previous = new Map<string, PreviousState>();
  let sink = 0;
  for (const body of bodies) {
    let t0 = cpuMs();
    const raws = JSON.parse(body) as unknown[];
    const parsed: CaseEvent[] = [];
    for (const raw of raws) {
      const r = parseEvent(raw, { now });
      if (!r.ok) throw new Error(r.error);
      parsed.push(r.event);
    }
    t.parse += cpuMs() - t0;
    t0 = cpuMs();
    for (const e of parsed) sink += eventContentHash(e).length;
    t.hash += cpuMs() - t0;
    const added = new Map<string, CaseEvent[]>();
    for (const e of parsed) {
      const list = added.get(e.case);
      if (list) list.push(e);
      else added.set(e.case, [e]);
    }
    t0 = cpuMs();
    const outcomes: CaseOutcome[] = [];
    for (const [caseId, list] of added) {
      const all = [...kept.get(caseId) ?? [], ...list];
      kept.set(caseId, all);
      const evaluation: Evaluation = evaluateCase({
        caseId,
        events: all,
        item: (c) => items.get(c),
        calendar,
        asOf: now,
      });
      outcomes.push({ caseId, evaluation, eventCount: all.length, timelineAdded: list });
    }
    t.evaluate += cpuMs() - t0;
    t0 = cpuMs();
    const deltas = new Map<string, CounterDelta>();
    const plans = outcomes.map((o) => {
      const ev = (o as { evaluation: Evaluation }).evaluation;
      const n = ev.itemCode ? items.get(ev.itemCode)?.promisedDays ?? null : null;
      return planCase(o, previous.get(o.caseId), "410100", now, deltas, n);
    });
    t.plan += cpuMs() - t0;
    t0 = cpuMs();
    const rows = plans.map((p) => ({
      ...p.caseRow.evaluated!,
      timeline: (p.caseRow.timeline as { append: CaseEvent[] }).append,
    }));
    sink += recordset(casesTable, rows).json.length;
    t.serialise += cpuMs() - t0;
    let id = 0;
    for (const p of plans) {
      const row = p.caseRow.evaluated!;
      const stored = previous.get(row.caseId)?.alerts ?? [];
      previous.set(row.caseId, {
        row: {
          caseId: row.caseId,
          status: row.status,
          department: row.department,
          hall: row.hall,
          result: row.result,
          contributions: row.contributions,
          error: null,
        } as CaseRow,
        alerts: [
          ...stored,
          ...p.newAlerts.map((a) => ({
            id: ++id,
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
      });
    }
  }
  if (sink === 0) throw new Error("nothing done");
  return t;
}

const best: Record<string, number> = {};
for (let r = 0; r < rounds; r++) {
  for (const [k, v] of Object.entries(round())) best[k] = Math.min(best[k] ?? Infinity, v);
}
const total = Object.values(best).reduce((a, b) => a + b, 0);
console.log(
  `${events.length} events, ${cases} cases: ` +
    Object.entries(best).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(", ") + ` = ${total.toFixed(0)} ms`,
);
