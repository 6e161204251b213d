/**
 * Summaries and the printed table of the benchmark.
 *
 * @module
 */

/** Percentiles and extremes of a sample, in its unit. */
export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The nearest-rank percentile of an ascending sample (p in (0, 100]). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Summarise a sample. */
export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    min: sorted[0] ?? NaN,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    mean: sorted.length ? sum / sorted.length : NaN,
  };
}

/** A two-column text table with a title. */
export function table(title: string, rows: [string, string][]): string {
  return grid(title, rows);
}

/** A text table with a title: every column padded to its widest cell (the last one is not padded). */
export function grid(title: string, rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))));
  const pad = (c: string, i: number, last: boolean) => last ? c : c + " ".repeat(widths[i] - displayWidth(c));
  const lines = rows.map((r) => "  " + r.map((c, i) => pad(c, i, i === r.length - 1)).join("  ").trimEnd());
  return [title, ...lines].join("\n");
}

/** East Asian wide characters: Hangul Jamo, CJK, Hangul syllables, compatibility and full-width forms. */
const WIDE = /[\u1100-\u115F\u2E80-\u9FFF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/;

/** Columns a string takes in a terminal (CJK characters take two, arrows and signs one). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += WIDE.test(ch) ? 2 : 1;
  return w;
}
