/**
 * A minimal server-sent events client for the benchmark: parses `text/event-stream` incrementally
 * and hands each message (event name, id, data) to a callback, stamped with its arrival time.
 *
 * @module
 */

/** One parsed message. Comment lines (`: ping`) and `retry:` produce none. */
export interface SseMessage {
  event: string;
  id: string | null;
  data: string;
}

/** An incremental parser: push text chunks, get the messages they complete. */
export class SseParser {
  #buf = "";

  push(chunk: string): SseMessage[] {
    this.#buf += chunk.replaceAll("\r\n", "\n");
    const out: SseMessage[] = [];
    let end: number;
    while ((end = this.#buf.indexOf("\n\n")) >= 0) {
      const block = this.#buf.slice(0, end);
      this.#buf = this.#buf.slice(end + 2);
      let event = "message";
      let id: string | null = null;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line === "" || line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "event") event = value;
        else if (field === "id") id = value;
        else if (field === "data") data.push(value);
      }
      if (data.length) out.push({ event, id, data: data.join("\n") });
    }
    return out;
  }
}

/** An open stream; `close()` aborts it and waits for the reader to end. */
export interface SseConnection {
  close(): Promise<void>;
}

/** Connect and read in the background; resolves once the response headers arrived (status 200). */
export async function openSse(
  url: string,
  headers: Record<string, string>,
  onMessage: (m: SseMessage, arrivedAt: number) => void,
): Promise<SseConnection> {
  const abort = new AbortController();
  const res = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream: HTTP ${res.status} ${await res.text()}`);
  const parser = new SseParser();
  const reading = (async () => {
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const now = performance.now();
        for (const m of parser.push(value)) onMessage(m, now);
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    }
  })();
  return {
    close: async () => {
      abort.abort();
      await reading.catch(() => {});
    },
  };
}
