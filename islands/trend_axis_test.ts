import assert from "node:assert/strict";
import {
  countLabels,
  countRange,
  MIN_SPAN_S,
  TIME_INCRS,
  timeLabels,
  timeRange,
  trendColumns,
} from "./trend_axis.ts";

// 2024-10-17 10:31:00 in Asia/Shanghai, in seconds.
const T = Date.parse("2024-10-17T10:31:00+08:00") / 1000;

Deno.test("timeLabels() shows the Shanghai time of each tick, not midnight", () => {
  assert.deepEqual(timeLabels([T, T + 60, T + 300, T + 3600]), ["10:31", "10:32", "10:36", "11:31"]);
  assert.deepEqual(timeLabels([NaN]), [""]);
});

Deno.test("timeRange() with no samples shows the last five minutes up to now", () => {
  assert.deepEqual(timeRange([], T), [T - MIN_SPAN_S, T]);
});

Deno.test("timeRange() with a single sample still spans five minutes ending now, not a day", () => {
  assert.deepEqual(timeRange([T], T), [T - MIN_SPAN_S, T]);
  assert.deepEqual(timeRange([T], T + 120), [T + 120 - MIN_SPAN_S, T + 120]);
});

Deno.test("timeRange() after twenty minutes reaches back to the first sample", () => {
  assert.deepEqual(timeRange([T, T + 600, T + 1200], T + 1210), [T, T + 1210]);
});

Deno.test("every tick step is a whole number of minutes, so HH:MM labels cannot repeat", () => {
  for (const incr of TIME_INCRS) assert.equal(incr % 60, 0);
  const labels = timeLabels(TIME_INCRS.slice(0, 3).map((i) => T + i));
  assert.equal(new Set(labels).size, labels.length);
});

Deno.test("countLabels() labels whole numbers only; countRange() starts at 0 with headroom", () => {
  assert.deepEqual(countLabels([0, 2.5, 5]), ["0", "", "5"]);
  assert.deepEqual(countRange(null), [0, 4]);
  assert.deepEqual(countRange(20), [0, 25]);
});

Deno.test("trendColumns() carries the last figures forward to now", () => {
  const h = { at: [T, T + 60], warnings: [3, 5], red: [0, 1] };
  assert.deepEqual(trendColumns(h, T + 300), [[T, T + 60, T + 300], [3, 5, 5], [0, 1, 1]]);
  assert.deepEqual(trendColumns(h, T + 60), [[T, T + 60], [3, 5], [0, 1]]);
  assert.deepEqual(trendColumns({ at: [], warnings: [], red: [] }, T), [[], [], []]);
});
