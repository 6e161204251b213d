/**
 * The wall screen's server trend as uPlot columns and labels, free of uPlot so it can be tested.
 * The x axis is an index (hour 0–23, or day 0–29) with half a step of room at each end, so the first
 * label never sits under the count axis' "0".
 *
 * @module
 */
import type { WallTrend } from "../server/live/wire.ts";

/** The x range `[−0.5, n − 0.5]` of `n` slots. */
export function slotRange(n: number): [number, number] {
  return [-0.5, Math.max(0, n - 1) + 0.5];
}

/** Hour labels every `step` hours (`0时`, `3时`…); other ticks empty. */
export function hourLabels(splits: readonly number[], step = 3): string[] {
  return splits.map((s) => (Number.isInteger(s) && s >= 0 && s < 24 && s % step === 0 ? `${s}时` : ""));
}

/** Day labels `MM-DD` every `step` days counted back from today (the last slot); others empty. */
export function dayLabels(splits: readonly number[], dates: readonly string[], step = 5): string[] {
  const last = dates.length - 1;
  return splits.map((s) =>
    Number.isInteger(s) && s >= 0 && s <= last && (last - s) % step === 0 ? dates[s].slice(5) : ""
  );
}

/** Today's columns up to the current hour (later hours have not happened: left out, not zero). */
export function hourColumns(t: WallTrend, nowHour: number): [number[], number[], number[], number[]] {
  const n = Math.min(24, Math.max(1, nowHour + 1));
  const cut = (a: number[]) => a.slice(0, n);
  return [cut(t.hours.hour), cut(t.hours.warnings), cut(t.hours.reds), cut(t.hours.completed)];
}

/** The 30 days' columns. */
export function dayColumns(t: WallTrend): [number[], number[], number[], number[]] {
  return [t.days.date.map((_, i) => i), [...t.days.warnings], [...t.days.reds], [...t.days.completed]];
}

/** Whether a fresh trend should be fetched: figures changed and the last fetch is old enough. */
export function shouldRefetch(
  lastFetchMs: number,
  nowMs: number,
  changed: boolean,
  minGapMs = 30_000,
  maxAgeMs = 300_000,
): boolean {
  const age = nowMs - lastFetchMs;
  return age >= maxAgeMs || (changed && age >= minGapMs);
}
