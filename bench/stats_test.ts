import assert from "node:assert/strict";
import { SseParser } from "./sse.ts";
import { grid, percentile, summarize } from "./stats.ts";

Deno.test("percentile() uses the nearest rank: p50 of 1..10 is 5, p99 is 10", () => {
  const xs = Array.from({ length: 10 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 5);
  assert.equal(percentile(xs, 99), 10);
  assert.equal(percentile(xs, 10), 1);
});

Deno.test("summarize() sorts its sample and reports mean and extremes", () => {
  const s = summarize([30, 10, 20]);
  assert.deepEqual([s.n, s.min, s.p50, s.max, s.mean], [3, 10, 20, 30, 20]);
});

Deno.test("SseParser joins messages split across chunks and skips comments and retry", () => {
  const p = new SseParser();
  assert.deepEqual(p.push("retry: 3000\n\n: ping\n\nevent: alert\nid: 7\nda"), []);
  assert.deepEqual(p.push('ta: {"case":"C1"}\n\nevent: counts\r\ndata: {}\r\n\r\n'), [
    { event: "alert", id: "7", data: '{"case":"C1"}' },
    { event: "counts", id: null, data: "{}" },
  ]);
});

Deno.test("grid() pads each column to its widest cell, CJK characters counting two columns", () => {
  assert.equal(
    grid("T", [["省级", "1 ms", "yes"], ["hall", "≥ 2 →", "no"]]),
    "T\n  省级  1 ms   yes\n  hall  ≥ 2 →  no",
  );
});
