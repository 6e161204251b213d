/**
 * Streams end with their credential: revoked or expired display tokens, ended or expired sessions,
 * revoked keys close their open streams at the next check, on this and on another server instance;
 * and a credential holds at most a few streams, the oldest dropped. Runs on PGlite, or on PostgreSQL
 * with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { createDisplayToken, revokeDisplayToken } from "../auth/display_tokens.ts";
import { SESSION_TTL_MS } from "../auth/sessions.ts";
import type { AppDeps } from "../deps.ts";
import { openTestApp } from "../testing.ts";
import { CredentialWatch } from "./credential_watch.ts";
import { LiveHub } from "./hub.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const hub = new LiveHub({ database: t.database, clock: t.deps.clock }, { tickMs: 0, pingMs: 0 });
await hub.start();
const watch = new CredentialWatch(db, t.deps.clock, { checkMs: 0, maxPerCredential: 3 });
const deps: AppDeps = { ...t.deps, live: hub, streamWatch: watch };
const app = createApp(deps);

/** An open stream: its status and a promise that settles when the server ends it. */
async function open(path: string, headers: Record<string, string> = {}) {
  const res = await app.request(path, { headers });
  assert.equal(res.status, 200, await (res.status === 200 ? "" : res.text()));
  const reader = res.body!.getReader();
  let ended = false;
  const done = (async () => {
    try {
      while (!(await reader.read()).done) { /* drain */ }
    } catch {
      // an error also ends it
    }
    ended = true;
  })();
  // Let the first messages through.
  await new Promise((r) => setTimeout(r, 20));
  return { ended: () => ended, done, cancel: () => reader.cancel().catch(() => {}) };
}
const settle = () => new Promise((r) => setTimeout(r, 30));

Deno.test("a revoked display token's open stream is closed at the next check; others stay open", async () => {
  const a = await createDisplayToken(db, { hall: "410100-HALL", name: "一楼", createdBy: "t" });
  const b = await createDisplayToken(db, { hall: "410100-HALL", name: "二楼", createdBy: "t" });
  const sa = await open(`/api/v1/stream?hall=410100-HALL&token=${a.token}`);
  const sb = await open(`/api/v1/stream?hall=410100-HALL&token=${b.token}`);
  await watch.check();
  await settle();
  assert.equal(sa.ended(), false);
  await revokeDisplayToken(db, a.id, t.deps.clock());
  await watch.check();
  await sa.done;
  assert.equal(sb.ended(), false, "another token's stream stays open");
  await sb.cancel();
});

Deno.test("an expiring display token's stream closes once it has expired", async () => {
  const expiresAt = new Date(t.deps.clock() + 60_000);
  const tok = await createDisplayToken(db, { hall: "410100-HALL", name: "临时", createdBy: "t", expiresAt });
  const s = await open(`/api/v1/stream?hall=410100-HALL&token=${tok.token}`);
  await watch.check();
  await settle();
  assert.equal(s.ended(), false);
  t.setNow(expiresAt.getTime() + 1);
  await watch.check();
  await s.done;
  t.setNow(NOW);
});

Deno.test("a session's stream closes on logout and when the session expires", async () => {
  const first = await t.sessionFor("province");
  const s1 = await open("/api/v1/stream", first);
  const logout = await app.request("/logout", {
    method: "POST",
    headers: { ...first, accept: "application/json" },
  });
  assert.equal(logout.status, 200);
  await watch.check();
  await s1.done;

  const second = await t.sessionFor("province");
  const s2 = await open("/api/v1/stream", second);
  t.setNow(Date.parse(NOW) + SESSION_TTL_MS + 1);
  await watch.check();
  await s2.done;
  t.setNow(NOW);
});

Deno.test("at most three streams per credential: a fourth closes the oldest", async () => {
  const tok = await createDisplayToken(db, { hall: "410100-HALL", name: "多开", createdBy: "t" });
  const path = `/api/v1/stream?hall=410100-HALL&token=${tok.token}`;
  const streams = [await open(path), await open(path), await open(path)];
  await settle();
  assert.deepEqual(streams.map((s) => s.ended()), [false, false, false]);
  const fourth = await open(path);
  await streams[0].done;
  await settle();
  assert.deepEqual([...streams, fourth].map((s) => s.ended()), [true, false, false, false]);
  // A session is a credential of its own, so another screen's login is not affected.
  const other = await open("/api/v1/stream?hall=410100-HALL", await t.sessionFor("province"));
  await settle();
  assert.equal(fourth.ended(), false);
  for (const s of [...streams.slice(1), fourth, other]) await s.cancel();
  await settle();
  assert.equal(watch.size, 0, "ended streams are forgotten");
});

Deno.test("revocation on one instance closes the stream held by another instance", async () => {
  const hubB = new LiveHub({ database: t.database, clock: t.deps.clock }, { tickMs: 0, pingMs: 0 });
  await hubB.start();
  const watchB = new CredentialWatch(db, t.deps.clock, { checkMs: 0 });
  const appB = createApp({ ...t.deps, live: hubB, streamWatch: watchB });
  const tok = await createDisplayToken(db, { hall: "410100-HALL", name: "B 实例", createdBy: "t" });
  const res = await appB.request(`/api/v1/stream?hall=410100-HALL&token=${tok.token}`);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  await reader.read();
  // Revoked through instance A's administration API.
  const asAdmin = { authorization: t.auth.admin };
  const list = await (await t.send("GET", "/api/v1/admin/display-tokens", undefined, asAdmin)).json();
  const id = list.find((x: { name: string }) => x.name === "B 实例").id;
  assert.equal((await t.send("DELETE", `/api/v1/admin/display-tokens/${id}`)).status, 200);
  await watchB.check();
  for (let r = await reader.read().catch(() => ({ done: true })); !r.done;) {
    r = await reader.read().catch(() => ({ done: true }));
  }
  assert.equal(watchB.size, 0);
  await hubB.stop();
});

Deno.test("the watch checks by itself while streams are open, and stops when they are gone", async () => {
  const timed = new CredentialWatch(db, t.deps.clock, { checkMs: 50 });
  const appT = createApp({ ...t.deps, live: hub, streamWatch: timed });
  const tok = await createDisplayToken(db, { hall: "410100-HALL", name: "定时", createdBy: "t" });
  const res = await appT.request(`/api/v1/stream?hall=410100-HALL&token=${tok.token}`);
  const reader = res.body!.getReader();
  await reader.read();
  await revokeDisplayToken(db, tok.id, t.deps.clock());
  // No check() call: the watch's own timer closes it.
  for (let r = await reader.read().catch(() => ({ done: true })); !r.done;) {
    r = await reader.read().catch(() => ({ done: true }));
  }
  assert.equal(timed.size, 0);
});

Deno.test.afterAll(async () => {
  watch.stop();
  await hub.stop();
  await t.database.drop();
});
