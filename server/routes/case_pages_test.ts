import assert from "node:assert/strict";
import { Hono } from "hono";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { RULE_NAMES } from "../../rules/names.ts";
import type { Env } from "../app.ts";
import { installSecurity } from "../auth/install.ts";
import type { Role } from "../auth/roles.ts";
import { createSession, SESSION_COOKIE } from "../auth/sessions.ts";
import { createPerson, type TestScope } from "../auth/test_support.ts";
import { DomainError } from "../errors.ts";
import { openTestApp, receivedEvent, supervisedCaseEvents } from "../testing.ts";
import { casePageRoutes } from "./case_pages.tsx";
import { queuePageRoutes } from "./queue_pages.tsx";

const NOW = "2024-10-15T10:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const manifest = { "app.css": "/static/build/app-TEST.css" };

// R1: completed; an 8.4 red card (charge without a fee standard); 9.1 appealed and now under
// investigation; 9.9 pending; an appeal of the pending 9.9 that is refused.
// P2: accepted 2024-10-08 with N = 10: deadline 10-22, 5 working days left on 10-15.
// P3: accepted 2024-09-02 and still open: long overdue, an 8.1 red card.
const events = [
  ...supervisedCaseEvents(),
  {
    id: "r1-7",
    case: "R1",
    type: "appeal",
    at: "2024-09-10T09:00:00+08:00",
    rule: "9.9",
    text: "非本部门问题",
  },
  receivedEvent("p2-1", "P2", "2024-10-08T09:00:00+08:00", "王小明"),
  { id: "p2-2", case: "P2", type: "accepted", at: "2024-10-08T09:30:00+08:00", handler: "赵六" },
  receivedEvent("p3-1", "P3", "2024-09-02T09:00:00+08:00", "钱七"),
  { id: "p3-2", case: "P3", type: "accepted", at: "2024-09-02T09:30:00+08:00", handler: "赵六" },
];
const ingested = await t.send("POST", "/api/v1/events", events);
assert.equal(ingested.status, 200, await ingested.text());

const app = new Hono<Env>();
app.onError((err, c) => {
  if (err instanceof DomainError) return c.json({ error: err.message }, err.status);
  throw err;
});
installSecurity(app, t.deps);
app.route("/", casePageRoutes({ ...t.deps, manifest }));
app.route("/", queuePageRoutes({ ...t.deps, manifest }));

/** A logged-in user of a role: its cookie and CSRF token. */
async function login(role: Role, scope: TestScope = {}) {
  const username = `cp-${role}-${scope.region ?? scope.hall ?? "x"}`;
  const user = await createPerson(db, username, role, scope, Date.parse(NOW));
  const s = await createSession(db, user.id, t.deps.clock());
  return { cookie: `${SESSION_COOKIE}=${s.token}`, csrf: s.csrfToken };
}
const province = await login("province");
const department = await login("department", { departments: ["410100-SCJGJ"] });
const director = await login("director", { region: "410100" });
const elsewhere = await login("region", { region: "410300" });
const hallManager = await login("hall_manager", { hall: "410100-HALL" });

const get = async (path: string, who: { cookie: string } | null) => {
  const res = await app.request(path, { headers: who ? { cookie: who.cookie } : {} });
  return { status: res.status, location: res.headers.get("location"), html: await res.text() };
};

Deno.test("the case page shows header, alerts with the article text, findings, refused appeals, manual items, timeline", async () => {
  const { status, html } = await get("/cases/R1", province);
  assert.equal(status, 200);
  assert.match(html, /^<!DOCTYPE html><html lang="zh-CN"/);
  assert.doesNotMatch(html, /<script/);
  for (const text of ["R1", "食品经营许可", "郑州市市场监督管理局", "已办结", "郑州市政务服务大厅"]) {
    assert.ok(html.includes(text), text);
  }
  assert.match(html, /<tr class="alert-row level-red" data-rule="8.4">/);
  assert.ok(html.includes(RULE_NAMES["8.4"].article));
  assert.ok(html.includes(RULE_NAMES["8.4"].title));
  assert.match(html, /data-rule="9.1" data-state="investigating"/);
  assert.match(html, /data-rule="9.9" data-state="pending"/);
  assert.ok(html.includes("待核实") && html.includes("待研判"));
  const view = await (await t.send("GET", "/api/v1/cases/R1/view")).json();
  assert.equal(view.refusedAppeals.length, 1);
  assert.ok(html.includes("未受理的申诉") && html.includes(view.refusedAppeals[0].reason));
  assert.match(html, /data-kind="feedback" data-open="1"/);
  assert.match(html, /data-kind="investigation" data-open="1"/);
  assert.match(
    html,
    /<li data-type="received"><time datetime="2024-09-02T09:00:00\+08:00">2024-09-02 09:00:00/,
  );
  assert.ok(html.includes("申请人：张三丰") && html.includes("联系方式：13800000000"));
  assert.ok(!html.includes("节假日安排未载入"));
});

Deno.test("a supervisor gets decision forms carrying the session's CSRF token", async () => {
  const { html } = await get("/cases/R1", province);
  assert.match(html, /<form method="post" action="\/cases\/R1\/reviews" class="decision" data-action="void"/);
  assert.match(html, /data-action="dispose" data-rule="8.4"/);
  assert.match(html, /data-action="judge" data-rule="9.9"/);
  assert.match(html, /data-action="close_investigation" data-rule="9.1"/);
  assert.ok(html.includes(`name="_csrf" value="${province.csrf}"`));
});

Deno.test("the department sees its applicant in full but no forms; a director sees a masked name, no contact", async () => {
  const own = await get("/cases/R1", department);
  assert.equal(own.status, 200);
  assert.ok(own.html.includes("联系方式：13800000000"));
  assert.doesNotMatch(own.html, /class="decision"/);
  const masked = await get("/cases/R1", director);
  assert.equal(masked.status, 200);
  assert.ok(masked.html.includes("申请人：张*丰"));
  assert.ok(!masked.html.includes("13800000000") && !masked.html.includes("张三丰"));
  assert.ok(masked.html.includes("联系方式：（已隐藏）"));
  assert.doesNotMatch(masked.html, /class="decision"/);
});

Deno.test("a case outside the scope is 404 like an unknown one; other roles 403; anonymous to the login page", async () => {
  const outside = await get("/cases/R1", elsewhere);
  assert.equal(outside.status, 404);
  assert.match(outside.html, /没有此办件/);
  assert.equal((await get("/cases/NOPE", province)).status, 404);
  assert.equal((await get("/cases/R1", hallManager)).status, 403);
  const anonymous = await get("/cases/R1", null);
  assert.equal(anonymous.status, 303);
  assert.equal(anonymous.location, "/login?next=%2Fcases%2FR1");
});

Deno.test("a refused form post shows the case page again with the field named", async () => {
  const res = await app.request("/cases/R1/reviews", {
    method: "POST",
    headers: { cookie: province.cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: province.csrf, action: "judge", rule: "9.9", abnormal: "true" })
      .toString(),
  });
  assert.equal(res.status, 400);
  const html = await res.text();
  assert.match(html, /<p class="notice notice-error" role="alert">监察处理未保存：reason: /);
  assert.match(html, /data-rule="9.9" data-state="pending"/);
});

Deno.test("the case list sorts running cases by remaining working days, as the evaluator counts them", async () => {
  const open = await get("/cases", province);
  assert.equal(open.status, 200);
  const rows = [...open.html.matchAll(/<tr data-case="([^"]+)" data-remaining="([^"]*)"/g)];
  assert.deepEqual(rows.map((m) => m[1]), ["P3", "P2"]);
  for (const [, id, remaining] of rows) {
    const want = (await (await t.send("GET", `/api/v1/cases/${id}`)).json()).remaining;
    assert.equal(Number(remaining), want, id);
  }
  assert.match(open.html, /data-case="P2".*所剩时限 \d+ 个工作日/s);
  assert.match(open.html, /data-case="P3".*已超期 \d+ 个工作日/s);
  const red = await get("/cases?status=all&level=red", province);
  assert.deepEqual([...red.html.matchAll(/<tr data-case="([^"]+)"/g)].map((m) => m[1]).sort(), ["P3", "R1"]);
  assert.ok(red.html.includes("王小明") === false && red.html.includes("钱*"));
  assert.equal((await get("/cases?department=410300-SCJGJ", department)).status, 403);
  const outside = await get("/cases?status=all", elsewhere);
  assert.doesNotMatch(outside.html, /data-case=/);
});

Deno.test("the queue lists open manual items with their age in working days, for supervisors only", async () => {
  const { status, html } = await get("/queue", province);
  assert.equal(status, 200);
  const age = builtinCalendar().workdaysBetween("2024-09-06", "2024-10-15");
  assert.match(html, new RegExp(`data-case="R1" data-kind="feedback">.*?data-age="${age}"`, "s"));
  assert.match(html, /data-case="R1" data-kind="investigation"/);
  assert.ok(html.includes('href="/cases/R1#manual"'));
  assert.equal((await get("/queue", department)).status, 403);
});

Deno.test("a case counted in a year with no calendar says so", async () => {
  t.setNow("2027-01-12T10:00:00+08:00");
  try {
    const res = await t.send("POST", "/api/v1/events", [
      receivedEvent("y-1", "Y27", "2027-01-04T09:00:00+08:00"),
      { id: "y-2", case: "Y27", type: "accepted", at: "2027-01-04T09:30:00+08:00", handler: "赵六" },
    ]);
    assert.equal(res.status, 200);
    // Sessions last hours: log in again at the new instant.
    const { html } = await get("/cases/Y27", await login("province", { region: "2027" }));
    assert.ok(html.includes("2027年节假日安排未载入，按周一至周五计算"));
  } finally {
    t.setNow(NOW);
  }
});

Deno.test.afterAll(() => t.database.drop());
