/**
 * The hall's clock: date and a ticking time, in Shanghai time.
 *
 * @module
 */
import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { formatDate, formatTime } from "./format.ts";

/** Date and time, updated on each second. */
export function WallClock({ initialMs }: { initialMs: number }) {
  const now = useSignal(initialMs);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Re-aim at the next second boundary each tick so the seconds never drift or skip.
    const tick = () => {
      now.value = Date.now();
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
