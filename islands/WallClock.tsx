/**
 * The hall's clock: date and a ticking time, in Shanghai time.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatDate, formatTime } from "./format.ts";

/** Offsets smaller than this are network latency, not a wrong clock. */
const SKEW_TOLERANCE_MS = 5_000;

/** How far the display's clock is off the server's, judged from the page's render instant. */
export function clockOffset(serverMs: number, localMs: number): number {
  const offset = serverMs - localMs;
  return Math.abs(offset) > SKEW_TOLERANCE_MS ? offset : 0;
}

/** Date and time, updated on each second; the server's time when the display's own clock is off. */
export function WallClock({ initialMs }: { initialMs: number }) {
  const now = useSignal(initialMs);
  useEffect(() => {
    const offset = clockOffset(initialMs, Date.now());
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Re-aim at the next second boundary each tick so the seconds never drift or skip.
    const tick = () => {
      now.value = Date.now() + offset;
      timer = setTimeout(tick, 1000 - (now.value % 1000) + 5);
    };
    tick();
    return () => clearTimeout(timer);
  }, []);
  return (
    <div class="wall-clock">
      <div class="wall-clock-date">{formatDate(now.value)}</div>
      <div class="wall-clock-time">{formatTime(now.value)}</div>
    </div>
  );
}
