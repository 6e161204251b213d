/**
 * The administrator sets an ingest account's sender kind (EXCHANGE.md "Who may send what") through the
 * API and the accounts page; it decides what the account's keys may push.
 */
import assert from "node:assert/strict";
import { createApiKey } from "../auth/api_keys.ts";
import type { Role } from "../auth/roles.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import { testPasswordHash } from "../auth/test_support.ts";
import { createUser, userByName } from "../auth/users.ts";
import { openTestApp, TEST_ITEM } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;

async function login(username: string, role: Role) {
  const user = await createUser(
    db,
    {
      username,
      displayName: username,
      role,
      departments: [],
      region: null,
      hall: null,
    },
    t.deps.clock(),
    { passwordHash: await testPasswordHash() },
  );
  const s = await createSession(db, user.id, t.deps.clock());
  return { cookie: `${SESSION_COOKIE}=${s.token}`, csrf: s.csrfToken };
}
const admin = await login("kind-admin", "admin");
const api = (method: string, path: string, body?: unknown) => t.send(method, path, body);

const evaluation = (id: string) => ({
  id,
  case: "K1",
  type: "evaluation",
  at: "2026-03-01T09:00:00+08:00",
  satisfied: true,
});

Deno.test("an ingest account is a department sender unless the administrator says otherwise", async () => {
  const res = await api("POST", "/api/v1/admin/users", {
    username: "kind-dept",
    displayName: "某市审批平台",
    role: "ingest",
    departments: [TEST_ITEM.department],
  });
  assert.equal(res.status, 201);
  assert.equal((await res.json()).senderKind, "department");
  const person = await api("POST", "/api/v1/admin/users", {
    username: "kind-person",
    displayName: "某人",
    role: "province",
    password: "Kx7-qiang-mima-2026!",
    senderKind: "evaluation",
  });
  assert.equal(person.status, 201);
  assert.equal((await person.json()).senderKind, null, "people have no sender kind");
});

Deno.test("the evaluation platform needs no scope; its kind is shown, changed and audited", async () => {
  const res = await api("POST", "/api/v1/admin/users", {
    username: "kind-pj",
    displayName: "好差评平台",
    role: "ingest",
    senderKind: "evaluation",
  });
  assert.equal(res.status, 201, await res.clone().text());
  const user = await res.json();
  assert.equal(user.senderKind, "evaluation");
  const { key } = await createApiKey(db, { userId: user.id, name: "k", createdBy: "t" });
  const pj = { authorization: `Bearer ${key}` };
  assert.equal((await t.send("POST", "/api/v1/events", [evaluation("K1-e1")], pj)).status, 200);

  // Changed to a department sender (which then needs a scope): evaluations are refused (field type).
  const noScope = await api("PATCH", `/api/v1/admin/users/${user.id}`, { senderKind: "department" });
  assert.equal(noScope.status, 400);
  const changed = await api("PATCH", `/api/v1/admin/users/${user.id}`, {
    senderKind: "department",
    departments: [TEST_ITEM.department],
  });
  assert.equal(changed.status, 200);
  assert.equal((await changed.json()).senderKind, "department");
  const refused = await (await t.send("POST", "/api/v1/events", [evaluation("K1-e2")], pj)).json();
  assert.deepEqual(refused.refused.map((r: { field: string }) => r.field), ["type"]);
  const bad = await api("PATCH", `/api/v1/admin/users/${user.id}`, { senderKind: "supervisor" });
  assert.equal(bad.status, 400);
  const audit = await (await t.send("GET", "/api/v1/audit?action=user.")).json();
  const update = audit.records.find((r: { action: string; target: string }) =>
    r.action === "user.update" && r.target === "kind-pj"
  );
  assert.equal(update.detail.senderKind, "department");
});

Deno.test("the accounts page form sets the sender kind and the account page shows it", async () => {
  const page = await t.app.request("/admin/users", { headers: { cookie: admin.cookie } });
  const html = await page.text();
  assert.match(html, /<select id="f-senderKind" name="senderKind">/);
  assert.ok(html.includes("好差评平台（全省）"));
  const body = new URLSearchParams([
    ["_csrf", admin.csrf],
    ["username", "kind-form"],
    ["displayName", "好差评平台（表单）"],
    ["role", "ingest"],
    ["senderKind", "evaluation"],
    ["region", ""],
    ["hall", ""],
  ]);
  const res = await t.app.request("/admin/users", {
    method: "POST",
    headers: { cookie: admin.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: body.toString(),
  });
  assert.equal(res.status, 303, await res.text());
  const user = (await userByName(db, "kind-form"))!;
  assert.equal(user.senderKind, "evaluation");
  const shown = await (await t.app.request(`/admin/users/${user.id}`, { headers: { cookie: admin.cookie } }))
    .text();
  assert.match(shown, /<dd id="sender-kind">好差评平台（全省）<\/dd>/);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
