/**
 * A task run on request at a bounded rate: at once when its last run is at least `ms` old (the first
 * change after a quiet spell goes out immediately), otherwise at that moment; one run at a time, and
 * a request during a run schedules one more. The hub runs its two passes on two cadences: the feed
 * (alerts, short) and the counts (coalesced, about once a second).
 *
 * @module
 */

/** Runs one task, never twice at once and never more often than every `ms` when driven by requests. */
export class Cadence {
  readonly #ms: number;
  readonly #task: () => Promise<void>;
  readonly #onError: (err: unknown) => void;
  #lastAt = -Infinity;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;

  /**
   * @param ms Least time between the starts of two requested runs; 0 = requests do nothing (tests
   *   call {@linkcode run}).
   * @param onError Called with a run's error (the task is run again on the next request).
   */
  constructor(ms: number, task: () => Promise<void>, onError: (err: unknown) => void) {
    this.#ms = ms;
    this.#task = task;
    this.#onError = onError;
  }

  /** Ask for a run: now, or when the interval since the last run's start has passed. */
  request(): void {
    if (this.#ms <= 0 || this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastAt + this.#ms - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.run();
    }, wait);
  }

  /** Run now, after a run in progress; resolves when this run has ended (errors go to `onError`). */
  async run(): Promise<void> {
    while (this.#running) await this.#running;
    if (this.#stopped) return;
    this.#lastAt = performance.now();
    this.#running = this.#task().catch(this.#onError).finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        this.request();
      }
    });
    await this.#running;
  }

  /** No more runs; waits for one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }
}
