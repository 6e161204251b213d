import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { auditLog } from "../../db/schema_auth.ts";
import { createApp } from "../app.ts";
import { cookiesOf, seedReference, seedUsers, steppingClock, TEST_PASSWORD } from "../auth/test_support.ts";
import { openCalendarStore } from "../calendar_store.ts";

const database = await openTestDatabase();
const clock = steppingClock();
await seedReference(database.db);
await seedUsers(database.db, clock.now);
const app = createApp({ database, clock: clock.fn, calendar: await openCalendarStore(database) });

async function session(username: string, password = TEST_PASSWORD) {
  const res = await app.request("/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  assert.equal(res.status, 200, `login ${username}`);
  const { csrfToken } = await res.json();
  return { cookie: `jct_session=${cookiesOf(res).jct_session}`, "x-csrf-token": csrfToken as string };
}
const admin = await session("admin");
const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = admin) =>
  app.request(path, {
    method,
    headers: { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A department account with a password, made through the API by the test that needs it. */
async function newUser(username: string, password = "long-enough-pw") {
  const res = await send("POST", "/api/v1/admin/users", {
    username,
    displayName: "张三",
    password,
    role: "department",
    departments: ["410300-SCJGJ"],
  });
  assert.equal(res.status, 201, `create ${username}`);
  return await res.json() as { id: string; username: string };
}

Deno.test("administration answers 401 anonymously and 403 to every role but admin", async () => {
  assert.equal((await app.request("/api/v1/admin/users")).status, 401);
  for (const role of ["province", "region", "department", "hall-manager", "director"]) {
    const s = await session(role);
    assert.equal((await send("GET", "/api/v1/admin/users", undefined, s)).status, 403, role);
    assert.equal((await send("POST", "/api/v1/admin/keys", { userId: "x", name: "x" }, s)).status, 403, role);
  }
});

Deno.test("user lists never include password hashes", async () => {
  const res = await send("GET", "/api/v1/admin/users");
  const list = await res.json();
  assert.equal(list.length, 7);
  for (const u of list) {
    assert.equal("passwordHash" in u, false);
    assert.equal(u.hasPassword, true);
  }
});

Deno.test("creating a user checks the role's scope against the reference data", async () => {
  const base = { username: "zhang.san", displayName: "张三", password: "long-enough-pw" };
  const noDept = await send("POST", "/api/v1/admin/users", { ...base, role: "department" });
  assert.equal(noDept.status, 400);
  assert.match((await noDept.json()).error, /departments required/);
  const unknown = await send("POST", "/api/v1/admin/users", {
    ...base,
    role: "department",
    departments: ["X-1"],
  });
  assert.match((await unknown.json()).error, /unknown department\): X-1/);
  const short = await send("POST", "/api/v1/admin/users", { ...base, password: "short", role: "province" });
  assert.equal(short.status, 400);
  const ok = await send("POST", "/api/v1/admin/users", {
    ...base,
    role: "department",
    departments: ["410300-SCJGJ"],
  });
  assert.equal(ok.status, 201);
  assert.equal((await send("POST", "/api/v1/admin/users", { ...base, role: "province" })).status, 409);
  const s = await session("zhang.san", "long-enough-pw");
  const me = await (await app.request("/api/v1/me", { headers: s })).json();
  assert.deepEqual(me.departments, ["410300-SCJGJ"]);
});

Deno.test("changing a user ends their sessions; an administrator cannot lock themselves out", async () => {
  await newUser("zhang.wu");
  const s = await session("zhang.wu", "long-enough-pw");
  const list = await (await send("GET", "/api/v1/admin/users")).json();
  const zhang = list.find((u: { username: string }) => u.username === "zhang.wu");
  const res = await send("PATCH", `/api/v1/admin/users/${zhang.id}`, { role: "region", region: "410300" });
  assert.equal(res.status, 200);
  assert.deepEqual((await res.json()).departments, []);
  assert.equal((await app.request("/api/v1/me", { headers: s })).status, 401);
  const renamed = await send("PATCH", `/api/v1/admin/users/${zhang.id}`, { displayName: "张三丰" });
  assert.equal((await renamed.json()).region, "410300", "a change keeps the fields it does not name");
  const self = list.find((u: { username: string }) => u.username === "admin");
  assert.equal((await send("PATCH", `/api/v1/admin/users/${self.id}`, { active: false })).status, 409);
  const off = await send("PATCH", `/api/v1/admin/users/${zhang.id}`, { active: false });
  assert.equal(off.status, 200);
  const login = await app.request("/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "zhang.wu", password: "long-enough-pw" }),
  });
  assert.equal(login.status, 401, "a deactivated account cannot log in");
});

Deno.test("an API key is shown once, works as a Bearer token, and stops working when revoked", async () => {
  const list = await (await send("GET", "/api/v1/admin/users")).json();
  const ingest = list.find((u: { username: string }) => u.username === "ingest");
  const res = await send("POST", "/api/v1/admin/keys", { userId: ingest.id, name: "市场监管局对接" });
  assert.equal(res.status, 201);
  const { id, key, prefix } = await res.json();
  assert.match(key, /^jct_[A-Za-z0-9_-]{43}$/);
  assert.ok(key.startsWith(prefix));
  const keys = await (await send("GET", `/api/v1/admin/keys?user=${ingest.id}`)).json();
  assert.equal(keys.length, 1);
  assert.equal(JSON.stringify(keys).includes(key), false);
  assert.equal("keyHash" in keys[0], false);
  const bearer = { authorization: `Bearer ${key}` };
  assert.equal((await (await app.request("/api/v1/me", { headers: bearer })).json()).role, "ingest");
  assert.equal((await send("DELETE", `/api/v1/admin/keys/${id}`)).status, 200);
  assert.equal((await app.request("/api/v1/me", { headers: bearer })).status, 401);
  assert.equal((await send("DELETE", `/api/v1/admin/keys/${id}`)).status, 404);
});

Deno.test("display tokens are issued for existing halls only and listed without their hash", async () => {
  const bad = await send("POST", "/api/v1/admin/display-tokens", { hall: "NOPE", name: "大屏" });
  assert.equal(bad.status, 400);
  const res = await send("POST", "/api/v1/admin/display-tokens", { hall: "410100-ZWFW", name: "一楼大屏" });
  assert.equal(res.status, 201);
  const { token } = await res.json();
  assert.match(token, /^dsp_/);
  const list = await (await send("GET", "/api/v1/admin/display-tokens")).json();
  assert.equal(list.length, 1);
  assert.equal("tokenHash" in list[0], false);
});

Deno.test("people's accounts need a password the policy allows; only ingest accounts may have none", async () => {
  const base = { username: "li.si", displayName: "李四", role: "province" };
  const none = await send("POST", "/api/v1/admin/users", base);
  assert.equal(none.status, 400);
  assert.match((await none.json()).error, /须设置密码.*\(a person's account needs a password\)/);
  for (
    const [password, why] of [
      ["short-pw-1", /密码至少 12 个字符 \(password shorter than 12/],
      ["            ", /全是空白字符 \(password is only whitespace\)/],
      ["zzzzzzzzzzzzzz", /同一个字符重复组成 \(password repeats one character\)/],
      ["LI.SI", /密码至少/],
      ["1qaz2wsx3edc", /过于常见.*\(password is in the list of common passwords\)/],
      ["Password1234", /过于常见/],
    ] as const
  ) {
    const res = await send("POST", "/api/v1/admin/users", { ...base, password });
    assert.equal(res.status, 400, password);
    const body = await res.json();
    assert.match(body.error, why, password);
    assert.deepEqual(body.details[0].path, ["password"]);
  }
  const same = await send("POST", "/api/v1/admin/users", {
    ...base,
    username: "wang.wu.2026",
    password: "Wang.Wu.2026",
  });
  assert.match((await same.json()).error, /与用户名相同 \(password equals the user name\)/);
  for (const role of ["province", "region", "department", "director", "admin", "hall_manager"]) {
    const res = await send("POST", "/api/v1/admin/users", { ...base, username: `nopw-${role}`, role });
    assert.equal(res.status, 400, role);
    await res.body?.cancel();
  }
  const machine = await send("POST", "/api/v1/admin/users", {
    username: "zz-system",
    displayName: "郑州审批系统",
    role: "ingest",
    region: "410100",
  });
  assert.equal(machine.status, 201);
  const { id } = await machine.json();
  // It cannot become a person's account without getting a password.
  const promoted = await send("PATCH", `/api/v1/admin/users/${id}`, { role: "province" });
  assert.equal(promoted.status, 400);
  assert.match((await promoted.json()).error, /须设置密码/);
  const weak = await send("PATCH", `/api/v1/admin/users/${id}`, { password: "zz-system" });
  assert.equal(weak.status, 400);
  await weak.body?.cancel();
});

Deno.test("API keys are only for ingest accounts, may expire, and expired keys are refused", async () => {
  const list = await (await send("GET", "/api/v1/admin/users")).json();
  const idOf = (name: string) => list.find((u: { username: string }) => u.username === name).id;
  for (const person of ["province", "admin", "department", "hall-manager", "director", "region"]) {
    const res = await send("POST", "/api/v1/admin/keys", { userId: idOf(person), name: "不应签发" });
    assert.equal(res.status, 400, person);
    assert.match(
      (await res.json()).error,
      /只能为数据接入账户签发 API 密钥.*\(API keys are only for ingest accounts/,
    );
  }
  const past = await send("POST", "/api/v1/admin/keys", {
    userId: idOf("ingest"),
    name: "过期",
    expiresAt: new Date(clock.now - 1000).toISOString(),
  });
  assert.equal(past.status, 400);
  assert.match((await past.json()).error, /expiresAt/);
  const res = await send("POST", "/api/v1/admin/keys", {
    userId: idOf("ingest"),
    name: "一天",
    expiresAt: new Date(clock.now + 86_400_000).toISOString(),
  });
  assert.equal(res.status, 201);
  const { key } = await res.json();
  const listed = (await (await send("GET", `/api/v1/admin/keys?user=${idOf("ingest")}`)).json())
    .find((k: { name: string }) => k.name === "一天");
  assert.equal(new Date(listed.expiresAt).getTime(), clock.now + 86_400_000);
  const bearer = { authorization: `Bearer ${key}` };
  assert.equal((await app.request("/api/v1/me", { headers: bearer })).status, 200);
  clock.now += 86_400_000;
  const expired = await app.request("/api/v1/me", { headers: bearer });
  assert.equal(expired.status, 401);
  assert.match((await expired.json()).error, /已过期/);
  clock.now -= 86_400_000;
});

Deno.test("a key stops working when its account stops being an ingest account", async () => {
  const list = await (await send("GET", "/api/v1/admin/users")).json();
  const created = await send("POST", "/api/v1/admin/users", {
    username: "lz-system",
    displayName: "洛阳审批系统",
    role: "ingest",
    region: "410300",
  });
  const { id } = await created.json();
  const { key } = await (await send("POST", "/api/v1/admin/keys", { userId: id, name: "洛阳" })).json();
  const bearer = { authorization: `Bearer ${key}` };
  assert.equal((await app.request("/api/v1/me", { headers: bearer })).status, 200);
  const changed = await send("PATCH", `/api/v1/admin/users/${id}`, {
    role: "region",
    password: "luoyang-region-2026",
  });
  assert.equal(changed.status, 200);
  assert.equal((await app.request("/api/v1/me", { headers: bearer })).status, 401);
  assert.ok(list.length > 0);
});

Deno.test("administration is in the audit trail, and no record holds a password or a secret", async () => {
  // Its own administration: an account with a password, changed; a key made and revoked; a display token.
  const user = await newUser("audit.user");
  await (await send("PATCH", `/api/v1/admin/users/${user.id}`, { displayName: "审计" })).body?.cancel();
  const ingest = (await (await send("GET", "/api/v1/admin/users")).json())
    .find((u: { username: string }) => u.username === "ingest");
  const made = await (await send("POST", "/api/v1/admin/keys", { userId: ingest.id, name: "审计" })).json();
  await (await send("DELETE", `/api/v1/admin/keys/${made.id}`)).body?.cancel();
  await (await send("POST", "/api/v1/admin/display-tokens", { hall: "410100-ZWFW", name: "审计大屏" })).body
    ?.cancel();
  const rows = await database.db.select().from(auditLog);
  const actions = rows.filter((r) => r.actor === "admin").map((r) => r.action);
  for (const a of ["user.create", "user.update", "key.create", "key.revoke", "display_token.create"]) {
    assert.ok(actions.includes(a), a);
  }
  const text = JSON.stringify(rows);
  assert.equal(text.includes("long-enough-pw"), false);
  assert.equal(/jct_[A-Za-z0-9_-]{43}|dsp_[A-Za-z0-9_-]{43}/.test(text), false);
});

Deno.test.afterAll(async () => {
  await database.drop();
});
