/**
 * Event-to-screen latency: an SSE client on the whole province's stream, and single `accepted`
 * events POSTed at a steady rate for cases whose promise is one working day, so that each raises an
 * 8.1 warning at once. Measured from the POST's start to the `alert` message's arrival.
 *
 * @module
 */
import { shanghaiInstant } from "../rules/dates.ts";
import { acceptedNow, receivedComplete } from "./warning_cases.ts";
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
  const count = Math.max(1, Math.round(opts.rate * opts.seconds));
  const prefix = `LAT${Date.now().toString(36).toUpperCase()}`;
  const cases = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(5, "0")}`);
  const at = shanghaiInstant(Date.now() - 60_000);
  // Received (with complete data) beforehand: accepting one of these then raises 8.1 and nothing else.
  await post(server, receivedComplete(cases, at));
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
      pending.push(post(server, [acceptedNow(c)]).then(() => void postMs.push(performance.now() - s)));
    }
    await Promise.all(pending);
    const deadline = performance.now() + (opts.waitMs ?? 5000);
    while (latency.size < count && performance.now() < deadline) await sleep(20);
    return { sent: count, lost: count - latency.size, ms: [...latency.values()], postMs };
  } finally {
    await conn.close();
  }
}
