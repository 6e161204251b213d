import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { openTestDatabase } from "../../db/testing.ts";
import { shanghaiInstant } from "../../rules/dates.ts";
import { ruleName } from "../../rules/names.ts";
import { CHANGES_CHANNEL } from "./changes.ts";
import { LiveHub } from "./hub.ts";
import { ALL_SCOPE, resolveStreamScope } from "./scope.ts";
import { bump, insertAlert, seedReference, type SseMessage, SseReader } from "./test_helpers.ts";

const NOW = Date.parse("2024-10-15T10:00:00+08:00");
const D1 = { department: "D1", region: "410100" };
const D2H1 = { department: "D2", hall: "H1", region: "410102" };
const D3 = { department: "D3", region: "410300" };

const database = await openTestDatabase();
const db = database.db;
await seedReference(db);
await bump(db, { department: "D1", metric: "open" }, 5);
await bump(db, { department: "D2", hall: "H1", metric: "open" }, 3);
await bump(db, { department: "D2", hall: "H1", metric: "due", day: "2024-10-15" }, 2);
await bump(db, { department: "D2", hall: "H1", metric: "due", day: "2024-10-16" }, 7);
await bump(db, { department: "D1", metric: "warn", rule: "8.1" }, 1);
await bump(db, { department: "D3", metric: "red", rule: "8.10", day: "2024-10-15" }, 1);
await bump(db, { department: "D3", metric: "red", rule: "8.10", day: "2024-10-02" }, 4);
await bump(db, { department: "D1", metric: "abn", rule: "9.1", day: "2024-10-03" }, 1);
await bump(db, { department: "D1", metric: "abn", rule: "9.1", day: "2024-09-30" }, 1);

function newHub(opts: ConstructorParameters<typeof LiveHub>[1] = {}) {
  return new LiveHub({ database, clock: () => NOW }, { tickMs: 0, pingMs: 0, ...opts });
}

const numericId = (m: SseMessage) => Number(m.id);
const changed = JSON.stringify({ departments: ["D1"], halls: [] });

Deno.test("connect sends retry, then the scope's counts from the counters table", async () => {
  const hub = newHub();
  await hub.start();
  try {
    const all = new SseReader(await hub.connect(ALL_SCOPE, null));
    assert.equal((await all.next())?.retry, 3000);
    const counts = await all.next();
    assert.equal(counts?.event, "counts");
    const body = JSON.parse(counts!.data!);
    assert.equal(body.at, shanghaiInstant(NOW));
    assert.deepEqual(body.totals, {
      inProgress: 8,
      dueToday: 2,
      warnings: 1,
      redToday: 1,
      redMonth: 5,
      abnormal: 1,
    });
    assert.deepEqual(body.byRule, [
      { rule: "8.1", name: ruleName("8.1"), warnings: 1, redToday: 0 },
      { rule: "8.10", name: ruleName("8.10"), warnings: 0, redToday: 1 },
    ]);
    assert.deepEqual(body.byDepartment.map((d: { department: string }) => d.department), ["D1", "D2", "D3"]);
    assert.equal(body.byDepartment[0].name, "郑州市市场监督管理局");

    // 410100 includes its sub-region 410102 (D2) but not 410300 (D3).
    const region = new SseReader(await hub.connect(await resolveStreamScope(db, { region: "410100" }), null));
    await region.next();
    const r = JSON.parse((await region.next())!.data!);
    assert.deepEqual(r.totals, {
      inProgress: 8,
      dueToday: 2,
      warnings: 1,
      redToday: 0,
      redMonth: 0,
      abnormal: 1,
    });

    const hall = new SseReader(await hub.connect(await resolveStreamScope(db, { hall: "H1" }), null));
    await hall.next();
    assert.deepEqual(JSON.parse((await hall.next())!.data!).totals.inProgress, 3);
  } finally {
    await hub.stop();
  }
});

Deno.test("a burst of changes gives every alert and one counts message per tick, ids strictly increasing", async () => {
  const hub = newHub();
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    const first = await reader.drain();
    for (let i = 0; i < 20; i++) {
      await insertAlert(db, D1, `BURST-${i}`);
      await bump(db, { department: "D1", metric: "open" });
      hub.notify(changed);
    }
    await hub.tick();
    const msgs = await reader.drain();
    assert.equal(msgs.filter((m) => m.event === "alert").length, 20);
    const counts = msgs.filter((m) => m.event === "counts");
    assert.equal(counts.length, 1);
    assert.equal(JSON.parse(counts[0].data!).totals.inProgress, 28);
    assert.equal(msgs.at(-1)?.event, "counts");
    const ids = [...first, ...msgs].filter((m) => m.id).map(numericId);
    for (let i = 1; i < ids.length; i++) assert.ok(ids[i] > ids[i - 1], `id ${ids[i]} after ${ids[i - 1]}`);

    // A second change with unchanged figures for the scope sends no counts, only `changed` (lists of
    // the scope read their page again), with a larger id.
    hub.notify(JSON.stringify({ departments: ["D3"], halls: [] }));
    await hub.tick();
    const again = await reader.drain();
    assert.deepEqual(again.map((m) => m.event), ["changed"]);
    assert.ok(numericId(again[0]) > ids.at(-1)!);
    await bump(db, { department: "D1", metric: "open" }, -20);
  } finally {
    await hub.stop();
  }
});

Deno.test("a pass writes each client its scope's alerts as one chunk, then its counts as the next", async () => {
  const hub = newHub();
  await hub.start();
  const decoder = new TextDecoder();
  const events = (chunk: Uint8Array | undefined) =>
    [...decoder.decode(chunk).matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
  try {
    const reader = (await hub.connect(ALL_SCOPE, null)).getReader();
    assert.equal(decoder.decode((await reader.read()).value), "retry: 3000\n\n");
    assert.match(decoder.decode((await reader.read()).value), /^id: [^]*event: counts\n/);
    for (let i = 0; i < 3; i++) await insertAlert(db, D1, `CHUNK-${i}`);
    await bump(db, { department: "D1", metric: "open" });
    hub.notify(changed);
    await hub.tick();
    // The alerts do not wait for the counts query: they are written as soon as the feed is read.
    assert.deepEqual(events((await reader.read()).value), ["alert", "alert", "alert"]);
    assert.deepEqual(events((await reader.read()).value), ["counts"]);
    await reader.cancel();
    await bump(db, { department: "D1", metric: "open" }, -1);
  } finally {
    await hub.stop();
  }
});

Deno.test("counts are recomputed only for the scopes a change touches", async () => {
  const hub = newHub();
  await hub.start();
  try {
    const d1 = new SseReader(await hub.connect(await resolveStreamScope(db, { department: "D1" }), null));
    const d3 = new SseReader(await hub.connect(await resolveStreamScope(db, { department: "D3" }), null));
    await d1.drain();
    await d3.drain();
    await bump(db, { department: "D3", metric: "open" });
    await bump(db, { department: "D1", metric: "open" });
    hub.notify(JSON.stringify({ departments: ["D3"], halls: [] }));
    await hub.tick();
    assert.equal((await d3.drain()).filter((m) => m.event === "counts").length, 1);
    // D1's figure changed too, but nobody said so: no query, no message (the periodic refresh catches it).
    assert.deepEqual(await d1.drain(), []);
    await bump(db, { department: "D3", metric: "open" }, -1);
    await bump(db, { department: "D1", metric: "open" }, -1);
  } finally {
    await hub.stop();
  }
});

Deno.test("Last-Event-ID replays the missed alerts of the scope, then fresh counts with a larger id", async () => {
  const hub = newHub();
  await hub.start();
  try {
    const scope = await resolveStreamScope(db, { region: "410100" });
    const live = new SseReader(await hub.connect(scope, null));
    await live.drain();
    await insertAlert(db, D1, "SEEN");
    hub.notify(changed);
    await hub.tick();
    const seen = (await live.drain()).find((m) => m.event === "alert")!;
    await live.cancel();

    const missed = [await insertAlert(db, D2H1, "MISSED-1"), await insertAlert(db, D1, "MISSED-2")];
    await insertAlert(db, D3, "OTHER-REGION");
    hub.notify(changed);
    await hub.tick();

    const again = new SseReader(await hub.connect(scope, Number(seen.id)));
    const msgs = await again.drain();
    assert.equal(msgs[0].retry, 3000);
    const alerts = msgs.filter((m) => m.event === "alert");
    assert.deepEqual(alerts.map(numericId), missed);
    assert.deepEqual(alerts.map((m) => JSON.parse(m.data!).case), ["MISSED-1", "MISSED-2"]);
    assert.equal(msgs.at(-1)?.event, "counts");
    assert.ok(numericId(msgs.at(-1)!) > missed[1]);
    assert.equal(
      Math.floor(numericId(msgs.at(-1)!)),
      Math.max(...missed) + 1,
      "counts id names the feed position",
    );
  } finally {
    await hub.stop();
  }
});

Deno.test("a client that stops reading is dropped while the others keep receiving", async () => {
  const hub = newHub({ maxQueueBytes: 4096 });
  await hub.start();
  try {
    const slow = new SseReader(await hub.connect(ALL_SCOPE, null));
    const fast = new SseReader(await hub.connect(ALL_SCOPE, null));
    await fast.drain();
    const big = "x".repeat(500);
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 5; i++) await insertAlert(db, D1, `SLOW-${round}-${i}`, big);
      hub.notify(changed);
      await hub.tick();
      assert.equal((await fast.drain(100)).filter((m) => m.event === "alert").length, 5);
    }
    assert.equal(hub.clientCount, 1);
    await assert.rejects(async () => {
      while (await slow.next(100));
    }, /too slow/);
  } finally {
    await hub.stop();
  }
});

Deno.test("a row behind a gap in the ids waits for it, so ids never go backwards", async () => {
  const hub = newHub({ gapWaitMs: 60_000 });
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    await reader.drain();
    // Take an id as a transaction would that has not committed yet, and commit a later one.
    const [{ id }] = await query<{ id: string }>(db, sql`select nextval('live_feed_id_seq') as id`);
    const held = Number(id);
    const later = await insertAlert(db, D1, "LATER");
    hub.notify(changed);
    await hub.tick();
    assert.deepEqual((await reader.drain()).filter((m) => m.event === "alert"), []);
    await db.execute(sql`insert into live_feed (id, kind, department, region, payload)
      values (${held}, 'alert', 'D1', '410100', ${JSON.stringify({ case: "HELD" })}::jsonb)`);
    hub.notify(changed);
    await hub.tick();
    const ids = (await reader.drain()).filter((m) => m.event === "alert").map(numericId);
    assert.deepEqual(ids, [held, later]);
  } finally {
    await hub.stop();
  }
});

Deno.test("a rolled-back id is skipped after the gap wait", async () => {
  const hub = newHub({ gapWaitMs: 50 });
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    await reader.drain();
    await db.execute(sql`select nextval('live_feed_id_seq')`);
    const later = await insertAlert(db, D1, "AFTER-ROLLBACK");
    hub.notify(changed);
    await hub.tick();
    await new Promise((r) => setTimeout(r, 80));
    await hub.tick();
    assert.deepEqual((await reader.drain()).filter((m) => m.event === "alert").map(numericId), [later]);
  } finally {
    await hub.stop();
  }
});

Deno.test("NOTIFY jct_changes from the database reaches the hub's timer", async () => {
  const hub = newHub({ tickMs: 30 });
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    await reader.drain(100);
    const id = await insertAlert(db, D1, "NOTIFIED");
    await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${changed})`);
    const msg = await reader.next(3000);
    assert.equal(msg?.event, "alert");
    assert.equal(numericId(msg!), id);
  } finally {
    await hub.stop();
  }
});

Deno.test("a change after a quiet spell is delivered at once; later alerts within the feed interval, counts coalesced", async () => {
  // A counts interval of a minute: only the change-driven passes can deliver anything.
  const hub = newHub({ tickMs: 60_000, feedMs: 200 });
  await hub.start();
  try {
    const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
    await reader.drain(100);
    const id = await insertAlert(db, D1, "QUIET-SPELL");
    await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${changed})`);
    const msg = await reader.next(10_000);
    assert.equal(msg?.event, "alert");
    assert.equal(numericId(msg!), id);
    await reader.drain(300);
    // A second change within the minute: its alert follows after the feed interval, its counts wait
    // for the counts interval (coalesced, not one message per change).
    const second = await insertAlert(db, D1, "COALESCED");
    await bump(db, { department: "D1", metric: "open" });
    await db.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${changed})`);
    const later = await reader.drain(1500);
    assert.deepEqual(later.map((m) => [m.event, numericId(m)]), [["alert", second]]);
    await bump(db, { department: "D1", metric: "open" }, -1);
  } finally {
    await hub.stop();
  }
});

Deno.test("stop() ends every open stream", async () => {
  const hub = newHub({ pingMs: 20 });
  await hub.start();
  const reader = new SseReader(await hub.connect(ALL_SCOPE, null));
  assert.equal((await reader.next())?.retry, 3000);
  assert.equal((await reader.next())?.event, "counts");
  assert.equal((await reader.next(500))?.comment, "ping");
  await hub.stop();
  while (await reader.next(500));
  assert.equal(reader.done, true);
  assert.equal(hub.clientCount, 0);
});

Deno.test("a stream aborted while connecting leaves no stale figures for the scope's next client", async () => {
  const hub = newHub();
  await hub.start();
  try {
    const d3 = await resolveStreamScope(db, { department: "D3" });
    const gone = new SseReader(await hub.connect(d3, null, AbortSignal.abort()));
    assert.equal(await gone.next(), null);
    assert.equal(gone.done, true);
    await bump(db, { department: "D3", metric: "open" }, 4);
    hub.notify(JSON.stringify({ departments: ["D3"], halls: [] }));
    await hub.tick();
    const next = new SseReader(await hub.connect(d3, null));
    await next.next();
    assert.equal(JSON.parse((await next.next())!.data!).totals.inProgress, 4);
    assert.equal(hub.clientCount, 1);
    await bump(db, { department: "D3", metric: "open" }, -4);
  } finally {
    await hub.stop();
  }
});

Deno.test("given a connection pool of its own, the hub reads the feed, replay and counts through it", async () => {
  // A view of the same database that counts its uses (server/main.ts gives the hub two connections).
  let reads = 0;
  const own = new Proxy(db, {
    get(target, key) {
      reads++;
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const hub = new LiveHub({ database, reads: own, clock: () => NOW }, { tickMs: 0, pingMs: 0 });
  await hub.start();
  try {
    const afterStart = reads;
    assert.ok(afterStart > 0, "the feed head was read through the hub's pool");
    const reader = new SseReader(await hub.connect(await resolveStreamScope(db, { department: "D3" }), null));
    await reader.drain();
    assert.ok(reads > afterStart, "the new scope's counts were read through the hub's pool");
    const beforePass = reads;
    const id = await insertAlert(db, D3, "OWN-POOL");
    hub.notify(JSON.stringify({ departments: ["D3"], halls: [] }));
    await hub.tick();
    const alert = (await reader.drain()).find((m) => m.event === "alert");
    assert.equal(numericId(alert!), id);
    assert.ok(reads > beforePass, "the pass read the feed through the hub's pool");
  } finally {
    await hub.stop();
  }
});

Deno.test("resolveStreamScope refuses two scopes and unknown codes", async () => {
  await assert.rejects(() => resolveStreamScope(db, { hall: "H1", department: "D1" }), { status: 400 });
  await assert.rejects(() => resolveStreamScope(db, { region: "999999" }), { status: 404 });
  await assert.rejects(() => resolveStreamScope(db, { department: "NOPE" }), { status: 404 });
  await assert.rejects(() => resolveStreamScope(db, { hall: "NOPE" }), { status: 404 });
});

Deno.test.afterAll(() => database.drop());
