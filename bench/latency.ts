/**
 * Event-to-screen latency: an SSE client on the whole province's stream, and single `accepted`
 * events POSTed at a steady rate for cases whose promise is one working day, so that each raises an
 * 8.1 warning at once. Measured from the POST's start to the `alert` message's arrival.
 *
 * @module
 */
import { shanghaiInstant } from "../rules/dates.ts";
import { hallCode } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
import type { BenchServer } from "./server.ts";
import { openSse } from "./sse.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the latency run saw. */
export interface LatencyRun {
  sent: number;
  lost: number;
  /** Event-to-alert times of the alerts that arrived, ms. */
  ms: number[];
  /** Response times of the POSTs, ms. */
  postMs: number[];
}

async function post(server: BenchServer, events: unknown[]): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: server.ingestAuth },
    body: JSON.stringify(events),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/events: HTTP ${res.status} ${body}`);
}

/** Run `rate × seconds` single-event POSTs at a steady rate and time each one's alert. */
export async function measureLatency(
  server: BenchServer,
  opts: { rate: number; seconds: number; waitMs?: number },
): Promise<LatencyRun> {
  const item = HENAN_ITEMS.find((i) => i.promisedDays === 1)!;
  const region = item.department.split("-")[0];
  const count = Math.max(1, Math.round(opts.rate * opts.seconds));
  const prefix = `LAT${Date.now().toString(36).toUpperCase()}`;
  const cases = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);
  const at = shanghaiInstant(Date.now() - 60_000);
  // Received (with complete data) beforehand: accepting one of these then raises 8.1 and nothing else.
  await post(
    server,
    cases.flatMap((c) => [
      {
        id: `${c}-r`,
        case: c,
        type: "received",
        at,
        item: item.code,
        channel: "hall",
        hall: hallCode(region),
        applicant: { name: "张伟", contact: "13800000000", kind: "person" },
      },
      { id: `${c}-m`, case: c, type: "materials_submitted", at, materials: item.materials.required },
    ]),
  );
  await sleep(2000); // let the hub deliver what that batch changed

  const started = new Map<string, number>();
  const latency = new Map<string, number>();
  const conn = await openSse(`${server.url}/api/v1/stream`, { cookie: server.readCookie }, (m, t) => {
    if (m.event !== "alert") return;
    const alert = JSON.parse(m.data) as { case: string; rule: string };
    const s = started.get(alert.case);
    if (alert.rule === "8.1" && s !== undefined && !latency.has(alert.case)) latency.set(alert.case, t - s);
  });
  try {
    await sleep(500);
    const postMs: number[] = [];
    const pending: Promise<void>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * 1000) / opts.rate - performance.now();
      if (wait > 0) await sleep(wait);
      const c = cases[i];
      const s = performance.now();
      started.set(c, s);
      const event = {
        id: `${c}-a`,
        case: c,
        type: "accepted",
        at: shanghaiInstant(Date.now()),
        handler: "李娜",
      };
      pending.push(post(server, [event]).then(() => void postMs.push(performance.now() - s)));
    }
    await Promise.all(pending);
    const deadline = performance.now() + (opts.waitMs ?? 5000);
    while (latency.size < count && performance.now() < deadline) await sleep(20);
    return { sent: count, lost: count - latency.size, ms: [...latency.values()], postMs };
  } finally {
    await conn.close();
  }
}
