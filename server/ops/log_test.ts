/** Log lines: one JSON line per request and per event batch with LOG_FORMAT=json, readable text otherwise. */
import assert from "node:assert/strict";
import { createApp } from "../app.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { createLogger, logFormat } from "./log.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");

Deno.test("LOG_FORMAT=json: one JSON line per request (id, route, status, duration, sender) and one per batch", async () => {
  const lines: string[] = [];
  const app = createApp({ ...t.deps, log: createLogger("json", (l) => lines.push(l)) });
  const res = await app.request("/api/v1/events", {
    method: "POST",
    headers: { authorization: t.auth.ingest, "content-type": "application/json" },
    body: JSON.stringify([receivedEvent("l-1", "L1", "2026-03-02T08:00:00+08:00")]),
  });
  assert.equal(res.status, 200);
  const id = res.headers.get("x-request-id");
  const parsed = lines.map((l) => JSON.parse(l));
  assert.equal(parsed.length, 2);
  const [batch, request] = parsed;
  assert.equal(batch.msg, "events");
  assert.deepEqual(
    { requestId: batch.requestId, sender: batch.sender, stored: batch.stored, refused: batch.refused },
    { requestId: id, sender: "test-ingest", stored: 1, refused: 0 },
  );
  assert.equal(request.msg, "request");
  assert.deepEqual(
    { requestId: request.requestId, method: request.method, route: request.route, status: request.status },
    { requestId: id, method: "POST", route: "/api/v1/events", status: 200 },
  );
  assert.equal(request.sender, "test-ingest");
  assert.equal(typeof request.durationMs, "number");
  assert.ok(!Number.isNaN(Date.parse(request.time)));
});

Deno.test("without LOG_FORMAT=json a request is one readable text line", async () => {
  const lines: string[] = [];
  const app = createApp({ ...t.deps, log: createLogger("text", (l) => lines.push(l)) });
  const res = await app.request("/api/v1/cases/NOPE", { headers: await t.sessionFor("province") });
  await res.body?.cancel();
  assert.equal(lines.length, 1);
  assert.match(
    lines[0],
    /^\S+ request requestId=\S+ method=GET route=\/api\/v1\/cases\/:case path=\/api\/v1\/cases\/NOPE status=404 durationMs=[\d.]+ sender=test-province$/,
  );
  assert.equal(logFormat("JSON"), "json");
  assert.equal(logFormat(undefined), "text");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
