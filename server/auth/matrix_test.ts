/**
 * The role × route matrix: every route of the app, asked by every role (and a display token, and
 * nobody), answers exactly the status in the table — including other departments' case ids (404, like
 * unknown ids), another hall's wall screen and stream (403), and another region (403). Adding a route
 * means adding a line here: the test fails for any route of the app the table does not list.
 *
 * Columns: province, region (郑州), department (郑州市场监管), hall_manager (郑州大厅), director (郑州),
 * admin, ingest (郑州市场监管), display (a token of the 郑州 hall), anonymous.
 */
import assert from "node:assert/strict";
import { BUILTIN_CALENDAR_DATA } from "../../rules/builtin_calendar.ts";
import { EVENT_TYPES } from "../../rules/types.ts";
import { ingestEvents } from "../write/ingest.ts";
import { LiveHub } from "../live/hub.ts";
import { LUOYANG, LUOYANG_LISTS, openTestApp, putReference, receivedEvent, TEST_ITEM } from "../testing.ts";
import { createApiKey } from "./api_keys.ts";
import { createDisplayToken } from "./display_tokens.ts";
import { supervisionMatrixRows } from "./matrix_supervision.ts";
import { DEFAULT_WEIGHTS } from "../reports/score.ts";
import { type Role, ROLES } from "./roles.ts";
import { sessionHeaders, testPasswordHash } from "./test_support.ts";
import { createUser } from "./users.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;

// A second city with its own department, hall and item: "another region".
const LY_ITEM = LUOYANG.item;
await putReference(t, LUOYANG_LISTS);

// One case in 郑州's department (Z1), one in 洛阳's (L1).
const seeded = await ingestEvents(t.deps, [
  receivedEvent("Z1-r", "Z1", "2026-02-27T09:00:00+08:00"),
  { ...receivedEvent("L1-r", "L1", "2026-02-27T09:00:00+08:00"), item: LY_ITEM.code, hall: "410300-HALL" },
], "setup");
assert.equal(seeded.stored, 2);

// Every account role (in ROLES order: the people, then the ingest client), a display token, no one.
const COLUMNS = [...ROLES, "display", "anonymous"] as const;
type Column = typeof COLUMNS[number];

// Accounts of the roles: people signed in with a session (cookie and CSRF header), the ingest client
// with its API key (keys are only for ingest accounts; logins are tested in routes/auth_test.ts).
const headers: Record<Column, Record<string, string>> = {} as never;
const scopes: Record<Role, { departments?: string[]; region?: string; hall?: string }> = {
  province: {},
  region: { region: "410100" },
  department: { departments: ["410100-SCJGJ"] },
  hall_manager: { hall: "410100-HALL" },
  director: { region: "410100" },
  admin: {},
  ingest: { departments: ["410100-SCJGJ"] },
};
const ids: Record<string, string> = {};
for (const [role, s] of Object.entries(scopes) as [Role, (typeof scopes)[Role]][]) {
  const user = await createUser(
    db,
    {
      username: `m-${role}`,
      displayName: role,
      role,
      departments: s.departments ?? [],
      region: s.region ?? null,
      hall: s.hall ?? null,
    },
    Date.parse(NOW),
    { passwordHash: role === "ingest" ? undefined : await testPasswordHash() },
  );
  ids[role] = user.id;
  if (role === "ingest") {
    const { key } = await createApiKey(db, { userId: user.id, name: "matrix", createdBy: "setup" });
    headers[role] = { authorization: `Bearer ${key}` };
  } else headers[role] = await sessionHeaders(db, user.id, Date.parse(NOW));
}
// The account the administration rows change (changing an account ends its sessions).
ids.target = (await createUser(
  db,
  {
    username: "m-target",
    displayName: "department",
    role: "department",
    departments: ["410100-SCJGJ"],
    region: null,
    hall: null,
  },
  Date.parse(NOW),
  { passwordHash: await testPasswordHash() },
)).id;
headers.anonymous = { authorization: "" };
const display = await createDisplayToken(db, { hall: "410100-HALL", name: "大屏", createdBy: "setup" });
headers.display = { authorization: "" };
const revocable = await createApiKey(db, { userId: ids.ingest, name: "to revoke", createdBy: "setup" });
const revocableToken = await createDisplayToken(db, {
  hall: "410100-HALL",
  name: "临时",
  createdBy: "setup",
});
const revocablePageKey = await createApiKey(db, { userId: ids.ingest, name: "page", createdBy: "setup" });
const revocablePageToken = await createDisplayToken(db, {
  hall: "410100-HALL",
  name: "页面",
  createdBy: "setup",
});

const hub = new LiveHub({ database: t.database, clock: t.deps.clock }, { tickMs: 0, pingMs: 0 });
await hub.start();
t.deps.live = hub;

const calendarYear = Object.entries(BUILTIN_CALENDAR_DATA.years).find(([y]) => y === "2026")!;

/** One request and the status each column must get. `path` gets `?token=` for the display column. */
interface Row {
  route: string;
  path: string;
  body?: (column: Column) => unknown;
  /** The body is a url-encoded form (a string). */
  form?: boolean;
  expect: Record<Column, number>;
  note?: string;
  /** Sign people in with a session of their own for this row (it ends the session). */
  freshSession?: boolean;
}

/** Statuses in COLUMNS order. */
function s(...statuses: number[]): Record<Column, number> {
  assert.equal(statuses.length, COLUMNS.length);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, statuses[i]])) as Record<Column, number>;
}

//                                     prov  reg  dept hall  dir admin ingest disp anon
const ONLY_ADMIN_READ = /*            */ s(403, 403, 403, 403, 403, 200, 403, 401, 401);
const REFERENCE_READ = /*             */ s(200, 200, 200, 200, 200, 200, 200, 401, 401);
const ONLY_ADMIN_WRITE = /*           */ s(403, 403, 403, 403, 403, 200, 403, 401, 401);
const ADMIN_PAGE = /*                 */ s(403, 403, 403, 403, 403, 200, 403, 303, 303);
const ADMIN_FORM = /*                 */ s(403, 403, 403, 403, 403, 303, 403, 303, 303);

const TABLE: Row[] = [
  { route: "GET /healthz", path: "/healthz", expect: s(200, 200, 200, 200, 200, 200, 200, 200, 200) },
  { route: "GET /readyz", path: "/readyz", expect: s(200, 200, 200, 200, 200, 200, 200, 200, 200) },
  // Metrics: loopback or METRICS_TOKEN only, whoever is logged in (server/routes/ops.ts).
  { route: "GET /metrics", path: "/metrics", expect: s(403, 403, 403, 403, 403, 403, 403, 403, 403) },
  {
    route: "GET /login",
    path: "/login",
    // Signed-in people go on to `next` (here "/"); a key is no login: the form is shown.
    expect: s(303, 303, 303, 303, 303, 303, 200, 200, 200),
  },
  {
    route: "POST /login",
    path: "/login",
    // A different unknown account per column, so that the per-account lockout does not answer instead.
    body: (c) => ({ username: `nobody-${c}`, password: "wrong-password" }),
    expect: s(401, 401, 401, 401, 401, 401, 401, 401, 401),
  },
  {
    route: "POST /logout",
    path: "/logout",
    freshSession: true,
    expect: s(303, 303, 303, 303, 303, 303, 303, 303, 303),
  },
  { route: "GET /api/v1/me", path: "/api/v1/me", expect: s(200, 200, 200, 200, 200, 200, 200, 401, 401) },
  // Administration.
  { route: "GET /api/v1/admin/users", path: "/api/v1/admin/users", expect: ONLY_ADMIN_READ },
  {
    route: "POST /api/v1/admin/users",
    path: "/api/v1/admin/users",
    body: (c) => ({
      username: `new-${c}`,
      displayName: "新用户",
      role: "department",
      password: "matrix-password-1",
      departments: ["410100-SCJGJ"],
    }),
    expect: s(403, 403, 403, 403, 403, 201, 403, 401, 401),
  },
  {
    route: "POST /api/v1/admin/users",
    path: "/api/v1/admin/users",
    note: "a person without a password",
    body: (c) => ({ username: `nopw-${c}`, displayName: "无密码", role: "province" }),
    expect: s(403, 403, 403, 403, 403, 400, 403, 401, 401),
  },
  {
    route: "PATCH /api/v1/admin/users/:id",
    path: `/api/v1/admin/users/${ids.target}`,
    body: () => ({ displayName: "部门工作人员" }),
    expect: ONLY_ADMIN_WRITE,
  },
  { route: "GET /api/v1/admin/keys", path: "/api/v1/admin/keys", expect: ONLY_ADMIN_READ },
  {
    route: "POST /api/v1/admin/keys",
    path: "/api/v1/admin/keys",
    body: () => ({ userId: ids.ingest, name: "新密钥" }),
    expect: s(403, 403, 403, 403, 403, 201, 403, 401, 401),
  },
  {
    route: "POST /api/v1/admin/keys",
    path: "/api/v1/admin/keys",
    note: "a key for a person's account",
    body: () => ({ userId: ids.province, name: "省级密钥" }),
    expect: s(403, 403, 403, 403, 403, 400, 403, 401, 401),
  },
  {
    route: "DELETE /api/v1/admin/keys/:id",
    path: `/api/v1/admin/keys/${revocable.id}`,
    expect: ONLY_ADMIN_WRITE,
  },
  {
    route: "GET /api/v1/admin/display-tokens",
    path: "/api/v1/admin/display-tokens",
    expect: ONLY_ADMIN_READ,
  },
  {
    route: "POST /api/v1/admin/display-tokens",
    path: "/api/v1/admin/display-tokens",
    body: () => ({ hall: "410100-HALL", name: "二楼大屏" }),
    expect: s(403, 403, 403, 403, 403, 201, 403, 401, 401),
  },
  {
    route: "DELETE /api/v1/admin/display-tokens/:id",
    path: `/api/v1/admin/display-tokens/${revocableToken.id}`,
    expect: ONLY_ADMIN_WRITE,
  },
  // The supervisors' overview (server/routes/overview.ts): overview:read, within the scope.
  {
    route: "GET /api/v1/overview",
    path: "/api/v1/overview",
    expect: s(200, 200, 403, 403, 200, 403, 403, 401, 401),
  },
  // Ranking weights (server/routes/ranking_weights.ts): administrators.
  {
    route: "GET /api/v1/admin/ranking-weights",
    path: "/api/v1/admin/ranking-weights",
    expect: ONLY_ADMIN_READ,
  },
  {
    route: "PUT /api/v1/admin/ranking-weights",
    path: "/api/v1/admin/ranking-weights",
    body: () => ({ ...DEFAULT_WEIGHTS }),
    expect: ONLY_ADMIN_WRITE,
  },
  {
    route: "GET /api/v1/audit",
    path: "/api/v1/audit",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/audit/verify",
    path: "/api/v1/audit/verify",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  // The wall screen's trend (server/routes/trend.ts): scoped like the stream.
  {
    route: "GET /api/v1/trend",
    path: "/api/v1/trend",
    expect: s(200, 200, 200, 200, 200, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/trend",
    path: "/api/v1/trend?hall=410100-HALL",
    expect: s(200, 200, 403, 200, 200, 403, 403, 200, 401),
  },
  {
    route: "GET /api/v1/trend",
    path: "/api/v1/trend?hall=410300-HALL",
    note: "another hall",
    expect: s(200, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  // Live stream: own scope by default; own hall; another hall; another region.
  {
    route: "GET /api/v1/stream",
    path: "/api/v1/stream",
    expect: s(200, 200, 200, 200, 200, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/stream",
    path: "/api/v1/stream?hall=410100-HALL",
    expect: s(200, 200, 403, 200, 200, 403, 403, 200, 401),
  },
  {
    route: "GET /api/v1/stream",
    path: "/api/v1/stream?hall=410300-HALL",
    note: "another hall",
    expect: s(200, 403, 403, 403, 403, 403, 403, 403, 401),
  },
  {
    route: "GET /api/v1/stream",
    path: "/api/v1/stream?region=410300",
    note: "another region",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/stream",
    path: "/api/v1/stream?department=410300-SCJGJ",
    note: "another department",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  // Ingestion: only ingest clients; an event of another department's case is refused alone (207).
  {
    route: "POST /api/v1/events",
    path: "/api/v1/events",
    body: (c) => [
      { id: `Z1-s-${c}`, case: "Z1", type: "step", at: "2026-02-27T10:00:00+08:00", name: "审查" },
      { id: `L1-s-${c}`, case: "L1", type: "step", at: "2026-02-27T10:00:00+08:00", name: "审查" },
    ],
    expect: s(403, 403, 403, 403, 403, 403, 207, 401, 401),
  },
  {
    route: "POST /api/v1/events",
    path: "/api/v1/events",
    body: (
      c,
    ) => [{ id: `Z1-t-${c}`, case: "Z1", type: "step", at: "2026-02-27T11:00:00+08:00", name: "决定" }],
    expect: s(403, 403, 403, 403, 403, 403, 200, 401, 401),
  },
  // Reference data.
  ...["items", "departments", "regions", "halls"].flatMap((kind): Row[] => [
    { route: `GET /api/v1/${kind}`, path: `/api/v1/${kind}`, expect: REFERENCE_READ },
    {
      route: `PUT /api/v1/${kind}`,
      path: `/api/v1/${kind}`,
      body: () => [],
      expect: ONLY_ADMIN_WRITE,
    },
    {
      route: "GET /api/v1/reference/:kind/export",
      path: `/api/v1/reference/${kind}/export?format=csv`,
      expect: REFERENCE_READ,
    },
    {
      route: "POST /api/v1/reference/:kind/import",
      path: `/api/v1/reference/${kind}/import`,
      // A header row only: nothing to save, but the file is read (400 would name its columns).
      body: () =>
        (({
          items:
            "事项编码,事项名称,实施部门编码,法定时限（工作日）,承诺时限（工作日）,办理环节,必要材料,可选材料,特别程序,承诺跑动次数,无中介服务",
          departments: "部门编码,部门名称,所属区划",
          regions: "区划代码,区划名称",
          halls: "大厅编码,大厅名称,所属区划",
        }) as Record<string, string>)[kind] + "\r\n",
      form: false,
      expect: ONLY_ADMIN_WRITE,
    },
  ]),
  // Cases: own department's case, another department's (404 like an unknown id), an unknown id.
  // The evaluator's object is read back by the department's own ingest account (issue 10 item 8).
  ...["", "/view"].flatMap((suffix): Row[] => [
    {
      route: `GET /api/v1/cases/:case${suffix}`,
      path: `/api/v1/cases/Z1${suffix}`,
      expect: s(200, 200, 200, 403, 200, 403, suffix ? 403 : 200, 401, 401),
    },
    {
      route: `GET /api/v1/cases/:case${suffix}`,
      path: `/api/v1/cases/L1${suffix}`,
      note: "another department's case",
      expect: s(200, 404, 404, 403, 404, 403, suffix ? 403 : 404, 401, 401),
    },
    {
      route: `GET /api/v1/cases/:case${suffix}`,
      path: `/api/v1/cases/NOPE${suffix}`,
      expect: s(404, 404, 404, 403, 404, 403, suffix ? 403 : 404, 401, 401),
    },
  ]),
  {
    route: "GET /api/v1/cases",
    path: "/api/v1/cases",
    expect: s(200, 200, 200, 403, 200, 403, 200, 401, 401),
  },
  {
    route: "GET /api/v1/cases",
    path: "/api/v1/cases?department=410300-SCJGJ",
    note: "another department",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/cases",
    path: "/api/v1/cases?region=410300",
    note: "another region",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  // The queue API has the queue page's audience: supervisors only.
  {
    route: "GET /api/v1/cases",
    path: "/api/v1/cases?changedSince=2026-03-01T00:00:00%2B08:00",
    note: "a department system reading back its changes",
    expect: s(200, 200, 200, 403, 200, 403, 200, 401, 401),
  },
  {
    route: "GET /api/v1/queue",
    path: "/api/v1/queue",
    expect: s(200, 200, 403, 403, 403, 403, 403, 401, 401),
  },
  {
    route: "GET /api/v1/queue",
    path: "/api/v1/queue?department=410300-SCJGJ",
    expect: s(200, 403, 403, 403, 403, 403, 403, 401, 401),
  },
  ...(["decide", "assign"] as const).map((what): Row => ({
    route: `POST /api/v1/queue/${what}`,
    path: `/api/v1/queue/${what}`,
    note: "an unknown item",
    body: () => ({ items: [999999], action: "confirm", reason: "矩阵测试", assignee: null }),
    expect: s(404, 404, 403, 403, 403, 403, 403, 401, 401),
  })),
  {
    route: "POST /api/v1/queue/data-conflicts/:case/resolve",
    path: "/api/v1/queue/data-conflicts/Z1/resolve",
    note: "no open data conflict",
    body: () => ({ sender: "m-ingest", reason: "矩阵测试" }),
    expect: s(404, 404, 403, 403, 403, 403, 403, 401, 401),
  },
  // Calendar: any logged-in user reads; administrators write.
  {
    route: "GET /api/v1/calendar",
    path: "/api/v1/calendar",
    expect: s(200, 200, 200, 200, 200, 200, 200, 401, 401),
  },
  {
    route: "GET /api/v1/calendar/:year",
    path: "/api/v1/calendar/2026",
    expect: s(200, 200, 200, 200, 200, 200, 200, 401, 401),
  },
  {
    route: "PUT /api/v1/calendar/:year",
    path: "/api/v1/calendar/2026",
    body: () => ({ ...calendarYear[1], source: "矩阵测试" }),
    expect: ONLY_ADMIN_WRITE,
  },
  // Pages: anonymous visitors are sent to the login page (303).
  { route: "GET /", path: "/", expect: s(200, 200, 200, 200, 200, 200, 200, 303, 303) },
  {
    route: "GET /hall/:code",
    path: "/hall/410100-HALL",
    expect: s(200, 200, 403, 200, 403, 403, 403, 200, 303),
  },
  {
    route: "GET /hall/:code",
    path: "/hall/410300-HALL",
    note: "another hall",
    expect: s(200, 403, 403, 403, 403, 403, 403, 403, 303),
  },
  // Case pages (server/routes/case_pages.tsx): a display token is no login there.
  ...["/cases", "/cases.csv", "/cases.xlsx"].map((path): Row => ({
    route: `GET ${path}`,
    path,
    expect: s(200, 200, 200, 403, 200, 403, 403, 303, 303),
  })),
  {
    route: "GET /cases/:case",
    path: "/cases/Z1",
    expect: s(200, 200, 200, 403, 200, 403, 403, 303, 303),
  },
  {
    route: "GET /cases/:case",
    path: "/cases/L1",
    note: "another department's case",
    expect: s(200, 404, 404, 403, 404, 403, 403, 303, 303),
  },
  { route: "GET /queue", path: "/queue", expect: s(200, 200, 403, 403, 403, 403, 403, 303, 303) },
  {
    route: "GET /queue/conflicts/:case",
    path: "/queue/conflicts/Z1",
    note: "no open data conflict",
    expect: s(404, 404, 403, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /queue/conflicts/:case/resolve",
    path: "/queue/conflicts/Z1/resolve",
    body: () => "sender=m-ingest&reason=%E7%9F%A9%E9%98%B5",
    form: true,
    expect: s(404, 404, 403, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /cases/:case/reviews",
    path: "/cases/Z1/reviews",
    body: () => "action=void&rule=8.1&reason=%E7%9F%A9%E9%98%B5",
    form: true,
    expect: s(303, 303, 403, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /cases/:case/reviews",
    path: "/cases/L1/reviews",
    note: "another department's case",
    body: () => "action=void&rule=8.1&reason=%E7%9F%A9%E9%98%B5",
    form: true,
    expect: s(303, 404, 403, 403, 403, 403, 403, 303, 303),
  },
  // Department staff answer their own cases (server/cases/answers.ts): only the department's staff.
  {
    route: "POST /cases/:case/explanations",
    path: "/cases/Z1/explanations",
    note: "no such alert on the case: the form comes back",
    body: () => "kind=alert&rule=8.1&level=warning&on=2026-03-02&text=%E8%AF%B4%E6%98%8E",
    form: true,
    expect: s(403, 403, 400, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /cases/:case/explanations",
    path: "/cases/L1/explanations",
    note: "another department's case",
    body: () => "kind=alert&rule=8.1&level=warning&on=2026-03-02&text=%E8%AF%B4%E6%98%8E",
    form: true,
    expect: s(403, 403, 404, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /cases/:case/appeals",
    path: "/cases/Z1/appeals",
    note: "recorded, then refused by the rules (no finding)",
    body: () => "rule=9.1&text=%E7%94%B3%E8%AF%89",
    form: true,
    expect: s(403, 403, 303, 403, 403, 403, 403, 303, 303),
  },
  {
    route: "POST /cases/:case/appeals",
    path: "/cases/L1/appeals",
    note: "another department's case",
    body: () => "rule=9.1&text=%E7%94%B3%E8%AF%89",
    form: true,
    expect: s(403, 403, 404, 403, 403, 403, 403, 303, 303),
  },
  // Supervisor decisions (server/routes/reviews.ts).
  {
    route: "POST /api/v1/cases/:case/reviews",
    path: "/api/v1/cases/Z1/reviews",
    body: () => ({ action: "void", rule: "8.1", reason: "矩阵测试" }),
    expect: s(201, 201, 403, 403, 403, 403, 403, 401, 401),
  },
  {
    route: "POST /api/v1/cases/:case/reviews",
    path: "/api/v1/cases/L1/reviews",
    note: "another department's case",
    body: () => ({ action: "void", rule: "8.1", reason: "矩阵测试" }),
    expect: s(201, 404, 403, 403, 403, 403, 403, 401, 401),
  },
  // Reports (server/routes/reports.ts, report_pages.tsx): reports:read, within the caller's scope.
  ...[
    "rankings?month=2026-02",
    "rankings.csv?month=2026-02&level=region",
    "rankings.xlsx?month=2026-02",
    "rankings/trend?month=2026-02&unit=410100",
  ].map((q): Row => ({
    route: `GET /api/v1/reports/${q.split("?")[0]}`,
    path: `/api/v1/reports/${q}`,
    expect: s(200, 200, 403, 403, 200, 403, 403, 401, 401),
  })),
  ...["red-cards", "red-cards.csv"].map((r): Row => ({
    route: `GET /api/v1/reports/${r}`,
    path: `/api/v1/reports/${r}?from=2026-02-01&to=2026-02-28`,
    expect: s(200, 200, 403, 403, 200, 403, 403, 401, 401),
  })),
  { route: "GET /reports", path: "/reports", expect: s(200, 200, 403, 403, 200, 403, 403, 303, 303) },
  {
    route: "GET /reports/notice",
    path: "/reports/notice?from=2026-02-01&to=2026-02-28",
    expect: s(200, 200, 403, 403, 200, 403, 403, 303, 303),
  },
  // Administration pages (server/routes/admin_pages.tsx): admin only; a display token is no login.
  ...["", "/users", `/users/${ids.target}`, "/keys", "/display-tokens", "/calendar", "/rankings"].map((
    p,
  ): Row => ({
    route: `GET /admin${p.startsWith("/users/") ? "/users/:id" : p}`,
    path: `/admin${p}`,
    expect: ADMIN_PAGE,
  })),
  {
    route: "POST /admin/users",
    path: "/admin/users",
    body: (c) => `username=page-${c}&displayName=x&role=province&password=matrix-password-1`,
    form: true,
    expect: ADMIN_FORM,
  },
  {
    route: "POST /admin/users/:id",
    path: `/admin/users/${ids.target}`,
    body: () => "displayName=department&role=department&departments=410100-SCJGJ&active=true",
    form: true,
    expect: ADMIN_FORM,
  },
  {
    route: "POST /admin/users/:id/password",
    path: `/admin/users/${ids.target}/password`,
    body: () => "password=matrix-password-2&confirm=matrix-password-2",
    form: true,
    expect: ADMIN_FORM,
  },
  {
    route: "POST /admin/keys",
    path: "/admin/keys",
    body: () => `userId=${ids.ingest}&name=matrix`,
    form: true,
    // The answer shows the new key: a page, not a redirect.
    expect: s(403, 403, 403, 403, 403, 200, 403, 303, 303),
  },
  {
    route: "POST /admin/keys/:id/revoke",
    path: `/admin/keys/${revocablePageKey.id}/revoke`,
    form: true,
    body: () => "",
    expect: ADMIN_FORM,
  },
  {
    route: "POST /admin/display-tokens",
    path: "/admin/display-tokens",
    body: () => "hall=410100-HALL&name=matrix",
    form: true,
    expect: s(403, 403, 403, 403, 403, 200, 403, 303, 303),
  },
  {
    route: "POST /admin/display-tokens/:id/revoke",
    path: `/admin/display-tokens/${revocablePageToken.id}/revoke`,
    form: true,
    body: () => "",
    expect: ADMIN_FORM,
  },
  {
    route: "POST /admin/calendar",
    path: "/admin/calendar",
    body: () => `year=2026&source=matrix&data=${encodeURIComponent(JSON.stringify(calendarYear[1]))}`,
    form: true,
    expect: ADMIN_FORM,
  },
  // Spot checks, orders, the portal outbox (server/auth/matrix_supervision.ts).
  ...await supervisionMatrixRows<Column>(t, s),
  // Reference data pages and the audit trail page (server/routes/reference_pages.tsx).
  { route: "GET /admin/reference", path: "/admin/reference?q=食品", expect: ADMIN_PAGE },
  {
    route: "POST /admin/reference/:kind/import",
    path: "/admin/reference/regions/import",
    // No file in the form: the page answers with the problem (400), nothing imported.
    body: () => "note=none",
    form: true,
    expect: s(403, 403, 403, 403, 403, 400, 403, 303, 303),
  },
  { route: "GET /admin/items/:code", path: `/admin/items/${TEST_ITEM.code}`, expect: ADMIN_PAGE },
  {
    route: "POST /admin/items/:code",
    path: `/admin/items/${TEST_ITEM.code}`,
    body: () =>
      `name=${encodeURIComponent(TEST_ITEM.name)}&department=410100-SCJGJ&statutoryDays=20&promisedDays=10` +
      `&promisedVisits=1&intermediaryFree=1&steps=${encodeURIComponent("受理\n审查")}`,
    form: true,
    expect: ADMIN_FORM,
  },
  { route: "GET /admin/calendar/:year", path: "/admin/calendar/2026", expect: ADMIN_PAGE },
  {
    route: "GET /audit",
    path: "/audit?action=item.",
    expect: s(200, 403, 403, 403, 403, 403, 403, 303, 303),
  },
  // The API description and its docs page (server/routes/openapi.ts): public.
  ...[
    ["GET /api/v1/openapi.json", "/api/v1/openapi.json"],
    ["GET /api/docs", "/api/docs"],
    ["GET /api/docs/init.js", "/api/docs/init.js"],
    ["GET /api/docs/docs.css", "/api/docs/docs.css"],
    ["GET /api/docs/:file", "/api/docs/swagger-ui.css"],
  ].map(([route, path]): Row => ({ route, path, expect: s(200, 200, 200, 200, 200, 200, 200, 200, 200) })),
  {
    route: "POST /admin/rankings",
    path: "/admin/rankings",
    body: () =>
      "onTime=40&satisfaction=20&red=20&warnings=10&abnormal=10&redCap=20&warningsCap=50&abnormalCap=20",
    form: true,
    expect: ADMIN_FORM,
  },
  {
    route: "GET /static/*",
    path: "/static/favicon.svg",
    expect: s(200, 200, 200, 200, 200, 200, 200, 200, 200),
  },
];

async function request(row: Row, column: Column): Promise<Response> {
  const [method] = row.route.split(" ");
  let path = row.path;
  if (column === "display") path += `${path.includes("?") ? "&" : "?"}token=${display.token}`;
  const body = row.body?.(column);
  const person = row.freshSession && (COLUMNS.slice(0, 6) as readonly string[]).includes(column);
  const h: Record<string, string> = person
    ? await sessionHeaders(db, ids[column], Date.parse(NOW))
    : { ...headers[column] };
  if (body !== undefined) {
    h["content-type"] = row.form ? "application/x-www-form-urlencoded" : "application/json";
  }
  return await t.send(method, path, body, h);
}

Deno.test("the table lists every route of the app", () => {
  const listed = new Set(TABLE.map((r) => r.route));
  const routes = new Set(
    t.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
  );
  const missing = [...routes].filter((r) => !listed.has(r));
  assert.deepEqual(missing, [], "routes without a line in the matrix");
  const stale = [...listed].filter((r) => !routes.has(r));
  assert.deepEqual(stale, [], "matrix lines for routes the app does not have");
});

for (const row of TABLE) {
  const name = `${row.route} ${row.path}${row.note ? ` (${row.note})` : ""}`;
  Deno.test(`matrix: ${name} answers each role as the table says`, async () => {
    const got: Record<string, number> = {};
    for (const column of COLUMNS) {
      const res = await request(row, column);
      got[column] = res.status;
      await res.body?.cancel();
    }
    assert.deepEqual(got, row.expect);
  });
}

Deno.test("another department's case id answers exactly like an unknown id", async () => {
  const review = { action: "void", rule: "8.1", reason: "矩阵测试" };
  for (
    const [method, path, body] of [
      ["GET", "/api/v1/cases/%s", undefined],
      ["GET", "/api/v1/cases/%s/view", undefined],
      ["POST", "/api/v1/cases/%s/reviews", review],
      ["GET", "/cases/%s", undefined],
    ] as const
  ) {
    for (const column of ["region", "department"] as const) {
      const answer = async (id: string) => {
        const res = await t.send(method, path.replace("%s", id), body, headers[column]);
        return { status: res.status, body: (await res.text()).replaceAll(id, "<id>") };
      };
      const other = await answer("L1");
      if (other.status === 403) continue; // refused for the role before any case is looked up
      assert.deepEqual(other, await answer("NOPE"), `${method} ${path} as ${column}`);
    }
  }
});

// Sender kinds × event types (EXCHANGE.md "Who may send what"): which types each kind of ingest account
// may push; any other is refused alone with field `type` (the batch's step is still stored: 207).
const evaluationPlatform = await createUser(db, {
  username: "m-pingjia",
  displayName: "好差评平台",
  role: "ingest",
  departments: [],
  region: null,
  hall: null,
  senderKind: "evaluation",
}, Date.parse(NOW));
const SENDERS = {
  department: headers.ingest,
  evaluation: {
    authorization: `Bearer ${
      (await createApiKey(db, { userId: evaluationPlatform.id, name: "m", createdBy: "setup" })).key
    }`,
  },
};
const AT = "2026-02-27T12:00:00+08:00";
const EXAMPLES: Record<string, Record<string, unknown>> = {
  received: { item: TEST_ITEM.code, channel: "online", applicant: { kind: "person", name: "张三" } },
  correction_requested: { materials: ["身份证"] },
  correction_completed: {},
  accepted: { handler: "李四" },
  rejected: { reason: "不符合条件" },
  special_started: { procedure: "检验", until: "2026-03-20" },
  special_completed: { procedure: "检验" },
  step: { name: "审查", handler: "李四" },
  fee: { kind: "charge", amount: 0 },
  materials_submitted: { materials: ["申请书"] },
  completed: { result: "normal" },
  certificate_determined: {},
  certificate_uploaded: { fields: { "许可证编号": "X1" } },
  amended: { reason: "补录" },
  evaluation: { satisfied: true },
  appeal: { rule: "9.1", text: "申诉" },
  second_evaluation: { satisfied: true },
  review: { action: "void", rule: "8.1", reason: "伪造", by: "sheng" },
};
//                   type: [department, evaluation] — true: stored
const MAY_SEND: Record<string, [boolean, boolean]> = {
  received: [true, false],
  correction_requested: [true, false],
  correction_completed: [true, false],
  accepted: [true, false],
  rejected: [true, false],
  special_started: [true, false],
  special_completed: [true, false],
  step: [true, false],
  fee: [true, false],
  materials_submitted: [true, false],
  completed: [true, false],
  certificate_determined: [true, false],
  certificate_uploaded: [true, false],
  amended: [true, false],
  evaluation: [false, true],
  appeal: [true, false],
  second_evaluation: [false, true],
  review: [false, false],
};

Deno.test("sender kinds: the table lists every event type", () => {
  assert.deepEqual(Object.keys(MAY_SEND).sort(), [...EVENT_TYPES].sort());
});

for (const [type, allowed] of Object.entries(MAY_SEND)) {
  Deno.test(
    `sender kinds: ${type} is pushed only by ${
      ["department", "evaluation"].filter((_, i) => allowed[i]).join(" and ") || "nobody"
    }`,
    async () => {
      for (const [i, kind] of (["department", "evaluation"] as const).entries()) {
        const id = `K-${type}-${kind}`;
        const event = { id, case: "Z1", type, at: AT, ...EXAMPLES[type] };
        const res = await t.send("POST", "/api/v1/events", [event], SENDERS[kind]);
        const report = await res.json();
        if (allowed[i]) {
          assert.deepEqual([res.status, report.stored], [200, 1], `${kind}: ${JSON.stringify(report)}`);
        } else {
          assert.equal(res.status, 400, kind);
          assert.deepEqual(report.refused.map((r: { index: number; id: string; field: string }) => r), [
            { index: 0, id, field: "type", error: report.refused[0].error },
          ]);
          assert.match(
            report.refused[0].error,
            /^[\u4e00-\u9fff].*\(.+\)$/s,
            "Chinese first, English in brackets",
          );
        }
      }
    },
  );
}

Deno.test.afterAll(async () => {
  await hub.stop();
  await t.database.drop();
});
