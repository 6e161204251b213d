import assert from "node:assert/strict";
import { Hono } from "hono";
import { openTestDatabase } from "../db/testing.ts";
import { installSecurity } from "./auth/install.ts";
import { steppingClock } from "./auth/test_support.ts";
import { createApp } from "./app.ts";
import type { AppDeps } from "./deps.ts";
import { DomainError, RateLimitError } from "./errors.ts";
import { clientIp, CSP, isHttps, RateLimiter } from "./security.ts";
import { openCalendarStore } from "./calendar_store.ts";

const database = await openTestDatabase();
const clock = steppingClock(Date.parse("2026-03-02T09:00:10+08:00"));

/** An app instance with the real security middleware; several share one database like servers do. */
function instance(security: AppDeps["security"]) {
  const app = new Hono();
  app.onError((err, c) => {
    if (!(err instanceof DomainError)) return c.json({ error: "internal" }, 500);
    if (err instanceof RateLimitError) c.header("Retry-After", String(err.retryAfterSeconds));
    return c.json({ error: err.message }, err.status);
  });
  installSecurity(app, { database, clock: clock.fn, security });
  app.get("/api/v1/ping", (c) => c.json({ ok: true }));
  app.post("/api/v1/echo", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.post("/api/v1/events", async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
  app.get("/api/v1/boom", () => {
    throw new Error("secret stack detail");
  });
  return app;
}

const limits = {
  apiLimit: { limit: 3, windowSeconds: 60 },
  bodyLimits: { default: 1024, byPrefix: [["/api/v1/events", 4096]] as [string, number][] },
};
const a = instance(limits);
const b = instance(limits);
const from = (ip: string) => ({ remoteAddr: { hostname: ip } });

Deno.test("every answer carries the security headers: CSP without inline scripts, no framing, nosniff", async () => {
  for (const path of ["/api/v1/ping", "/nowhere", "/api/v1/boom"]) {
    const res = await a.request(path, {}, from(`10.1.0.${path.length}`));
    assert.equal(res.headers.get("content-security-policy"), CSP, path);
    assert.match(CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(CSP.split("; ").find((d) => d.startsWith("script-src"))!, /unsafe/);
    assert.match(CSP, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("referrer-policy"), "same-origin");
    assert.equal(res.headers.get("cache-control"), "no-store");
    assert.equal(res.headers.get("strict-transport-security"), null, "no HSTS over plain http");
  }
  const tls = await a.request("https://jct.example/api/v1/ping", {}, from("10.1.0.99"));
  assert.match(tls.headers.get("strict-transport-security")!, /max-age=/);
  // X-Forwarded-Proto is anyone's to send: it counts only behind a trusted proxy.
  const forged = await a.request(
    "/api/v1/ping",
    { headers: { "x-forwarded-proto": "https" } },
    from("10.1.0.98"),
  );
  assert.equal(forged.headers.get("strict-transport-security"), null);
  assert.equal(isHttps({ req: { url: "http://x/", header: () => "https" } } as never, false), false);
  assert.equal(isHttps({ req: { url: "http://x/", header: () => "https" } } as never, true), true);
});

Deno.test("the real app answers a failing handler with 500, security headers, and no stack or message", async () => {
  const app = createApp({ database, clock: clock.fn, calendar: await openCalendarStore(database) });
  app.get("/api/v1/test-boom", () => {
    throw new Error("secret stack detail");
  });
  const log = console.error;
  console.error = () => {};
  try {
    const boom = await app.request("/api/v1/test-boom", {}, from("10.2.0.1"));
    assert.equal(boom.status, 500);
    assert.equal(boom.headers.get("content-security-policy"), CSP);
    const text = await boom.text();
    assert.doesNotMatch(text, /secret stack detail|at .*\.ts/);
  } finally {
    console.error = log;
  }
});

Deno.test("an oversized body is refused with 413, by Content-Length and while streaming", async () => {
  const ok = await a.request("/api/v1/echo", { method: "POST", body: "x".repeat(1024) }, from("10.3.0.1"));
  assert.equal(ok.status, 200);
  const big = await a.request("/api/v1/echo", { method: "POST", body: "x".repeat(1025) }, from("10.3.0.2"));
  assert.equal(big.status, 413);
  assert.match((await big.json()).error, /过大/);
  const stream = new ReadableStream({
    start(ctl) {
      for (let i = 0; i < 3; i++) ctl.enqueue(new TextEncoder().encode("y".repeat(600)));
      ctl.close();
    },
  });
  const chunked = await a.request(
    "/api/v1/echo",
    { method: "POST", body: stream, headers: { "transfer-encoding": "chunked" } },
    from("10.3.0.3"),
  );
  assert.equal(chunked.status, 413);
  const events = await a.request(
    "/api/v1/events",
    { method: "POST", body: "z".repeat(4000) },
    from("10.3.0.4"),
  );
  assert.equal(events.status, 200, "the ingestion path has its own, larger cap");
});

Deno.test("the rate limit answers 429 with Retry-After, counts across instances, and resets with the window", async () => {
  const ip = from("10.4.0.1");
  assert.equal((await a.request("/api/v1/ping", {}, ip)).status, 200);
  assert.equal((await b.request("/api/v1/ping", {}, ip)).status, 200);
  assert.equal((await a.request("/api/v1/ping", {}, ip)).status, 200);
  const limited = await b.request("/api/v1/ping", {}, ip);
  assert.equal(limited.status, 429);
  // The window started at 09:00:00; ten seconds in, fifty remain.
  assert.equal(limited.headers.get("retry-after"), "50");
  assert.equal(
    (await a.request("/api/v1/ping", {}, from("10.4.0.2"))).status,
    200,
    "other clients unaffected",
  );
  clock.now += 50_000;
  assert.equal((await a.request("/api/v1/ping", {}, ip)).status, 200);
});

Deno.test("a rate limiter counts each call once, even when they arrive together", async () => {
  const limiter = new RateLimiter(database.db);
  const results = await Promise.all(
    Array.from(
      { length: 10 },
      () => limiter.hit("burst", { limit: 4, windowSeconds: 60 }, clock.now),
    ),
  );
  assert.deepEqual(results.map((r) => r.count).sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(results.filter((r) => r.allowed).length, 4);
});

Deno.test("login attempts are limited per IP before the per-account lockout", async () => {
  const app = instance({ loginLimit: { limit: 2, windowSeconds: 60 } });
  app.post("/login", (c) => c.json({ ok: false }, 401));
  const post = () => app.request("/login", { method: "POST", body: "{}" }, from("10.5.0.1"));
  assert.equal((await post()).status, 401);
  assert.equal((await post()).status, 401);
  assert.equal((await post()).status, 429);
});

Deno.test("clientIp trusts X-Forwarded-For only behind a trusted proxy, and then its last entry", async () => {
  const app = new Hono();
  app.get("/", (c) => c.json({ plain: clientIp(c), proxied: clientIp(c, true) }));
  const res = await app.request(
    "/",
    { headers: { "x-forwarded-for": "6.6.6.6, 10.9.0.1" } },
    from("127.0.0.1"),
  );
  assert.deepEqual(await res.json(), { plain: "127.0.0.1", proxied: "10.9.0.1" });
});

Deno.test.afterAll(async () => {
  await database.drop();
});
