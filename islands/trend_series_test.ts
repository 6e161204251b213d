import assert from "node:assert/strict";
import type { WallTrend } from "../server/live/wire.ts";
import { nextReloadAt, RETRY_MS, scheduleDailyReload } from "./daily_reload.ts";
import { dayColumns, dayLabels, hourColumns, hourLabels, shouldRefetch, slotRange } from "./trend_series.ts";

const trend: WallTrend = {
  at: "2026-12-01T10:30:00+08:00",
  today: "2026-12-01",
  hours: {
    hour: Array.from({ length: 24 }, (_, h) => h),
    warnings: Array.from({ length: 24 }, (_, h) => h),
    reds: Array.from({ length: 24 }, () => 0),
    completed: Array.from({ length: 24 }, () => 1),
  },
  days: {
    date: Array.from(
      { length: 30 },
      (_, i) => `2026-11-${String(i + 2).padStart(2, "0")}`.replace("2026-11-31", "2026-12-01"),
    ),
    warnings: Array.from({ length: 30 }, () => 2),
    reds: Array.from({ length: 30 }, () => 0),
    completed: Array.from({ length: 30 }, (_, i) => i),
  },
};

Deno.test("the trend's x axis leaves half a slot at each end, so the first label clears the count axis' 0", () => {
  assert.deepEqual(slotRange(24), [-0.5, 23.5]);
  assert.deepEqual(hourLabels([-0.5, 0, 1, 2, 3, 23.5]), ["", "0时", "", "", "3时", ""]);
  // Day labels count back from today (the last slot), every fifth day.
  const labels = dayLabels([0, 4, 24, 29], trend.days.date);
  assert.deepEqual(labels, ["", "11-06", "11-26", "12-01"]);
});

Deno.test("today's columns stop at the current hour; the 30 days are all there", () => {
  const [x, w, r, c] = hourColumns(trend, 10);
  assert.equal(x.length, 11);
  assert.equal(w.at(-1), 10);
  assert.equal(r.length, 11);
  assert.equal(c.length, 11);
  assert.equal(dayColumns(trend)[0].length, 30);
});

Deno.test("shouldRefetch: on a change after the minimum gap, or when the figures are old", () => {
  assert.equal(shouldRefetch(0, 10_000, true), false);
  assert.equal(shouldRefetch(0, 30_000, true), true);
  assert.equal(shouldRefetch(0, 200_000, false), false);
  assert.equal(shouldRefetch(0, 300_000, false), true);
});

Deno.test("nextReloadAt: 04:00 Beijing time, at least an hour ahead", () => {
  const at = (s: string) => Date.parse(s);
  assert.equal(nextReloadAt(at("2026-12-01T10:00:00+08:00")), at("2026-12-02T04:00:00+08:00"));
  assert.equal(nextReloadAt(at("2026-12-01T02:00:00+08:00")), at("2026-12-01T04:00:00+08:00"));
  assert.equal(nextReloadAt(at("2026-12-01T03:30:00+08:00")), at("2026-12-02T04:00:00+08:00"));
  assert.equal(nextReloadAt(at("2026-12-01T02:00:00+08:00"), 60_000), at("2026-12-01T04:01:00+08:00"));
});

Deno.test("the daily reload waits for the server: no answer, no reload, ask again later", async () => {
  const timers: { fn: () => void; ms: number }[] = [];
  let answers = [false, true];
  let reloaded = 0;
  const stop = scheduleDailyReload({
    probe: () => Promise.resolve(answers.shift()!),
    reload: () => reloaded++,
    now: () => Date.parse("2026-12-01T10:00:00+08:00"),
    random: () => 0,
    setTimer: (fn, ms) => timers.push({ fn, ms }),
    clearTimer: () => {},
  });
  assert.equal(timers[0].ms, 18 * 3_600_000);
  timers[0].fn();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(reloaded, 0);
  assert.equal(timers[1].ms, RETRY_MS);
  timers[1].fn();
  await Promise.resolve();
  await Promise.resolve();
  assert.equal(reloaded, 1);
  stop();
  answers = [];
});
