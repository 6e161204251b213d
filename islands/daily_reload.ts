/**
 * A wall screen runs for weeks: once a day, in the quiet of the night, it reloads itself — but only
 * when the server answers, so a screen never trades its last figures for an error page.
 *
 * @module
 */

/** The hour (Asia/Shanghai) the reload is due, and the spread so a hall's screens do not all reload at once. */
export const RELOAD_HOUR = 4;
export const RELOAD_SPREAD_MS = 30 * 60_000;
/** How long to wait before asking again when the server did not answer. */
export const RETRY_MS = 5 * 60_000;

const DAY_MS = 86_400_000;
const OFFSET_MS = 8 * 3_600_000;

/** Epoch ms of the next RELOAD_HOUR:00 Asia/Shanghai after `nowMs` (at least an hour ahead), plus `jitterMs`. */
export function nextReloadAt(nowMs: number, jitterMs = 0): number {
  const local = nowMs + OFFSET_MS;
  let at = Math.floor(local / DAY_MS) * DAY_MS + RELOAD_HOUR * 3_600_000;
  while (at - local < 3_600_000) at += DAY_MS;
  return at - OFFSET_MS + jitterMs;
}

/** Options of {@linkcode scheduleDailyReload}. */
export interface DailyReloadOptions {
  /** Resolves true when the server answers (e.g. `GET /healthz` is ok). */
  probe: () => Promise<boolean>;
  reload: () => void;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => number;
  clearTimer?: (id: number) => void;
}

/** Schedule the reload; returns a function that cancels it. */
export function scheduleDailyReload(opts: DailyReloadOptions): () => void {
  const now = opts.now ?? Date.now;
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms) as unknown as number);
  const clearTimer = opts.clearTimer ?? ((id: number) => clearTimeout(id));
  let timer: number | null = null;
  let stopped = false;
  const attempt = async () => {
    if (stopped) return;
    let ok = false;
    try {
      ok = await opts.probe();
    } catch {
      ok = false;
    }
    if (stopped) return;
    if (ok) opts.reload();
    else timer = setTimer(attempt, RETRY_MS);
  };
  const t = now();
  timer = setTimer(
    attempt,
    nextReloadAt(t, Math.floor((opts.random ?? Math.random)() * RELOAD_SPREAD_MS)) - t,
  );
  return () => {
    stopped = true;
    if (timer !== null) clearTimer(timer);
  };
}
