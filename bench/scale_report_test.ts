import assert from "node:assert/strict";
import { markdown, measures, type ScaleResult } from "./scale_report.ts";
import { summarize } from "./stats.ts";

const ingest = (eventsPerSecond: number, storedBefore: number, ms: number[]) => ({
  events: 1000,
  stored: 1000,
  refused: 0,
  seconds: 1000 / eventsPerSecond,
  eventsPerSecond,
  batchMs: ms,
  batch: summarize(ms),
  storedBefore,
  storedAfter: storedBefore + 1000,
});

/** A run that meets every target; each test spoils one figure. */
function run(): ScaleResult {
  return {
    at: "2026-12-01T15:15:00Z",
    minutes: 25,
    loadAverage: summarize([10, 20]),
    dataSet: { cases: 1_250_000, open: 250_000, events: 10_200_000, alerts: 1e6, size: 8 * 2 ** 30 },
    ingest: {
      start: ingest(1000, 0, [100, 200]),
      end: ingest(900, 10_100_000, [110, 220]),
      ratioEndToStart: 0.9,
      raw: { rows: 1000, seconds: 0.4, rowsPerSecond: 2500 },
      ratioRawToHttp: 2.5,
      bulk: { copies: 99, streams: 3, copySeconds: 400, indexSeconds: 60, vacuumSeconds: 50, seconds: 510 },
    },
    reads: [
      { label: "province SSE snapshot", path: "/api/v1/stream", ms: summarize([50, 150]) },
      { label: "monthly rankings, all departments", path: "/r", ms: summarize([900, 1900]) },
      { label: "rankings CSV export", path: "/r.csv", ms: summarize([5000]) },
    ],
    midnight: {
      day: "2026-12-02",
      midnight: "2026-12-01T16:00:01Z",
      due: 20_000,
      applied: 20_000,
      seconds: 5,
      casesPerSecond: 4000,
      openCases: 250_000,
    },
    sse: null,
  };
}

const met = (r: ScaleResult) => Object.fromEntries(measures(r).map((m) => [m.measure.split(" (")[0], m.met]));

Deno.test("a run meeting every target is met on every row with a target, and rows without one are null", () => {
  const rows = measures(run());
  assert.ok(rows.filter((m) => m.target).every((m) => m.met === true));
  assert.ok(rows.filter((m) => !m.target).every((m) => m.met === null));
  assert.equal(rows.find((m) => m.measure === "rankings CSV export")?.met, null);
});

Deno.test("reads are judged by their p95: a rankings p95 of 2 s or more misses its target", () => {
  const r = run();
  r.reads[1].ms = summarize([100, 2000]);
  assert.equal(met(r)["monthly rankings, all departments"], false);
});

Deno.test("the data set misses when any of cases, open cases or events is below the issue's size", () => {
  const r = run();
  r.dataSet.events = 9_900_000;
  assert.equal(met(r)["data set in PostgreSQL"], false);
});

Deno.test("the end window must start at 5 M stored, and the midnight must apply every due case", () => {
  const r = run();
  r.ingest.end.storedBefore = 4_000_000;
  r.midnight.applied = 19_999;
  const m = met(r);
  assert.equal(Object.entries(m).find(([k]) => k.startsWith("HTTP ingestion at end"))?.[1], false);
  assert.equal(Object.entries(m).find(([k]) => k.startsWith("midnight"))?.[1], false);
});

Deno.test("the Markdown table has a header, a rule and one line per measure, a miss in bold", () => {
  const r = run();
  r.ingest.ratioRawToHttp = 5;
  const lines = markdown(r).split("\n");
  assert.equal(lines[0], "| measure | result | target | met? |");
  assert.equal(lines.length, 2 + measures(r).length);
  assert.ok(
    lines.some((l) => l.startsWith("| raw INSERT ÷ HTTP ingestion (start) | 5.00× | ≤ 3× | **no** |")),
  );
});

Deno.test("the fan-out is met only when every stream got every alert within 1 s while the load held", () => {
  const variant = (perConnection: number) => ({
    connections: 10_000,
    rssIdle: 0,
    rssOpen: perConnection * 10_000,
    heapIdle: 0,
    heapOpen: 0,
    heapTotalIdle: 0,
    heapTotalOpen: 0,
    rssPerConnection: perConnection,
    heapPerConnection: 0,
    rssMarginal: perConnection,
    connectSeconds: 1,
  });
  const fanout = (max: number) => ({
    rounds: 5,
    streams: 10_000,
    allReachedMs: summarize([300, max]),
    arrivalMs: summarize([max]),
    commitMs: summarize([2]),
    lost: 0,
    each: [],
  });
  const load = {
    targetPerSecond: 200,
    events: 6000,
    seconds: 30,
    eventsPerSecond: 200,
    refused: 0,
    failedBatches: 0,
    batchSize: 100,
    lateBatches: 0,
    batchMs: summarize([50]),
  };
  const r = run();
  r.sse = {
    connections: 10_000,
    clientProcesses: 4,
    hub: variant(60_000),
    naive: variant(70_000),
    floor: variant(55_000),
    ratio: 70 / 60,
    hubToFloor: 60 / 55,
    hubToFloorMarginal: 60 / 55,
    fanout: { load, hub: fanout(900), floor: fanout(100) },
    loadAverage: summarize([1.5]),
  };
  const fan = () => measures(r).find((m) => m.measure.startsWith("alert commit → all"))!;
  assert.equal(fan().met, true);
  r.sse.fanout.hub = fanout(1200);
  assert.equal(fan().met, false);
  r.sse.fanout.hub = fanout(900);
  r.sse.fanout.load = { ...load, eventsPerSecond: 150 };
  assert.equal(fan().met, false, "a fan-out measured while the load fell short does not count");
  assert.equal(measures(r).find((m) => m.measure.startsWith("RSS per SSE"))?.met, true);
  r.sse.fanout.hub = { ...fanout(900), allReachedMs: summarize([]), lost: 12 };
  assert.match(
    fan().result,
    /no round reached every stream; each stream: p50 900 ms; 12 of 50,000 not arrived/,
  );
});
