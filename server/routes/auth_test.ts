import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { createApp } from "../app.ts";
import { DEMO_PASSWORD, DEMO_USERS } from "../auth/demo_users.ts";
import { delayAfter, FREE_FAILURES, MAX_DELAY_S } from "../auth/throttle.ts";
import { cookiesOf, seedReference, seedUsers, steppingClock, TEST_PASSWORD } from "../auth/test_support.ts";
import { verifyAuditChain } from "../audit.ts";
import { openCalendarStore } from "../calendar_store.ts";

const database = await openTestDatabase();
const clock = steppingClock();
await seedReference(database.db);
await seedUsers(database.db, clock.now);
const calendar = await openCalendarStore(database);
const app = createApp({ database, clock: clock.fn, calendar });

async function jsonLogin(
  username: string,
  password = TEST_PASSWORD,
  headers: Record<string, string> = {},
  from = "10.1.0.1",
  via = app,
) {
  return await via.request("/login", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ username, password }),
  }, { remoteAddr: { hostname: from } });
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
  const post = (next: string, headers: Record<string, string> = {}, url = "/login", via = app) =>
    via.request(url, {
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
  const tls = await post("//evil.example/", {}, "https://jct.example/login");
  assert.equal(tls.headers.get("location"), "/");
  assert.match(tls.headers.getSetCookie().find((l) => l.startsWith("jct_session="))!, /Secure/);
  // X-Forwarded-Proto is anyone's to send: honoured only behind a trusted proxy (TRUST_PROXY).
  const forged = await post("/", { "x-forwarded-proto": "https" });
  assert.doesNotMatch(forged.headers.getSetCookie().find((l) => l.startsWith("jct_session="))!, /Secure/);
  assert.equal(forged.headers.get("strict-transport-security"), null);
  const proxied = createApp({ database, clock: clock.fn, calendar, security: { trustProxy: true } });
  const behind = await post("/", { "x-forwarded-proto": "https" }, "/login", proxied);
  assert.match(behind.headers.getSetCookie().find((l) => l.startsWith("jct_session="))!, /Secure/);
  assert.ok(behind.headers.get("strict-transport-security"));
});

Deno.test("next never leaves the origin: hostile forms end at /, and CR/LF is never a 500", async () => {
  const page = await app.request("/login");
  const csrf = cookiesOf(page).jct_login_csrf;
  const post = (next: string) =>
    app.request("/login", {
      method: "POST",
      headers: { cookie: `jct_login_csrf=${csrf}` },
      body: new URLSearchParams({ username: "province", password: TEST_PASSWORD, _csrf: csrf, next }),
    });
  const hostile = [
    "//evil.example/x",
    "/\t/evil.example/x",
    "/\\evil.example",
    "\\evil.example",
    "/\\/evil.example",
    "/\n/evil.example",
    "/\r\nSet-Cookie: x=1",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    " /x",
    "/x\u0000",
    "",
  ];
  for (const next of hostile) {
    const res = await post(next);
    await res.body?.cancel();
    // A NUL anywhere in a form is refused by the input guard (400); everything else logs in and goes home.
    if (next.includes("\u0000")) assert.equal(res.status, 400);
    else {
      assert.equal(res.status, 303, JSON.stringify(next));
      assert.equal(res.headers.get("location"), "/", JSON.stringify(next));
    }
    // The GET form too: the hidden field carries "/" (a 400 from the input guard is also fine).
    const get = await app.request(`/login?next=${encodeURIComponent(next)}`);
    assert.ok(get.status === 200 || get.status === 400, `${JSON.stringify(next)}: ${get.status}`);
    if (get.status === 200) assert.match(await get.text(), /name="next" value="\/"/);
    else await get.body?.cancel();
  }
  // Encoded slashes stay a path of this origin.
  assert.equal((await post("/%2F%2Fevil.example")).headers.get("location"), "/%2F%2Fevil.example");
  assert.equal(
    (await post("/cases/C%201?q=%E4%B8%AD#top")).headers.get("location"),
    "/cases/C%201?q=%E4%B8%AD#top",
  );
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

Deno.test("failed logins slow down the name from that address: free at first, then 1, 2, 4 s", async () => {
  const from = "10.2.0.1";
  for (let i = 1; i <= FREE_FAILURES; i++) {
    const res = await jsonLogin("admin", `wrong-${i}`, {}, from);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get("retry-after"), null, `failure ${i} is free`);
  }
  for (const delay of [1, 2, 4]) {
    const wrong = await jsonLogin("admin", "wrong-again", {}, from);
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("retry-after"), String(delay));
    // Before the delay has passed, even the right password is not tried.
    const early = await jsonLogin("admin", TEST_PASSWORD, {}, from);
    assert.equal(early.status, 429);
    assert.equal(early.headers.get("retry-after"), String(delay));
    assert.match((await early.json()).error, new RegExp(`请 ${delay} 秒后再试`));
    clock.now += delay * 1000;
  }
  assert.equal((await jsonLogin("admin", TEST_PASSWORD, {}, from)).status, 200);
  // A success forgets the failures.
  assert.equal((await jsonLogin("admin", "wrong-after", {}, from)).headers.get("retry-after"), null);
});

Deno.test("a stranger's failures never delay the right user from another address", async () => {
  for (let i = 0; i < 12; i++) await jsonLogin("province", `guess-${i}`, {}, "203.0.113.9");
  assert.equal((await jsonLogin("province", TEST_PASSWORD, {}, "203.0.113.9")).status, 429);
  assert.equal((await jsonLogin("province", TEST_PASSWORD, {}, "10.3.0.1")).status, 200);
  // Nor another name from the stranger's address.
  assert.equal((await jsonLogin("director", TEST_PASSWORD, {}, "203.0.113.9")).status, 200);
});

Deno.test("the delay is kept in the database: another server instance applies it too", async () => {
  const other = createApp({ database, clock: clock.fn, calendar });
  const from = "10.4.0.1";
  for (let i = 0; i <= FREE_FAILURES; i++) await jsonLogin("department", `wrong-${i}`, {}, from);
  const res = await jsonLogin("department", TEST_PASSWORD, {}, from, other);
  assert.equal(res.status, 429);
  clock.now += 1000;
  assert.equal((await jsonLogin("department", TEST_PASSWORD, {}, from, other)).status, 200);
});

Deno.test("the delay grows by doubling and stops at its cap", () => {
  const delays = Array.from({ length: 20 }, (_, i) => delayAfter(i + 1));
  assert.deepEqual(delays.slice(0, FREE_FAILURES + 4), [...Array(FREE_FAILURES).fill(0), 1, 2, 4, 8]);
  assert.equal(Math.max(...delays), MAX_DELAY_S);
  assert.equal(delayAfter(1000), MAX_DELAY_S);
});

Deno.test("the login form tells how long to wait and keeps where to go next", async () => {
  const from = "10.6.0.1";
  for (let i = 0; i <= FREE_FAILURES; i++) await jsonLogin("hall-manager", `wrong-${i}`, {}, from);
  const page = await app.request("/login?next=%2Fcases", {}, { remoteAddr: { hostname: from } });
  const csrf = cookiesOf(page).jct_login_csrf;
  const res = await app.request("/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `jct_login_csrf=${csrf}` },
    body: new URLSearchParams({
      _csrf: csrf,
      username: "hall-manager",
      password: TEST_PASSWORD,
      next: "/cases",
    }),
  }, { remoteAddr: { hostname: from } });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login?error=throttled&wait=1&next=%2Fcases");
  const html = await (await app.request(res.headers.get("location")!)).text();
  assert.match(html, /登录失败次数过多，请 1 秒后再试/);
});

Deno.test("unknown usernames fail like wrong passwords", async () => {
  const res = await jsonLogin("nobody");
  assert.equal(res.status, 401);
  assert.match((await res.json()).error, /用户名或密码错误/);
});

Deno.test("logins are in the audit trail, readable by the province only, and the chain verifies", async () => {
  // Its own logins of admin: failures up to a delay, one refused while it runs, one more failure, a success.
  const from = "10.9.0.1";
  for (let i = 0; i <= FREE_FAILURES; i++) {
    await (await jsonLogin("admin", `wrong-${i}`, {}, from)).body?.cancel();
  }
  await (await jsonLogin("admin", TEST_PASSWORD, {}, from)).body?.cancel();
  clock.now += delayAfter(FREE_FAILURES + 1) * 1000;
  await (await jsonLogin("admin", "wrong-again", {}, from)).body?.cancel();
  clock.now += delayAfter(FREE_FAILURES + 2) * 1000;
  assert.equal((await jsonLogin("admin", TEST_PASSWORD, {}, from)).status, 200);
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
  assert.deepEqual(admin.slice(0, FREE_FAILURES + 3), [
    ...Array(FREE_FAILURES + 1).fill("login.failure"),
    "login.throttled",
    "login.failure",
  ]);
  assert.ok(admin.includes("login.success"));
  const verify = await app.request("/api/v1/audit/verify", { headers: { cookie: prov.cookie } });
  assert.deepEqual(await verify.json(), await verifyAuditChain(database.db));
  assert.equal((await verifyAuditChain(database.db)).ok, true);
});

Deno.test.afterAll(async () => {
  await database.drop();
});
