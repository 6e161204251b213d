/**
 * `/metrics` and `/readyz`: the figures move when events are ingested and when the scheduler runs,
 * latency is labelled by route pattern, access is loopback-or-token, and readiness fails while the
 * database is down.
 */
import assert from "node:assert/strict";
import postgres from "postgres";
import { createApp } from "../app.ts";
import { LiveHub } from "../live/hub.ts";
import { startScheduler } from "../write/scheduler.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { databaseState } from "./state.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
t.deps.metrics!.bind(databaseState(t.deps, 1));
const LOCAL = { remoteAddr: { hostname: "127.0.0.1", port: 1, transport: "tcp" } };
const REMOTE = { remoteAddr: { hostname: "203.0.113.9", port: 1, transport: "tcp" } };

async function scrape(): Promise<string> {
  const res = await t.app.request("/metrics", {}, LOCAL);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/plain/);
  return await res.text();
}

/** The value of one sample (`name{labels}`), 0 when absent. */
function value(text: string, sample: string): number {
  const line = text.split("\n").find((l) => l.startsWith(sample + " "));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

Deno.test("ingesting a batch moves the events counters by sender and reason, and the batch latency", async () => {
  const before = await scrape();
  const res = await t.send("POST", "/api/v1/events", [
    receivedEvent("m-1", "M1", "2026-03-02T08:00:00+08:00"),
    { id: "m-2", case: "M1", type: "accepted", at: "2026-03-02T08:10:00+08:00", handler: "李四" },
    { id: "m-3", case: "M1", type: "step", at: "not a time", name: "审查" },
  ]);
  assert.equal(res.status, 207);
  await res.body?.cancel();
  const after = await scrape();
  const s = (name: string) => value(after, name) - value(before, name);
  assert.equal(s('jct_events_received_total{sender="test-ingest"}'), 3);
  assert.equal(s('jct_events_stored_total{sender="test-ingest"}'), 2);
  assert.equal(s('jct_events_refused_total{sender="test-ingest",reason="at"}'), 1);
  assert.equal(s('jct_ingest_batch_duration_seconds_count{sender="test-ingest"}'), 1);
  // The same batch again: duplicates, nothing stored.
  const again = await t.send("POST", "/api/v1/events", [
    receivedEvent("m-1", "M1", "2026-03-02T08:00:00+08:00"),
  ]);
  await again.body?.cancel();
  assert.equal(
    value(await scrape(), 'jct_events_duplicate_total{sender="test-ingest"}') -
      value(after, 'jct_events_duplicate_total{sender="test-ingest"}'),
    1,
  );
});

Deno.test("the scheduler's lag grows while a change is due and falls to 0 after a run that counts its cases", async () => {
  const res = await t.send("POST", "/api/v1/events", [
    receivedEvent("s-1", "S1", "2026-03-02T08:30:00+08:00"),
  ]);
  await res.body?.cancel();
  assert.equal(value(await scrape(), "jct_scheduler_lag_seconds"), 0);
  // Three days later, nobody has run the scheduler: the case's warning is overdue.
  t.setNow("2026-03-05T12:00:00+08:00");
  const due = await scrape();
  assert.ok(value(due, "jct_scheduler_lag_seconds") > 3600, "lag in seconds");
  const scheduler = startScheduler(t.deps, { background: false });
  const cases = await scheduler.runOnce();
  await scheduler.stop();
  assert.ok(cases >= 1);
  const after = await scrape();
  assert.equal(value(after, "jct_scheduler_lag_seconds"), 0);
  assert.equal(value(after, "jct_scheduler_runs_total") - value(due, "jct_scheduler_runs_total"), 1);
  assert.equal(
    value(after, "jct_scheduler_cases_per_run_sum") - value(due, "jct_scheduler_cases_per_run_sum"),
    cases,
  );
  t.setNow(NOW);
});

Deno.test("request latency is labelled with the route pattern, never the raw path", async () => {
  const res = await t.send("GET", "/api/v1/cases/M1");
  await res.body?.cancel();
  const text = await scrape();
  assert.ok(
    value(
      text,
      'jct_http_request_duration_seconds_count{method="GET",route="/api/v1/cases/:case",status="200"}',
    ) >= 1,
  );
  assert.doesNotMatch(text, /route="\/api\/v1\/cases\/M1"/);
  for (const name of ["jct_outbox_messages", "jct_db_connections", "jct_sse_streams", "jct_up_database 1"]) {
    assert.ok(text.includes(name), name);
  }
});

Deno.test("/metrics: open on loopback, refused elsewhere without METRICS_TOKEN, opened by the right token", async () => {
  assert.equal((await t.app.request("/metrics", {}, REMOTE)).status, 403);
  const app = createApp({ ...t.deps, metricsToken: "s3cret-metrics-token" });
  const ask = (authorization?: string) =>
    app.request("/metrics", { headers: authorization ? { authorization } : {} }, REMOTE);
  assert.equal((await ask()).status, 401);
  assert.equal((await ask("Bearer wrong-token")).status, 403);
  const ok = await ask("Bearer s3cret-metrics-token");
  assert.equal(ok.status, 200);
  assert.match(await ok.text(), /jct_events_received_total/);
});

Deno.test("every answer carries a request id, a sane given one is kept", async () => {
  const res = await t.app.request("/healthz", { headers: { "x-request-id": "lb-42.abc" } });
  assert.equal(res.headers.get("x-request-id"), "lb-42.abc");
  const other = await t.app.request("/healthz", { headers: { "x-request-id": "bad id with spaces" } });
  assert.match(other.headers.get("x-request-id")!, /^[0-9a-f-]{36}$/);
});

Deno.test("an open stream shows in jct_sse_streams by kind, and a hub tick with changes in jct_hub_delivery_seconds", async () => {
  const hub = new LiveHub({ database: t.database, clock: t.deps.clock, metrics: t.deps.metrics }, {
    tickMs: 0,
    pingMs: 0,
  });
  await hub.start();
  t.deps.live = hub;
  try {
    const before = await scrape();
    const res = await t.send("GET", "/api/v1/stream?hall=410100-HALL");
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    await reader.read();
    const open = await scrape();
    assert.equal(value(open, 'jct_sse_streams{kind="hall"}'), 1);
    const pushed = await t.send("POST", "/api/v1/events", [
      receivedEvent("h-1", "H1", "2026-03-02T08:40:00+08:00"),
    ]);
    await pushed.body?.cancel();
    // The change reaches the hub by NOTIFY (asynchronous on PostgreSQL): tick until it has.
    let after = before;
    for (let i = 0; i < 40; i++) {
      await hub.tick();
      after = await scrape();
      if (value(after, "jct_hub_delivery_seconds_count") > value(before, "jct_hub_delivery_seconds_count")) {
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(
      value(after, "jct_hub_delivery_seconds_count") > value(before, "jct_hub_delivery_seconds_count"),
      "a delivering tick is timed",
    );
    await reader.cancel();
    // The client is gone once the hub notices the cancelled stream.
    for (let i = 0; i < 20 && value(await scrape(), 'jct_sse_streams{kind="hall"}') !== 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.equal(value(await scrape(), 'jct_sse_streams{kind="hall"}'), 0);
  } finally {
    await hub.stop();
    t.deps.live = undefined;
  }
});

Deno.test("/readyz answers 200 while the database, the migrations and LISTEN are fine, 503 while the database is down", async () => {
  const res = await t.app.request("/readyz");
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.deepEqual(
    Object.fromEntries(Object.entries(body.checks).map(([k, v]) => [k, (v as { ok: boolean }).ok])),
    { database: true, migrations: true, listen: true },
  );
  if (t.database.url) {
    // PostgreSQL: refuse new connections to the test database and cut the open ones.
    const name = new URL(t.database.url).pathname.slice(1);
    const root = postgres(Deno.env.get("TEST_DATABASE_URL")!, { max: 1, onnotice: () => {} });
    await root.unsafe(`alter database ${name} allow_connections false`);
    await root.unsafe(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);
    try {
      const down = await t.app.request("/readyz");
      assert.equal(down.status, 503);
      const report = await down.json();
      assert.equal(report.checks.database.ok, false);
      const metrics = await scrape();
      assert.equal(value(metrics, "jct_up_database"), 0);
    } finally {
      await root.unsafe(`alter database ${name} allow_connections true`);
      await root.end();
    }
    // Back up: ready again once postgres.js has reconnected (LISTEN included).
    let again = 503;
    for (let i = 0; i < 20 && again !== 200; i++) {
      const r = await t.app.request("/readyz");
      again = r.status;
      await r.body?.cancel();
      if (again !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(again, 200);
  } else {
    // PGlite: the embedded database closed.
    await t.database.close();
    const down = await t.app.request("/readyz");
    assert.equal(down.status, 503);
    assert.equal((await down.json()).checks.database.ok, false);
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop().catch(() => {});
});
