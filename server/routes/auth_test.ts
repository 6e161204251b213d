import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { createApp } from "../app.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "../auth/demo_users.ts";
import { LOCK_MS } from "../auth/lockout.ts";
import { cookiesOf, seedReference, seedUsers, steppingClock, TEST_PASSWORD } from "../auth/test_support.ts";
import { verifyAuditChain } from "../audit.ts";
import { openCalendarStore } from "../calendar_store.ts";

const database = await openTestDatabase();
const clock = steppingClock();
await seedReference(database.db);
await seedUsers(database.db, clock.now);
const app = createApp({ database, clock: clock.fn, calendar: await openCalendarStore(database) });

async function jsonLogin(username: string, password = TEST_PASSWORD, headers: Record<string, string> = {}) {
  return await app.request("/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  });
}

/** Log in and return the cookie header and CSRF token. */
async function session(username: string) {
  const res = await jsonLogin(username);
  assert.equal(res.status, 200);
  const { csrfToken } = await res.json();
  return { cookie: `jct_session=${cookiesOf(res).jct_session}`, csrf: csrfToken as string };
}

Deno.test("the login page is Chinese, has no inline script, and sets a login CSRF cookie", async () => {
  const res = await app.request("/login");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<html lang="zh-CN">/);
  assert.match(html, /用户名/);
  assert.match(html, /密码/);
  assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)/);
  const csrf = cookiesOf(res).jct_login_csrf;
  assert.ok(csrf && html.includes(`value="${csrf}"`));
  assert.match(res.headers.get("content-security-policy")!, /script-src 'self'/);
});

Deno.test("in demo mode the login page lists the demo accounts and their password", async () => {
  const plain = await (await app.request("/login")).text();
  assert.equal(plain.includes(DEMO_PASSWORD), false);
  const demo = await (await createApp({
    database,
    clock: clock.fn,
    calendar: await openCalendarStore(database),
    demo: true,
  }).request("/login")).text();
  assert.ok(demo.includes(DEMO_PASSWORD));
  for (const u of DEMO_USERS.filter((u) => u.role !== "ingest")) {
    assert.ok(demo.includes(u.username), u.username);
  }
});

Deno.test("a form login without the login CSRF token is refused and starts no session", async () => {
  const res = await app.request("/login", {
    method: "POST",
    body: new URLSearchParams({ username: "province", password: TEST_PASSWORD, _csrf: "forged" }),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login?error=csrf");
  assert.equal(cookiesOf(res).jct_session, undefined);
});

Deno.test("a form login sets an HttpOnly SameSite cookie (Secure behind TLS) and returns to a local path only", async () => {
  const page = await app.request("/login");
  const csrf = cookiesOf(page).jct_login_csrf;
  const post = (next: string, headers: Record<string, string> = {}) =>
    app.request("/login", {
      method: "POST",
      headers: { cookie: `jct_login_csrf=${csrf}`, ...headers },
      body: new URLSearchParams({ username: "Province", password: TEST_PASSWORD, _csrf: csrf, next }),
    });
  const res = await post("/cases?x=1");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/cases?x=1");
  const line = res.headers.getSetCookie().find((l) => l.startsWith("jct_session="))!;
  assert.match(line, /HttpOnly/);
  assert.match(line, /SameSite=Lax/);
  assert.doesNotMatch(line, /Secure/);
  const tls = await post("//evil.example/", { "x-forwarded-proto": "https" });
  assert.equal(tls.headers.get("location"), "/");
  assert.match(tls.headers.getSetCookie().find((l) => l.startsWith("jct_session="))!, /Secure/);
});

Deno.test("/api/v1/me answers 401 anonymously and describes the logged-in user with a CSRF token", async () => {
  assert.equal((await app.request("/api/v1/me")).status, 401);
  const s = await session("department");
  const res = await app.request("/api/v1/me", { headers: { cookie: s.cookie } });
  assert.equal(res.status, 200);
  const me = await res.json();
  assert.equal(me.role, "department");
  assert.deepEqual(me.departments, ["410100-SCJGJ"]);
  assert.equal(me.csrfToken, s.csrf);
});

Deno.test("a cookie-authenticated write without the CSRF token is refused; with it, logout ends the session", async () => {
  const s = await session("region");
  const refused = await app.request("/logout", { method: "POST", headers: { cookie: s.cookie } });
  assert.equal(refused.status, 403);
  const wrong = await app.request("/logout", {
    method: "POST",
    headers: { cookie: s.cookie, "x-csrf-token": "x" },
  });
  assert.equal(wrong.status, 403);
  const crossSite = await app.request("/logout", {
    method: "POST",
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf, "sec-fetch-site": "cross-site" },
  });
  assert.equal(crossSite.status, 403);
  assert.equal((await app.request("/api/v1/me", { headers: { cookie: s.cookie } })).status, 200);
  const ok = await app.request("/logout", {
    method: "POST",
    headers: { cookie: s.cookie, "x-csrf-token": s.csrf, accept: "application/json" },
  });
  assert.equal(ok.status, 200);
  assert.equal((await app.request("/api/v1/me", { headers: { cookie: s.cookie } })).status, 401);
});

Deno.test("the CSRF token is also accepted as the _csrf form field", async () => {
  const s = await session("director");
  const res = await app.request("/logout", {
    method: "POST",
    headers: { cookie: s.cookie },
    body: new URLSearchParams({ _csrf: s.csrf }),
  });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login");
});

Deno.test("five failed logins lock the account for 15 minutes, even against the right password", async () => {
  for (let i = 1; i <= 4; i++) assert.equal((await jsonLogin("admin", `wrong-${i}`)).status, 401);
  const fifth = await jsonLogin("admin", "wrong-5");
  assert.equal(fifth.status, 429);
  assert.equal(fifth.headers.get("retry-after"), String(LOCK_MS / 1000));
  assert.match((await fifth.json()).error, /锁定/);
  const right = await jsonLogin("admin");
  assert.equal(right.status, 429);
  clock.now += LOCK_MS - 1000;
  assert.equal((await jsonLogin("admin")).status, 429);
  clock.now += 2000;
  assert.equal((await jsonLogin("admin")).status, 200);
});

Deno.test("unknown usernames fail like wrong passwords", async () => {
  const res = await jsonLogin("nobody");
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /用户名或密码错误/);
});

Deno.test("logins are in the audit trail, readable by the province only, and the chain verifies", async () => {
  assert.equal((await app.request("/api/v1/audit")).status, 401);
  const dept = await session("department");
  assert.equal((await app.request("/api/v1/audit", { headers: { cookie: dept.cookie } })).status, 403);
  const prov = await session("province");
  const res = await app.request("/api/v1/audit?action=login&limit=500", { headers: { cookie: prov.cookie } });
  assert.equal(res.status, 200);
  const { records } = await res.json();
  const admin = records.filter((r: { actor: string }) => r.actor === "admin").map((r: { action: string }) =>
    r.action
  )
    .reverse();
  assert.deepEqual(admin, [
    ...Array(5).fill("login.failure"),
    "login.locked",
    "login.locked",
    "login.success",
  ]);
  const verify = await app.request("/api/v1/audit/verify", { headers: { cookie: prov.cookie } });
  assert.deepEqual(await verify.json(), await verifyAuditChain(database.db));
  assert.equal((await verifyAuditChain(database.db)).ok, true);
});

Deno.test("close the test database", async () => {
  await database.drop();
});
