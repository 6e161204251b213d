import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { departments, halls, items, regions } from "../../db/schema.ts";
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { pageRoutes } from "./pages.tsx";
import { type Principal, PRINCIPAL_VAR } from "../auth/principal.ts";
import type { PrincipalRole } from "../auth/roles.ts";
import { principalFor } from "../auth/test_support.ts";
import { BUILTIN_CALENDAR_DATA } from "../../rules/builtin_calendar.ts";
import { openCalendarStore, seedBuiltinYears } from "../calendar_store.ts";

const database = await openTestDatabase();
const { db } = database;
await db.insert(regions).values([
  { code: "410000", name: "河南省", parent: null },
  { code: "410100", name: "郑州市", parent: "410000" },
  { code: "410105", name: "金水区", parent: "410100" },
]);
await db.insert(departments).values([
  { code: "410105-SCJGJ", name: "金水区市场监管局", region: "410105" },
  { code: "410100-GAJ", name: "郑州市公安局", region: "410100" },
  { code: "410200-GAJ", name: "开封市公安局", region: "410200" },
]);
await db.insert(items).values([
  { code: "JS-01", name: "食品经营许可", department: "410105-SCJGJ", data: {} },
  { code: "KF-01", name: "户口迁移", department: "410200-GAJ", data: {} },
]);
await db.insert(halls).values([
  { code: "H-JS", name: "金水区政务服务中心", region: "410105" },
  { code: "H-ZZ2", name: "郑州市民之家二号厅", region: "410100" },
  { code: "H-ZZ1", name: "郑州市民之家", region: "410100" },
  { code: "H-SJ", name: "河南省政务服务大厅", region: "410000" },
]);

// A clock whose year and the years either side have built-in calendars, and a manifest without esbuild.
const builtinYears = Object.keys(BUILTIN_CALENDAR_DATA.years).map(Number);
const lastBuiltin = Math.max(...builtinYears);
const clock = () => Date.parse(`${lastBuiltin - 1}-03-10T10:00:00+08:00`);
const calendar = await openCalendarStore(database);
const manifest = { WallScreen: "/static/build/WallScreen-TEST.js", "app.css": "/static/build/app-TEST.css" };

/** A principal of a role whose scope is the given halls (or all). */
function principal(role: PrincipalRole, halls: string[] | "all"): Principal {
  const set = halls === "all" ? "all" as const : new Set(halls);
  return principalFor(role, { departments: set, regions: set, halls: set }, { id: `${role}-1` });
}

/** The page routes as `who` sees them (the app's authentication middleware sets the principal). */
function pagesAs(who: Principal | null, now = clock) {
  const app = new Hono<Env>();
  app.use("*", async (c, next) => {
    if (who) c.set(PRINCIPAL_VAR, who);
    await next();
  });
  app.route("/", pageRoutes({ database, clock: now, calendar, manifest }));
  return app;
}
const app = pagesAs(principal("province", "all"));

Deno.test("the start page lists every hall under its region with a link to its wall screen", async () => {
  const res = await app.request("/");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /^<!DOCTYPE html><html lang="zh-CN"/);
  assert.match(html, /监察台 · 河南省政务服务电子监察/);
  // A province supervisor's page opens with the overview of the cities, then the halls by region.
  const headings = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1]);
  assert.deepEqual(headings, ["河南省各地市实时概况", "河南省", "郑州市", "郑州市 金水区"]);
  const links = [...html.matchAll(/href="(\/hall\/[^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, ["/hall/H-SJ", "/hall/H-ZZ1", "/hall/H-ZZ2", "/hall/H-JS"]);
  assert.match(html, /<link rel="stylesheet" href="\/static\/build\/app-TEST.css"/);
});

Deno.test("the start page warns when a calendar year around today is missing", async () => {
  await seedBuiltinYears(db);
  let html = await (await app.request("/")).text();
  assert.doesNotMatch(html, /工作日历缺失/);
  // In the last built-in year, the next year has no notice.
  const late = pagesAs(principal("province", "all"), () => Date.parse(`${lastBuiltin}-06-01T10:00:00+08:00`));
  html = await (await late.request("/")).text();
  assert.match(html, new RegExp(`工作日历缺失：</strong>${lastBuiltin + 1}年`));
});

Deno.test("a hall's page passes its props as JSON data and loads the island bundle as a module", async () => {
  const res = await app.request("/hall/H-JS");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.match(html, /<title>金水区政务服务中心 · 监察台<\/title>/);
  assert.match(html, /<html lang="zh-CN" class="wall-page">/);
  const json = html.match(/<script type="application\/json" id="WallScreen-props">(.*?)<\/script>/)?.[1];
  assert.ok(json);
  const props = JSON.parse(json);
  assert.equal(props.streamUrl, "/api/v1/stream?hall=H-JS");
  assert.deepEqual(props.hall, { code: "H-JS", name: "金水区政务服务中心", regionName: "郑州市 金水区" });
  assert.deepEqual(props.departments, { "410105-SCJGJ": "金水区市场监管局", "410100-GAJ": "郑州市公安局" });
  assert.deepEqual(props.items, { "JS-01": "食品经营许可" }, "only the items of those departments");
  assert.match(html, /<script type="module" src="\/static\/build\/WallScreen-TEST.js"><\/script>/);
  assert.doesNotMatch(
    html,
    /<script(?![^>]*type="application\/json")(?![^>]*src=)/,
    "no inline executable script",
  );
  // The first paint is the server-rendered screen, waiting for figures.
  assert.match(html, /data-metric="warnings">—</);
});

Deno.test("props cannot close their script element", async () => {
  await db.insert(halls).values({
    code: "H-X",
    name: "</script><script>alert(1)</script>",
    region: "410105",
  });
  const html = await (await app.request("/hall/H-X")).text();
  assert.doesNotMatch(html, /<script>alert/);
  assert.match(html, /\\u003c\/script>/);
});

Deno.test("an unknown hall is a 404 page that links back to the list", async () => {
  const res = await app.request("/hall/NOPE");
  assert.equal(res.status, 404);
  assert.match(await res.text(), /没有此大厅：NOPE[\s\S]*href="\/"/);
});

Deno.test("static files are served with their type, and nothing outside static/", async () => {
  const res = await app.request("/static/css/base.css");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "no-cache");
  assert.match(await res.text(), /--warning/);
  for (
    const bad of [
      "/static/../deno.json",
      "/static/%2e%2e/deno.json",
      "/static/css/../../deno.json",
      "/static/",
    ]
  ) {
    const r = await app.request(bad);
    assert.equal(r.status, 404, bad);
    await r.body?.cancel();
  }
  const missing = await app.request("/static/build/nothing-here.js");
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test("anonymous visitors are sent to the login page and back", async () => {
  const anonymous = pagesAs(null);
  for (const path of ["/", "/hall/H-JS?token=x"]) {
    const res = await anonymous.request(path);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent(path)}`);
  }
});

Deno.test("a hall manager sees and opens only the halls in scope", async () => {
  const manager = pagesAs(principal("hall_manager", ["H-JS"]));
  const html = await (await manager.request("/")).text();
  assert.deepEqual([...html.matchAll(/href="(\/hall\/[^"]+)"/g)].map((m) => m[1]), ["/hall/H-JS"]);
  assert.equal((await manager.request("/hall/H-JS")).status, 200);
  const other = await manager.request("/hall/H-ZZ1");
  assert.equal(other.status, 403);
  assert.match(await other.text(), /无权查看此大厅/);
});

Deno.test("a role without hall:view is told so and cannot open a screen", async () => {
  const staff = pagesAs(principal("department", "all"));
  const html = await (await staff.request("/")).text();
  assert.match(html, /无权查看大厅大屏/);
  assert.doesNotMatch(html, /href="\/hall\//);
  assert.equal((await staff.request("/hall/H-JS")).status, 403);
});

Deno.test("a display's token is passed on to the stream it opens", async () => {
  const display = pagesAs(principal("display", ["H-JS"]));
  const html = await (await display.request("/hall/H-JS?token=dsp_abc")).text();
  const props = JSON.parse(html.match(/id="WallScreen-props">(.*?)<\/script>/)![1]);
  assert.equal(props.streamUrl, "/api/v1/stream?hall=H-JS&token=dsp_abc");
});

Deno.test.afterAll(async () => {
  await database.drop();
});
