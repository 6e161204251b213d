import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { auditLog } from "../../db/schema_auth.ts";
import { verifyPassword } from "../auth/password.ts";
import type { Role } from "../auth/roles.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import { testPasswordHash } from "../auth/test_support.ts";
import { createUser, userByName } from "../auth/users.ts";
import { openTestApp, receivedEvent } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;

// One open case, so that a calendar change has something to recalculate.
const ingested = await t.send("POST", "/api/v1/events", [
  receivedEvent("c1-r", "C1", "2026-02-27T09:00:00+08:00"),
  { id: "c1-a", case: "C1", type: "accepted", at: "2026-02-27T09:30:00+08:00", handler: "李四" },
]);
assert.equal(ingested.status, 200, await ingested.text());

/** A logged-in user of a role: its id, cookie and CSRF token. */
async function login(username: string, role: Role, scope: { region?: string } = {}) {
  const user = await createUser(
    db,
    {
      username,
      displayName: `${role} 测试`,
      role,
      departments: [],
      region: scope.region ?? null,
      hall: null,
    },
    t.deps.clock(),
    { passwordHash: await testPasswordHash() },
  );
  const s = await createSession(db, user.id, t.deps.clock());
  return { id: user.id, cookie: `${SESSION_COOKIE}=${s.token}`, csrf: s.csrfToken };
}
const admin = await login("page-admin", "admin");
const province = await login("page-province", "province");

type Who = { cookie: string; csrf?: string };
const get = async (path: string, who: Who) => {
  const res = await t.app.request(path, { headers: { cookie: who.cookie } });
  return { status: res.status, location: res.headers.get("location"), html: await res.text(), res };
};
/** A form post as the browser sends it, with the session's `_csrf` unless `csrf: false`. */
const post = async (path: string, who: Who, fields: [string, string][], opts: { csrf?: boolean } = {}) => {
  const body = new URLSearchParams(fields);
  if (opts.csrf !== false && who.csrf) body.set("_csrf", who.csrf);
  const res = await t.app.request(path, {
    method: "POST",
    headers: { cookie: who.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  return { status: res.status, location: res.headers.get("location"), html: await res.text(), res };
};
const auditActions = async (action: string) =>
  (await db.select().from(auditLog).where(eq(auditLog.action, action))).filter((r) =>
    r.actor === "page-admin"
  );

const PAGES = [
  "/admin",
  "/admin/users",
  `/admin/users/${province.id}`,
  "/admin/keys",
  "/admin/display-tokens",
];

Deno.test("every administration page renders for an administrator, without scripts, with the 系统管理 link", async () => {
  for (const path of [...PAGES, "/admin/calendar"]) {
    const { status, html, res } = await get(path, admin);
    assert.equal(status, 200, path);
    assert.match(html, /^<!DOCTYPE html><html lang="zh-CN"/);
    assert.doesNotMatch(html, /<script/, path);
    assert.match(html, /<a href="\/admin"[^>]*>系统管理<\/a>/, path);
    assert.equal(res.headers.get("cache-control"), "no-store", path);
  }
});

Deno.test("the administration pages are refused (403 page) to a province supervisor's session", async () => {
  for (const path of [...PAGES, "/admin/calendar"]) {
    const { status, html } = await get(path, province);
    assert.equal(status, 403, path);
    assert.ok(html.includes("无权"), path);
  }
  const res = await post("/admin/users", province, [["username", "sneaky"]]);
  assert.equal(res.status, 403);
});

Deno.test("the account list shows roles in Chinese and scopes by name", async () => {
  const { html } = await get("/admin/users", admin);
  assert.match(html, /<tr data-user="test-ingest">/);
  assert.ok(html.includes("系统管理员") && html.includes("省级监察机构") && html.includes("数据接入客户端"));
  assert.ok(html.includes("郑州市市场监督管理局"), "the ingest client's department by name");
  assert.ok(html.includes(`<input type="hidden" name="_csrf" value="${admin.csrf}"/>`));
});

Deno.test("an account created through the form is listed and audited; without the CSRF field it is refused", async () => {
  const fields: [string, string][] = [
    ["username", "zz-region"],
    ["displayName", "郑州市电子监察室"],
    ["role", "region"],
    ["region", "410100"],
    ["hall", ""],
    ["password", "long-enough-pass"],
  ];
  const refused = await post("/admin/users", admin, fields, { csrf: false });
  assert.equal(refused.status, 403);
  assert.equal(await userByName(db, "zz-region"), null);

  const created = await post("/admin/users", admin, fields);
  assert.equal(created.status, 303, created.html);
  assert.equal(created.location, "/admin/users?created=zz-region");
  const { html } = await get(created.location!, admin);
  assert.ok(html.includes("账户 zz-region 已创建"));
  const row = html.match(/<tr data-user="zz-region".*?<\/tr>/)![0];
  assert.ok(row.includes("市县监察机构") && row.includes("郑州市") && row.includes("启用"), row);
  const user = (await userByName(db, "zz-region"))!;
  assert.ok(await verifyPassword("long-enough-pass", user.passwordHash!));
  assert.equal((await auditActions("user.create")).filter((r) => r.target === "zz-region").length, 1);
});

Deno.test("the account form refuses weak passwords, naming why, and a person's account without one", async () => {
  const base: [string, string][] = [["displayName", "某人"], ["role", "province"], ["region", ""], [
    "hall",
    "",
  ]];
  for (
    const [password, why] of [
      ["            ", "密码不能全是空白字符"],
      ["aaaaaaaaaaaa", "密码不能由同一个字符重复组成"],
      ["Weak-Sheng-1", "密码不能与用户名相同"],
      ["qwerty123456", "密码过于常见"],
      ["iloveyou2026!", "密码过于常见"],
      ["", "不能为空"],
    ]
  ) {
    const res = await post("/admin/users", admin, [
      ["username", "weak-sheng-1"],
      ["password", password],
      ...base,
    ]);
    assert.equal(res.status, 400, password);
    assert.match(res.html, /class="admin-field has-error" data-field="password"/, password);
    assert.ok(res.html.includes(why), `${JSON.stringify(password)}: ${why}`);
  }
  assert.equal(await userByName(db, "weak-sheng-1"), null);
  const reset = await post(`/admin/users/${province.id}/password`, admin, [
    ["password", "page-province"],
    ["confirm", "page-province"],
  ]);
  assert.equal(reset.status, 400);
  assert.ok(reset.html.includes("密码不能与用户名相同"));
});

Deno.test("a refused account form names the field and keeps what was entered", async () => {
  const base: [string, string][] = [["displayName", "某部门"], ["region", ""], ["hall", ""]];
  const noDepartment = await post("/admin/users", admin, [
    ["username", "dept-a"],
    ["role", "department"],
    ["password", "long-enough-pass"],
    ...base,
  ]);
  assert.equal(noDepartment.status, 400);
  assert.match(noDepartment.html, /data-field="departments"/);
  assert.match(noDepartment.html, /class="admin-field has-error" data-field="departments"/);
  assert.ok(noDepartment.html.includes("部门：部门工作人员须指定部门"));
  assert.ok(noDepartment.html.includes('value="dept-a"'), "the username is kept");

  const shortPassword = await post("/admin/users", admin, [
    ["username", "dept-b"],
    ["role", "department"],
    ["departments", "410100-SCJGJ"],
    ["password", "short-pass"],
    ...base,
  ]);
  assert.equal(shortPassword.status, 400);
  assert.ok(shortPassword.html.includes("密码至少 12 个字符"));
  assert.doesNotMatch(shortPassword.html, /short-pass/, "a password is never echoed");

  const taken = await post("/admin/users", admin, [
    ["username", "test-admin"],
    ["role", "province"],
    ["password", "long-enough-pass"],
    ...base,
  ]);
  assert.equal(taken.status, 400);
  assert.match(taken.html, /class="admin-field has-error" data-field="username"/);
  assert.ok(taken.html.includes("用户名：用户名已存在"));
  assert.equal(await userByName(db, "dept-a"), null);
  assert.equal(await userByName(db, "dept-b"), null);
});

Deno.test("an account's role, scope and activity change through its page; nobody deactivates themselves", async () => {
  const target = await login("zz-changed", "region", { region: "410100" });
  const path = `/admin/users/${target.id}`;
  const saved = await post(path, admin, [
    ["displayName", "郑州大厅管理"],
    ["role", "hall_manager"],
    ["region", ""],
    ["hall", "410100-HALL"],
    ["active", "false"],
  ]);
  assert.equal(saved.status, 303, saved.html);
  const { html } = await get("/admin/users", admin);
  const row = html.match(/<tr data-user="zz-changed".*?<\/tr>/)![0];
  assert.ok(row.includes("大厅管理员") && row.includes("郑州市政务服务大厅") && row.includes("已停用"), row);
  const [record] = (await auditActions("user.update")).filter((r) => r.target === "zz-changed");
  assert.equal((record.detail as { active: boolean }).active, false);

  const self = await post(`/admin/users/${admin.id}`, admin, [
    ["displayName", "管理员"],
    ["role", "admin"],
    ["active", "false"],
  ]);
  assert.equal(self.status, 400);
  assert.match(self.html, /class="admin-field has-error" data-field="active"/);
  assert.ok(self.html.includes("状态：不能停用自己"));
});

Deno.test("a new password is set through the form; a mismatch names 确认密码", async () => {
  const target = await login("zz-password", "region", { region: "410100" });
  const path = `/admin/users/${target.id}/password`;
  const mismatch = await post(path, admin, [["password", "new-password-123"], [
    "confirm",
    "new-password-124",
  ]]);
  assert.equal(mismatch.status, 400);
  assert.ok(mismatch.html.includes("确认密码：两次输入的密码不一致"));
  const ok = await post(path, admin, [["password", "new-password-123"], ["confirm", "new-password-123"]]);
  assert.equal(ok.status, 303);
  assert.equal(ok.location, `/admin/users/${target.id}?saved=password`);
  assert.ok(await verifyPassword("new-password-123", (await userByName(db, "zz-password"))!.passwordHash!));
});

Deno.test("an API key is shown once on the answer to the form, works, and stops working when revoked", async () => {
  const ingest = (await userByName(db, "test-ingest"))!;
  const missing = await post("/admin/keys", admin, [["userId", ingest.id], ["name", ""]]);
  assert.equal(missing.status, 400);
  assert.ok(missing.html.includes("用途说明：不能为空"));
  assert.equal(
    (await post("/admin/keys", admin, [["userId", ingest.id], ["name", "x"]], { csrf: false })).status,
    403,
  );

  const created = await post("/admin/keys", admin, [["userId", ingest.id], ["name", "审批系统"]]);
  assert.equal(created.status, 200);
  assert.ok(created.html.includes("仅显示一次"));
  const key = created.html.match(/jct_[A-Za-z0-9_-]{20,}/)![0];
  assert.equal(created.res.headers.get("cache-control"), "no-store");
  const me = await t.send("GET", "/api/v1/me", undefined, { authorization: `Bearer ${key}` });
  assert.equal(me.status, 200);
  await me.body?.cancel();

  const again = await get("/admin/keys", admin);
  assert.ok(!again.html.includes(key), "a second GET does not show the key");
  assert.ok(again.html.includes(key.slice(0, 10)), "only its prefix");
  const id = again.html.match(new RegExp(`<tr data-key="([^"]+)"><td class="mono">${key.slice(0, 10)}`))![1];
  const record = (await auditActions("key.create")).find((r) => (r.detail as { keyId: string }).keyId === id);
  assert.ok(record && !JSON.stringify(record).includes(key));

  assert.equal((await post(`/admin/keys/${id}/revoke`, admin, [], { csrf: false })).status, 403);
  const revoked = await post(`/admin/keys/${id}/revoke`, admin, []);
  assert.equal(revoked.status, 303);
  assert.ok((await get(revoked.location!, admin)).html.includes("密钥已吊销"));
  const after = await t.send("GET", "/api/v1/me", undefined, { authorization: `Bearer ${key}` });
  assert.equal(after.status, 401);
  await after.body?.cancel();
  assert.equal((await auditActions("key.revoke")).filter((r) => r.target === id).length, 1);
});

Deno.test("a display token's wall-screen address is shown once, opens its hall, and is refused once revoked", async () => {
  const noHall = await post("/admin/display-tokens", admin, [["hall", ""], ["name", "大屏"], [
    "expiresAt",
    "",
  ]]);
  assert.equal(noHall.status, 400);
  assert.ok(noHall.html.includes("大厅：不能为空"));
  const past = await post("/admin/display-tokens", admin, [
    ["hall", "410100-HALL"],
    ["name", "大屏"],
    ["expiresAt", "2026-03-01"],
  ]);
  assert.equal(past.status, 400);
  assert.ok(past.html.includes("有效期至：须晚于今天"));

  const created = await post("/admin/display-tokens", admin, [
    ["hall", "410100-HALL"],
    ["name", "一楼大屏"],
    ["expiresAt", ""],
  ]);
  assert.equal(created.status, 200);
  assert.ok(created.html.includes("仅显示一次"));
  const url = created.html.match(/http:\/\/localhost\/hall\/410100-HALL\?token=(dsp_[A-Za-z0-9_-]+)/)!;
  const screen = await t.app.request(url[0]);
  assert.equal(screen.status, 200);
  await screen.body?.cancel();

  const again = await get("/admin/display-tokens", admin);
  assert.ok(!again.html.includes(url[1]), "a second GET does not show the token");
  assert.match(again.html, /<section class="admin-hall" data-hall="410100-HALL">/);
  const id = again.html.match(/<tr data-token="([^"]+)"><td class="mono">[^<]*<\/td><td>一楼大屏/)![1];
  const revoked = await post(`/admin/display-tokens/${id}/revoke`, admin, []);
  assert.equal(revoked.status, 303);
  const refused = await t.app.request(url[0]);
  assert.notEqual(refused.status, 200);
  await refused.body?.cancel();
  assert.equal((await auditActions("display_token.create")).length, 1);
  assert.equal((await auditActions("display_token.revoke")).filter((r) => r.target === id).length, 1);
});

Deno.test("the calendar page highlights the missing year, and a year posted through it changes GET /api/v1/calendar", async () => {
  const before = await get("/admin/calendar", admin);
  assert.ok(before.html.includes("2027年节假日安排未载入，按周一至周五计算"));
  assert.match(before.html, /<tr data-year="2026">/);
  const status = await (await t.send("GET", "/api/v1/calendar")).json();
  assert.deepEqual(status.missing, [2027]);

  const badJson = await post("/admin/calendar", admin, [["year", "2027"], ["data", "{holidays"], [
    "source",
    "",
  ]]);
  assert.equal(badJson.status, 400);
  assert.ok(badJson.html.includes("节假日数据（JSON）：不是有效的 JSON"));
  assert.ok(badJson.html.includes("{holidays</textarea>"), "what was pasted is kept");
  const badDate = await post("/admin/calendar", admin, [
    ["year", "2027"],
    ["data", '{"holidays":["2026-10-01"],"workdays":[]}'],
    ["source", ""],
  ]);
  assert.equal(badDate.status, 400);
  assert.ok(
    badDate.html.includes("2027.holidays: &quot;2026-10-01&quot; is not a date in 2027"),
    badDate.html,
  );
  const badYear = await post("/admin/calendar", admin, [["year", "27"], [
    "data",
    '{"holidays":[],"workdays":[]}',
  ]]);
  assert.equal(badYear.status, 400);
  assert.match(badYear.html, /class="admin-field has-error" data-field="year"/);

  const data = { holidays: ["2027-01-01", "2027-02-05", "2027-02-08"], workdays: ["2027-02-06"] };
  const saved = await post("/admin/calendar", admin, [
    ["year", "2027"],
    ["data", JSON.stringify(data)],
    ["source", "国办发明电〔2026〕测试"],
  ]);
  assert.equal(saved.status, 303, saved.html);
  const recalculated = Number(new URL(saved.location!, "http://x").searchParams.get("recalculated"));
  assert.ok(recalculated >= 1, "the open case was recalculated");
  const page = await get(saved.location!, admin);
  assert.ok(page.html.includes(`2027年节假日安排已保存，已重新计算 ${recalculated} 件办件的时限`));
  assert.ok(!page.html.includes("2027年节假日安排未载入"));

  const after = await (await t.send("GET", "/api/v1/calendar")).json();
  assert.deepEqual(after.missing, []);
  const year = after.years.find((y: { year: number }) => y.year === 2027);
  assert.equal(year.source, "国办发明电〔2026〕测试");
  assert.equal(year.updatedBy, "page-admin");
  const stored = await (await t.send("GET", "/api/v1/calendar/2027")).json();
  assert.deepEqual([stored.holidays, stored.workdays], [data.holidays, data.workdays]);
  assert.equal((await auditActions("calendar.update")).length, 1);
});

Deno.test("anonymous visitors are sent to the login page", async () => {
  const res = await t.app.request("/admin/users");
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/login?next=%2Fadmin%2Fusers");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
