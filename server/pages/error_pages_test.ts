/**
 * One error mapping: page routes answer Chinese HTML error pages with a way back the visitor may use,
 * `/api/` routes answer JSON; and each role's landing page.
 */
import assert from "node:assert/strict";
import { createUser } from "../auth/users.ts";
import { openTestApp } from "../testing.ts";
import { chineseOnly } from "./error_page.tsx";
import { landingOf } from "./landing.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");
/** A browser's GET of a page. */
const browse = (path: string, authorization: string) =>
  t.send("GET", path, undefined, { authorization, "content-type": "", accept: "text/html" });

Deno.test("an unknown page is a Chinese 404 page with a way back; an unknown API path is JSON", async () => {
  const anon = await browse("/no-such-page", "");
  assert.equal(anon.status, 404);
  assert.match(anon.headers.get("content-type")!, /text\/html/);
  const html = await anon.text();
  assert.match(html, /<h1>页面不存在<\/h1>/);
  assert.match(html, /href="\/login"[^>]*>前往登录/);
  const api = await t.send("GET", "/api/v1/no-such-thing");
  assert.equal(api.status, 404);
  assert.match((await api.json()).error, /not found/);
});

Deno.test("a case outside the caller's scope is a 404 page leading back to the caller's own page", async () => {
  const res = await browse("/cases/NOPE", t.auth.province);
  assert.equal(res.status, 404);
  const html = await res.text();
  assert.match(html, /没有此办件/);
  assert.doesNotMatch(html, /no such case/, "no English on the page");
  assert.match(html, /href="\/"[^>]*>返回我的工作页/);
});

Deno.test("a page a role may not open is a Chinese 403 page leading to the person's own page", async () => {
  const staff = await createUser(
    t.database.db,
    {
      username: "err-staff",
      displayName: "窗口工作人员",
      role: "department",
      departments: ["410100-SCJGJ"],
      region: null,
      hall: null,
    },
    t.deps.clock(),
    { passwordHash: "x" },
  );
  for (const path of ["/queue", "/spot-checks", "/admin", "/audit"]) {
    const res = await browse(path, t.authOf(staff.id));
    assert.equal(res.status, 403, path);
    const html = await res.text();
    assert.match(html, /无权/, path);
    // The hall list ("/") is not a way back for department staff: their desk is.
    assert.match(html, /href="\/cases"[^>]*>返回我的工作页/, path);
  }
});

Deno.test("a bad list parameter on the desk is a Chinese 400 page", async () => {
  const res = await browse("/cases?limit=5000", t.auth.province);
  assert.equal(res.status, 400);
  assert.match(await res.text(), /<h1>请求有误<\/h1>/);
});

Deno.test("each role lands where it works", () => {
  assert.equal(landingOf({ role: "department" }), "/cases");
  assert.equal(landingOf({ role: "director" }), "/reports");
  assert.equal(landingOf({ role: "admin" }), "/admin");
  assert.equal(landingOf({ role: "hall_manager", hall: "410100-HALL" }), "/hall/410100-HALL");
  assert.equal(landingOf({ role: "province" }), "/");
  assert.equal(landingOf({ role: "region" }), "/");
});

Deno.test("chineseOnly() drops the English gloss of a message", () => {
  assert.equal(chineseOnly("没有此办件 (no such case)"), "没有此办件");
  assert.equal(chineseOnly("limit: must be at most 1000"), "");
});

Deno.test("the calendar page shows the built-in years' source in Chinese", async () => {
  const res = await t.send("GET", "/admin/calendar", undefined, {
    authorization: t.auth.admin,
    "content-type": "",
  });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /内置数据：国务院办公厅历年节假日安排通知/);
  assert.doesNotMatch(html, /NateScarlet|State Council/);
});

Deno.test.afterAll(() => t.database.drop());
