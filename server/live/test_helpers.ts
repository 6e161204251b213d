/**
 * Test helpers for live streams: an SSE reader over a byte stream, and a small reference world.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";

/** One parsed SSE message (or comment). */
export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  comment?: string;
}

/** Reads SSE messages from a stream, one at a time, with a timeout. */
export class SseReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  readonly #decoder = new TextDecoder();
  #buffer = "";
  #pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  done = false;

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.getReader();
  }

  /** The next message, or null when none arrives within `timeoutMs` or the stream ended. */
  async next(timeoutMs = 2000): Promise<SseMessage | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseBlock(block);
      }
      if (this.done) return null;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      this.#pending ??= this.#reader.read();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<"timeout">((r) => timer = setTimeout(() => r("timeout"), left));
      const got = await Promise.race([this.#pending, timeout]);
      clearTimeout(timer);
      if (got === "timeout") return null;
      this.#pending = null;
      if (got.done) this.done = true;
      else this.#buffer += this.#decoder.decode(got.value, { stream: true });
    }
  }

  /** Every message until `timeoutMs` passes without one. */
  async drain(timeoutMs = 300): Promise<SseMessage[]> {
    const out: SseMessage[] = [];
    for (let m = await this.next(timeoutMs); m; m = await this.next(timeoutMs)) out.push(m);
    return out;
  }

  /** Stop reading (the consumer goes away). */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

function parseBlock(block: string): SseMessage {
  const m: SseMessage = {};
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) m.comment = line.slice(1).trim();
    else if (line.startsWith("id: ")) m.id = line.slice(4);
    else if (line.startsWith("event: ")) m.event = line.slice(7);
    else if (line.startsWith("data: ")) m.data = line.slice(6);
    else if (line.startsWith("retry: ")) m.retry = Number(line.slice(7));
  }
  return m;
}

/**
 * Regions 410000 ⊃ 410100 ⊃ 410102 and 410300; departments D1 (410100), D2 (410102), D3 (410300);
 * hall H1 (410102).
 */
export async function seedReference(db: Tx): Promise<void> {
  await db.execute(sql`insert into regions (code, name, parent) values
    ('410000', '河南省', null), ('410100', '郑州市', '410000'), ('410102', '中原区', '410100'),
    ('410300', '洛阳市', '410000')`);
  await db.execute(sql`insert into departments (code, name, region) values
    ('D1', '郑州市市场监督管理局', '410100'), ('D2', '中原区民政局', '410102'), ('D3', '洛阳市公安局', '410300')`);
  await db.execute(sql`insert into halls (code, name, region) values ('H1', '中原区政务服务大厅', '410102')`);
}

/** Insert an alert row into live_feed; returns its id. */
export async function insertAlert(
  db: Tx,
  place: { department: string; hall?: string | null; region: string },
  caseId: string,
  extra = "",
): Promise<number> {
  const payload = {
    case: caseId,
    rule: "8.1",
    name: "超期预警",
    level: "warning",
    on: "2024-10-15",
    department: place.department,
    item: "I1",
    applicant: "张*" + extra,
  };
  const result = await db.execute(sql`insert into live_feed (kind, department, hall, region, payload)
    values ('alert', ${place.department}, ${place.hall ?? null}, ${place.region}, ${
    JSON.stringify(payload)
  }::jsonb)
    returning id`);
  const rows = Array.isArray(result) ? result : (result as { rows: { id: number }[] }).rows;
  return Number(rows[0].id);
}

/** Add to a counter (creating it). */
export async function bump(
  db: Tx,
  key: { department: string; hall?: string; metric: string; rule?: string; day?: string },
  by = 1,
): Promise<void> {
  await db.execute(sql`insert into counters (department, hall, metric, rule, day, value)
    values (${key.department}, ${key.hall ?? ""}, ${key.metric}, ${key.rule ?? ""}, ${key.day ?? ""}, ${by})
    on conflict (department, hall, metric, rule, day) do update set value = counters.value + ${by}`);
}
