/**
 * The trend chart's time axis, free of uPlot so it can be tested: the visible span, the tick steps and
 * their labels, and the columns with the last figures carried forward to now.
 *
 * uPlot's x scale is in Unix seconds. Left to itself, uPlot stretches a single sample over a whole day
 * (`max = min + 86400`), so its ticks land on midnight and every label read "00:00"; and the stream only
 * sends figures when they change, so a quiet hall keeps a single sample for hours. Hence the span is
 * computed here from the data and the current time, never from uPlot's guess.
 *
 * @module
 */
import type { History } from "./wall_state.ts";
import { formatShortTime } from "./format.ts";

/** The narrowest span shown, so the first samples do not stretch across the whole chart. */
export const MIN_SPAN_S = 5 * 60;

/** Tick steps in seconds: whole minutes only, so `HH:MM` labels never repeat. */
export const TIME_INCRS = [60, 120, 300, 600, 900, 1800, 3600, 7200, 3 * 3600, 6 * 3600];

/** The x range `[from, to]` in seconds: ends now (or at the last sample), at least `MIN_SPAN_S` wide. */
export function timeRange(at: ArrayLike<number>, nowS: number): [number, number] {
  const last = at.length > 0 ? at[at.length - 1] : nowS;
  const to = Math.max(last, nowS);
  const first = at.length > 0 ? at[0] : to;
  return [Math.min(first, to - MIN_SPAN_S), to];
}

/** Tick labels: `HH:MM` in Asia/Shanghai for tick positions in seconds. */
export function timeLabels(splits: readonly number[]): string[] {
  return splits.map((s) => (Number.isFinite(s) ? formatShortTime(s * 1000) : ""));
}

/** Count-axis labels: whole numbers only. */
export function countLabels(splits: readonly number[]): string[] {
  return splits.map((s) => (Number.isInteger(s) ? String(s) : ""));
}

/** The y range: from 0, with headroom above the highest figure. */
export function countRange(max: number | null): [number, number] {
  return [0, Math.max(4, Math.ceil((max ?? 0) * 1.25))];
}

/**
 * The history as uPlot columns, with the last figures repeated at `nowS`: the stream sends figures
 * only when they change, so they held until now, and the line reaches the right edge.
 */
export function trendColumns(h: History, nowS: number): [number[], number[], number[]] {
  const n = h.at.length;
  if (n === 0 || h.at[n - 1] >= nowS) return [[...h.at], [...h.warnings], [...h.red]];
  return [[...h.at, nowS], [...h.warnings, h.warnings[n - 1]], [...h.red, h.red[n - 1]]];
}
