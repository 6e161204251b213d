import assert from "node:assert/strict";
import { createUser } from "../auth/users.ts";
import { sessionHeaders, testPasswordHash } from "../auth/test_support.ts";
import { openTestApp } from "../testing.ts";

// One page of each router that guards its pages (case pages, administration, reports, supervision:
// queue, spot checks, orders, the work portal's outbox), each with a query string to keep.
const PAGES = [
  "/cases?status=open&sort=remaining",
  "/cases/C-1?tab=events",
  "/admin/users?role=admin",
  "/admin/reference?kind=items",
  "/reports?month=2024-10&unit=410100",
  "/queue?rule=8.1",
  "/spot-checks?month=2024-10",
  "/orders?state=open",
  "/admin/portal?state=dead",
];

const t = await openTestApp("2024-10-15T10:00:00+08:00");
Deno.test.afterAll(() => t.database.drop());
const hallManager = await createUser(
  t.database.db,
  {
    username: "guard-hall-manager",
    displayName: "大厅管理员",
    role: "hall_manager",
    departments: [],
    region: null,
    hall: "410100-HALL",
  },
  t.deps.clock(),
  { passwordHash: await testPasswordHash() },
);
// A browser: a login cookie, no JSON content type.
const { cookie } = await sessionHeaders(t.database.db, hallManager.id, t.deps.clock());

for (const path of PAGES) {
  Deno.test(`${path}: an anonymous visitor is sent to login and brought back to the same path and query`, async () => {
    const res = await t.app.request(path, { headers: { accept: "text/html" } });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent(path)}`);
  });

  Deno.test(`${path}: a role without the permission gets the 403 error page in HTML`, async () => {
    const res = await t.app.request(path, { headers: { accept: "text/html", cookie } });
    assert.equal(res.status, 403);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    const html = await res.text();
    assert.match(html, /<h1>无权访问<\/h1>/);
    assert.match(html, /您的账户无权查看此页面/);
  });
}
