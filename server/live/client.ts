/**
 * One live stream's writer: a `ReadableStream` whose queue is bounded in bytes. Sending never waits;
 * a client whose unread bytes grow past the bound (it stopped reading) is dropped with an error, so a
 * slow or dead client never holds up the others.
 *
 * @module
 */

/** The error a client gets when it is dropped for not reading. */
export const TOO_SLOW = "live stream client too slow: dropped";

/** A client of the hub: its stream, and the only ways to write to or end it. */
export class LiveClient {
  /** The bytes the client reads. */
  readonly stream: ReadableStream<Uint8Array>;
  readonly #ctrl: ReadableStreamDefaultController<Uint8Array>;
  readonly #maxQueueBytes: number;
  readonly #onClose: (client: LiveClient) => void;
  #closed = false;

  /**
   * @param maxQueueBytes Bytes the client may have unread before it is dropped.
   * @param onClose Called once when the client ends for any reason (dropped, closed, cancelled by
   *   the reader), before its stream is closed.
   */
  constructor(maxQueueBytes: number, onClose: (client: LiveClient) => void) {
    this.#maxQueueBytes = maxQueueBytes;
    this.#onClose = onClose;
    let ctrl: ReadableStreamDefaultController<Uint8Array> | undefined;
    this.stream = new ReadableStream<Uint8Array>({
      start: (c) => {
        ctrl = c;
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0, size: (chunk) => chunk.byteLength });
    this.#ctrl = ctrl!;
  }

  /** Whether the client has ended. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Queue a chunk; drops the client when its queue is past the bound. No-op once closed. */
  send(chunk: Uint8Array): void {
    if (this.#closed) return;
    try {
      this.#ctrl.enqueue(chunk);
    } catch {
      return this.close();
    }
    if ((this.#ctrl.desiredSize ?? 0) < -this.#maxQueueBytes) this.close(new Error(TOO_SLOW));
  }

  /** End the client: with `error`, its unread queue is discarded; otherwise the stream closes after it. */
  close(error: Error | null = null): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#onClose(this);
    try {
      if (error) this.#ctrl.error(error);
      else this.#ctrl.close();
    } catch {
      // Already closed or cancelled by the reader.
    }
  }
}
