/**
 * The order in which `live_feed` rows reach the streams: strictly by id, without gaps. A gap in the
 * ids is a transaction that took its id but has not committed yet; it is waited for briefly (so that
 * a connection never sees a smaller id after a larger one), then skipped as rolled back.
 *
 * Also the position half of the stream's message ids: a `counts` message is stamped with the feed
 * position it follows and a sequence number that restarts at every row (server/live/sse.ts).
 *
 * Pure: no I/O; the time source is injected.
 *
 * @module
 */
import { countsId } from "./sse.ts";

/** Tracks the feed position, a gap being waited for, and the counts sequence at the position. */
export class FeedOrder {
  readonly #gapWaitMs: number;
  readonly #now: () => number;
  #position = 0;
  #seq = 0;
  #gap: { id: number; since: number } | null = null;

  /**
   * @param gapWaitMs How long a gap in the ids is waited for before it is skipped.
   * @param now Milliseconds of a monotonic clock (default `performance.now`).
   */
  constructor(gapWaitMs: number, now: () => number = () => performance.now()) {
    this.#gapWaitMs = gapWaitMs;
    this.#now = now;
  }

  /** The id of the last row delivered. */
  get position(): number {
    return this.#position;
  }

  /** Whether a gap is being waited for (the next read must look again even without a change). */
  get waiting(): boolean {
    return this.#gap !== null;
  }

  /** Start at `position` (the newest row when the hub starts). */
  startAt(position: number): void {
    this.#position = position;
    this.#seq = 0;
    this.#gap = null;
  }

  /**
   * Of `rows` (ascending ids after the position), the prefix that may be delivered now; the position
   * moves to its last id. Stops at a gap still within its wait.
   */
  take<T extends { id: number }>(rows: readonly T[]): T[] {
    const out: T[] = [];
    for (const row of rows) {
      if (row.id !== this.#position + 1) {
        const missing = this.#position + 1;
        if (this.#gap?.id !== missing) this.#gap = { id: missing, since: this.#now() };
        if (this.#now() - this.#gap.since < this.#gapWaitMs) break;
      }
      this.#gap = null;
      this.#position = row.id;
      this.#seq = 0;
      out.push(row);
    }
    return out;
  }

  /** The id of the next counts message at the current position. */
  nextCountsId(): string {
    return countsId(this.#position, ++this.#seq);
  }
}
