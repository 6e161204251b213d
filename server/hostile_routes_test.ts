/**
 * Hostile paths, queries and bodies over EVERY registered route (`app.routes`), as nobody, as signed-in
 * people, as an ingest key and as a display token: never a 5xx. Route parameters are replaced by hostile
 * values, hostile query strings are added, and write routes get hostile JSON and form bodies (except the
 * ingestion body, which ingestion refuses per event: server/ingest_fuzz_test.ts). Runs on PGlite, or on
 * PostgreSQL with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { createDisplayToken } from "./auth/display_tokens.ts";
import { INPUT_LIMITS } from "./input_guard.ts";
import { LiveHub } from "./live/hub.ts";
import { openTestApp, receivedEvent } from "./testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
assert.equal(
  (await t.send("POST", "/api/v1/events", [receivedEvent("Z1-r", "Z1", "2026-02-27T09:00:00+08:00")]))
    .status,
  200,
);
const hub = new LiveHub({ database: t.database, clock: t.deps.clock }, { tickMs: 0, pingMs: 0 });
await hub.start();
t.deps.live = hub;
const display = await createDisplayToken(db, { hall: "410100-HALL", name: "大屏", createdBy: "setup" });

/** Values put in place of a route parameter (raw, as they appear in the URL). */
const HOSTILE_PARAMS = [
  "%00",
  "%zz",
  "%",
  "%E4%B8",
  "%ED%A0%80", // an encoded lone surrogate: not UTF-8
  "%C0%AE",
  "%0d%0aSet-Cookie:%20x=1",
  "%09",
  "x".repeat(INPUT_LIMITS.segment + 1),
  "y".repeat(200),
  "..%2F..%2Fetc%2Fpasswd",
  "'%20or%201=1%20--",
  "%E2%80%AE%E4%B8%AD",
  "-1",
  "99999999999999999999999",
];

/** Query strings added to a route (with its parameters set to a plain value). */
const HOSTILE_QUERIES = [
  "hall=%00",
  "department=%00",
  "region=%00",
  "hall=%zz&department=%zz",
  "token=%00",
  "token=dsp_" + "x".repeat(300),
  "next=%0d%0a//evil.example",
  "next=%2F%09%2Fevil.example%2Fx",
  "user=%00",
  "actor=%00&action=%00",
  "limit=-1&before=abc",
  "limit=1e309&before=1e309",
  "month=2026-13&from=0000-00-00&to=9999-99-99",
  "from=%00&to=%00",
  "lastEventId=%00",
  "lastEventId=99999999999999999999",
  "q=" + "x".repeat(INPUT_LIMITS.queryValue + 1),
  "q=" + "y".repeat(1500),
  "a=b&".repeat(1000),
  "hall=410100-HALL&hall=410300-HALL&department[]=x",
  "%00=1",
  "year=2026&level=%00",
  "saved=%00&created=%00&revoked=%00&error=%00",
];

/** Bodies for write routes. */
const HOSTILE_BODIES: { type: string; body: string }[] = [
  { type: "application/json", body: JSON.stringify({ username: "a\u0000b", password: "x\u0000" }) },
  { type: "application/json", body: '{"name":"\\ud800","reason":"\\udc00x"}' },
  { type: "application/json", body: '{"a\\u0000":1}' },
  { type: "application/json", body: "[".repeat(5000) + "]".repeat(5000) },
  { type: "application/json", body: '{"action":"void","rule":"8.1","reason":"\\u0000"}' },
  { type: "application/json", body: "{" },
  { type: "application/json", body: JSON.stringify(["x".repeat(5000)]) },
  { type: "application/x-www-form-urlencoded", body: "username=a%00b&password=x%00&_csrf=%00" },
  { type: "application/x-www-form-urlencoded", body: "name=%zz&hall=%00&userId=%00&year=%00" },
  { type: "application/x-www-form-urlencoded", body: "reason=%00&action=void&rule=8.1" },
];

/** Who asks: nobody, signed-in people, the ingest key, a display token (as `?token=`). */
const WHO: Record<string, { headers: Record<string, string>; query?: string }> = {
  anonymous: { headers: { authorization: "" } },
  province: { headers: await t.sessionFor("province") },
  admin: { headers: await t.sessionFor("admin") },
  ingest: { headers: { authorization: t.auth.ingest } },
  display: { headers: { authorization: "" }, query: `token=${display.token}` },
};

const routes = [
  ...new Map(
    t.app.routes.filter((r) => r.method !== "ALL").map((r) => [`${r.method} ${r.path}`, r]),
  ).values(),
];

function fill(path: string, value: string): string {
  return path.replace(/:[A-Za-z_]+(\{[^}]*\})?/g, value).replace(/\*$/, value);
}

async function status(method: string, url: string, who: string, body?: { type: string; body: string }) {
  const w = WHO[who];
  const sep = url.includes("?") ? "&" : "?";
  const full = w.query ? `${url}${sep}${w.query}` : url;
  const headers: Record<string, string> = { ...w.headers };
  if (body) headers["content-type"] = body.type;
  const res = await t.send(method, full, body?.body, headers);
  // An open stream never ends: its status is all we need.
  if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
    await res.body?.cancel();
    return { status: res.status, text: "" };
  }
  const text = await res.text();
  return { status: res.status, text };
}

assert.ok(routes.length > 40, `the app has its routes (${routes.length})`);

for (const route of routes) {
  Deno.test(`${route.method} ${route.path}: no hostile path, query or body gets a 5xx, for anyone`, async () => {
    const failures: string[] = [];
    const check = async (url: string, body?: { type: string; body: string }) => {
      for (const who of Object.keys(WHO)) {
        const r = await status(route.method, url, who, body);
        if (r.status >= 500) {
          failures.push(`${who} ${route.method} ${url.slice(0, 120)} → ${r.status} ${r.text}`);
        }
      }
    };
    const hasParams = /[:*]/.test(route.path);
    if (hasParams) { for (const v of HOSTILE_PARAMS) await check(fill(route.path, v)); }
    const plain = fill(route.path, "Z1");
    for (const q of HOSTILE_QUERIES) await check(`${plain}?${q}`);
    if (route.method !== "GET" && route.path !== "/api/v1/events") {
      for (const b of HOSTILE_BODIES) await check(plain, b);
    }
    assert.deepEqual(failures, []);
  });
}

Deno.test("the issue's hostile requests answer 400 with the field named, JSON for the API, a page for pages", async () => {
  for (
    const [path, field] of [
      ["/api/v1/cases/%00", "path"],
      ["/api/v1/stream?hall=%00", "query.hall"],
      ["/api/v1/stream?department=%00", "query.department"],
      ["/api/v1/stream?region=%00", "query.region"],
      ["/api/v1/cases?department=%00", "query.department"],
      ["/api/v1/audit?actor=%00", "query.actor"],
      ["/api/v1/cases/%zz", "path"],
      [`/api/v1/cases/${"x".repeat(INPUT_LIMITS.segment + 1)}`, "path"],
    ]
  ) {
    for (const who of ["anonymous", "province"]) {
      const r = await status("GET", path, who);
      assert.equal(r.status, 400, `${who} ${path}`);
      const body = JSON.parse(r.text);
      assert.equal(body.details.field, field, path);
      assert.match(body.error, /[\u4e00-\u9fff].*\(.+\)/, "Chinese, English in brackets");
    }
  }
  for (const path of ["/hall/%zz?token=x", "/cases/%00", "/hall/%00", "/admin/keys?user=%00"]) {
    for (const who of ["anonymous", "admin"]) {
      // As a browser asks: no JSON content type.
      const { authorization: _, ...headers } = WHO[who].headers;
      const res = await t.app.request(path, { headers: { ...headers, accept: "text/html" } });
      const text = await res.text();
      assert.equal(res.status, 400, `${who} ${path}`);
      assert.match(text, /^<!DOCTYPE html><html lang="zh-CN">/);
      assert.match(text, /请求有误/);
    }
  }
});

Deno.test("a NUL in the login form's user name is a 400 (form) or 400 (JSON), never a 500", async () => {
  const json = await t.send("POST", "/login", { username: "sheng\u0000", password: "x" }, {
    authorization: "",
  });
  assert.equal(json.status, 400);
  assert.equal((await json.json()).details.field, "body.username");
  const form = await t.send("POST", "/login", "username=sheng%00&password=x", {
    authorization: "",
    "content-type": "application/x-www-form-urlencoded",
  });
  assert.equal(form.status, 400);
  assert.match(await form.text(), /请求有误/);
});

Deno.test.afterAll(async () => {
  await hub.stop();
  await t.database.drop();
});
