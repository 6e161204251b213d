import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { sessionHeaders, testPasswordHash } from "../auth/test_support.ts";
import { createUser } from "../auth/users.ts";
import { createApp } from "../app.ts";
import { LiveHub } from "./hub.ts";
import { bump, insertAlert, seedReference, SseReader } from "./test_helpers.ts";
import { openCalendarStore } from "../calendar_store.ts";

const NOW = Date.parse("2024-10-15T10:00:00+08:00");
const database = await openTestDatabase();
const db = database.db;
await seedReference(db);
await bump(db, { department: "D1", metric: "open" }, 4);
await bump(db, { department: "D3", metric: "open" }, 6);

async function keyFor(username: string, role: "province" | "department", departments: string[] = []) {
  const user = await createUser(
    db,
    {
      username,
      displayName: username,
      role,
      departments,
      region: null,
      hall: null,
    },
    NOW,
    { passwordHash: await testPasswordHash() },
  );
  return await sessionHeaders(db, user.id, NOW);
}
const provinceKey = await keyFor("prov", "province");
const departmentKey = await keyFor("d1-staff", "department", ["D1"]);

const hub = new LiveHub({ database, clock: () => NOW }, { tickMs: 0, pingMs: 0 });
await hub.start();
const app = createApp({ database, clock: () => NOW, calendar: await openCalendarStore(database), live: hub });

function get(path: string, who?: Record<string, string>, headers: Record<string, string> = {}) {
  return app.request(path, { headers: { ...who, ...headers } });
}

async function firstMessages(res: Response, n: number) {
  const reader = new SseReader(res.body!);
  const out = [];
  for (let i = 0; i < n; i++) out.push(await reader.next());
  await reader.cancel();
  return out;
}

Deno.test("the stream answers text/event-stream with retry and the scope's counts", async () => {
  const res = await get("/api/v1/stream?department=D3", provinceKey);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
  const [retry, counts] = await firstMessages(res, 2);
  assert.equal(retry?.retry, 3000);
  assert.equal(counts?.event, "counts");
  assert.equal(JSON.parse(counts!.data!).totals.inProgress, 6);
});

Deno.test("the stream refuses anonymous callers, two scopes and unknown scopes", async () => {
  assert.equal((await get("/api/v1/stream")).status, 401);
  assert.equal((await get("/api/v1/stream?hall=H1&department=D1", provinceKey)).status, 400);
  assert.equal((await get("/api/v1/stream?region=999999", provinceKey)).status, 404);
  assert.equal((await get("/api/v1/stream?hall=NOPE", provinceKey)).status, 404);
});

Deno.test("a department's staff get their own department and nothing outside it", async () => {
  assert.equal((await get("/api/v1/stream?department=D3", departmentKey)).status, 403);
  const res = await get("/api/v1/stream", departmentKey);
  assert.equal(res.status, 200);
  const [, counts] = await firstMessages(res, 2);
  const body = JSON.parse(counts!.data!);
  assert.equal(body.totals.inProgress, 4);
  assert.deepEqual(body.byDepartment.map((d: { department: string }) => d.department), ["D1"]);
});

Deno.test("Last-Event-ID (header or query) replays the alerts after it", async () => {
  const first = await insertAlert(db, { department: "D1", region: "410100" }, "R1");
  const second = await insertAlert(db, { department: "D1", region: "410100" }, "R2");
  hub.notify(JSON.stringify({ departments: ["D1"], halls: [] }));
  await hub.tick();
  for (
    const res of [
      await get("/api/v1/stream?department=D1", provinceKey, { "last-event-id": String(first) }),
      await get(`/api/v1/stream?department=D1&lastEventId=${first}`, provinceKey),
    ]
  ) {
    const [retry, alert, counts] = await firstMessages(res, 3);
    assert.equal(retry?.retry, 3000);
    assert.equal(alert?.event, "alert");
    assert.equal(alert?.id, String(second));
    assert.equal(JSON.parse(alert!.data!).case, "R2");
    assert.equal(counts?.event, "counts");
  }
});

Deno.test.afterAll(async () => {
  await hub.stop();
  await database.drop();
});
