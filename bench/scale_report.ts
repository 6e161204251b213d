/**
 * The table of `deno task bench:scale`: each measure with its result, the target and whether
 * the run met it (issue 8, "What must hold"). Reads are judged by their p95, the fan-out by the last
 * of the 10,000 clients (an alert reaches *all* of them within 1 s).
 *
 * @module
 */
import type { CloneFigures } from "./scale_clone.ts";
import type { IngestFigures } from "./scale_load.ts";
import type { MidnightFigures, ReadFigure } from "./scale_reads.ts";
import type { SseMemoryResult } from "./sse_memory.ts";
import { grid, type Summary } from "./stats.ts";

/** What one run measured (also the JSON written). */
export interface ScaleResult {
  at: string;
  minutes: number;
  loadAverage: Summary;
  dataSet: { cases: number; open: number; events: number; alerts: number; size: number };
  ingest: {
    start: IngestFigures & { storedBefore: number; storedAfter: number; batch: Summary };
    end: IngestFigures & { storedBefore: number; storedAfter: number; batch: Summary };
    ratioEndToStart: number;
    raw: { rows: number; seconds: number; rowsPerSecond: number };
    ratioRawToHttp: number;
    bulk: CloneFigures;
  };
  reads: ReadFigure[];
  midnight: MidnightFigures;
  sse: SseMemoryResult | null;
}

/** One row of the table. `met` null: reported, no target. */
export interface Measure {
  measure: string;
  result: string;
  target: string;
  met: boolean | null;
}

/** Numbers as the table shows them: thousands separated, `d` decimals. */
export const f = (x: number, d = 0) =>
  Number.isFinite(x)
    ? x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d })
    : "-";
const M = (x: number) => (x >= 1e6 ? `${f(x / 1e6, 2)} M` : f(x));
const ms = (s: Summary) => `p50 ${f(s.p50)} ms, p95 ${f(s.p95)} ms`;

const refusals = (x: IngestFigures) => `${f(x.stored)} stored, ${f(x.refused)} refused`;

/** Read targets by label prefix (ms, judged on p95). */
const READ_TARGETS: [string, number][] = [
  ["province SSE snapshot", 200],
  ["hall SSE snapshot", 200],
  ["department case list", 200],
  ["monthly rankings", 2000],
];

/** The measures of a run, in the order of the table. */
export function measures(r: ScaleResult): Measure[] {
  const d = r.dataSet, i = r.ingest, m = r.midnight;
  const out: Measure[] = [
    {
      measure: "data set in PostgreSQL",
      result: `${f(d.cases)} cases, ${f(d.open)} open, ${f(d.events)} events, ${f(d.alerts)} alerts`,
      target: "≥ 1 M cases, ≥ 200,000 open, ≥ 10 M events",
      met: d.cases >= 1e6 && d.open >= 200_000 && d.events >= 10e6,
    },
    { measure: "database size", result: `${f(d.size / 2 ** 30, 2)} GB`, target: "", met: null },
    {
      measure: `HTTP ingestion at start (${M(i.start.storedBefore)} → ${M(i.start.storedAfter)} stored)`,
      result: `${f(i.start.eventsPerSecond)} events/s (batch ${ms(i.start.batch)}; ${refusals(i.start)})`,
      target: "",
      met: null,
    },
    {
      measure: `HTTP ingestion at end (${M(i.end.storedBefore)} → ${M(i.end.storedAfter)} stored)`,
      result: `${f(i.end.eventsPerSecond)} events/s (batch ${ms(i.end.batch)}; ${refusals(i.end)})`,
      target: "at ≥ 5 M stored",
      met: i.end.storedBefore >= 5e6,
    },
    {
      measure: "ingestion, end ÷ start",
      result: `${f(i.ratioEndToStart, 2)}×`,
      target: "≥ 0.8×",
      met: i.ratioEndToStart >= 0.8,
    },
    {
      measure: "raw multi-row INSERTs of the start's rows",
      result: `${f(i.raw.rowsPerSecond)} rows/s`,
      target: "",
      met: null,
    },
    {
      measure: "raw INSERT ÷ HTTP ingestion (start)",
      result: `${f(i.ratioRawToHttp, 2)}×`,
      target: "≤ 3×",
      met: i.ratioRawToHttp <= 3,
    },
  ];
  for (const read of r.reads) {
    const target = READ_TARGETS.find(([p]) => read.label.startsWith(p))?.[1];
    out.push({
      measure: read.label,
      result: read.error
        ? `error: ${read.error}`
        : ms(read.ms) + (read.bytes ? ` (${f(read.bytes / 1024)} KB)` : ""),
      target: target === undefined ? "" : `p95 < ${f(target)} ms`,
      met: target === undefined ? null : !read.error && read.ms.p95 < target,
    });
  }
  out.push({
    measure: `midnight ${m.day} 00:00 (scheduler)`,
    result: `${f(m.applied)} of ${f(m.due)} due (${f(m.openCases)} open) in ${f(m.seconds, 1)} s = ${
      f(m.casesPerSecond)
    } cases/s`,
    target: "≥ 3,000 cases/s",
    met: m.applied === m.due && m.casesPerSecond >= 3000,
  });
  if (r.sse) out.push(...sseMeasures(r.sse));
  out.push({
    measure: "bulk copies in PostgreSQL (not measured ingestion)",
    result: `${i.bulk.copies} copies on ${i.bulk.streams} connections: ${f(i.bulk.copySeconds)} s, indexes ${
      f(i.bulk.indexSeconds)
    } s, vacuum ${f(i.bulk.vacuumSeconds)} s`,
    target: "",
    met: null,
  });
  out.push({
    measure: "run time; load average (1 min) during it",
    result: `${f(r.minutes, 1)} min; ${f(r.loadAverage.min, 1)}–${f(r.loadAverage.max, 1)} (median ${
      f(r.loadAverage.p50, 1)
    }) on ${navigator.hardwareConcurrency} cores`,
    target: "< 30 min",
    met: r.minutes < 30,
  });
  return out;
}

function sseMeasures(s: SseMemoryResult): Measure[] {
  const kb = (b: number) => `${f(b / 1024, 1)} KB`;
  const ratio = s.hub.rssPerConnection / s.floor.rssPerConnection;
  const h = s.fanout.hub, load = s.fanout.load;
  return [
    {
      measure: `RSS per SSE connection at ${f(s.connections)}: hub ÷ bare Deno.serve`,
      result: `${kb(s.hub.rssPerConnection)} ÷ ${kb(s.floor.rssPerConnection)} = ${f(ratio, 2)}× (marginal, ${
        f(s.connections / 2)
      } → ${f(s.connections)} streams: ${f(s.hubToFloorMarginal, 2)}×; naive streamSSE ${
        kb(s.naive.rssPerConnection)
      })`,
      target: "≤ 1.2×",
      met: ratio <= 1.2,
    },
    {
      measure: `alert commit → all ${f(s.connections)} streams under steady ingestion (${h.rounds} rounds)`,
      result:
        (h.allReachedMs.n > 0
          ? `last stream: p50 ${f(h.allReachedMs.p50)} ms, max ${f(h.allReachedMs.max)} ms`
          : `no round reached every stream`) +
        `; each stream: p50 ${f(h.arrivalMs.p50)} ms; ${f(h.lost)} of ${
          f(h.rounds * h.streams)
        } not arrived; ` +
        `load ${f(load.eventsPerSecond)} events/s achieved through the API (${f(load.refused)} refused, ` +
        `${f(load.lateBatches)} batches late); bare Deno.serve: p50 ${
          f(s.fanout.floor.allReachedMs.p50)
        } ms` +
        (s.loadAverage ? `; load average ${f(s.loadAverage.p50, 1)}` : ""),
      target: `all within 1 s at ${f(load.targetPerSecond)} events/s`,
      met: h.lost === 0 && h.allReachedMs.max <= 1000 && load.eventsPerSecond >= 0.95 * load.targetPerSecond,
    },
  ];
}

/** The printed table: measure, result, target, met? */
export function render(r: ScaleResult): string {
  const rows = measures(r).map((
    m,
  ) => [m.measure, m.result, m.target || "—", m.met === null ? "—" : m.met ? "yes" : "NO"]);
  return grid("监察台 bench:scale (PostgreSQL 15, 127.0.0.1)", [
    ["measure", "result", "target", "met?"],
    ...rows,
  ]);
}

/** The same table in Markdown, for the README and notes. */
export function markdown(r: ScaleResult): string {
  const rows = measures(r).map((m) =>
    `| ${m.measure} | ${m.result} | ${m.target || "—"} | ${m.met === null ? "—" : m.met ? "yes" : "**no**"} |`
  );
  return ["| measure | result | target | met? |", "|---|---|---|---|", ...rows].join("\n");
}
