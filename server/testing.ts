/**
 * A test app over a fresh database (PGlite, or PostgreSQL with `TEST_DATABASE_URL`), with a clock the
 * test moves, and the reference data of the write-path tests. Test-only.
 *
 * @module
 */
import { openTestDatabase, type TestDatabase } from "../db/testing.ts";
import type { Item } from "../rules/types.ts";
import { item } from "../rules/test_fixtures.ts";
import { createApp } from "./app.ts";
import { createApiKey } from "./auth/api_keys.ts";
import { createUser } from "./auth/users.ts";
import { sessionHeaders, testPasswordHash } from "./auth/test_support.ts";
import { SESSION_TTL_MS } from "./auth/sessions.ts";
import type { Role } from "./auth/roles.ts";
import type { AppDeps } from "./deps.ts";
import { openCalendarStore } from "./calendar_store.ts";
import { openKeyCache } from "./auth/key_cache.ts";
import { Metrics } from "./metrics/metrics.ts";
import { SENDER_TYPES } from "./auth/sender_kinds.ts";
import { ingestEvents, type IngestReport, reportStatus } from "./write/ingest.ts";

/** An app, its deps, and a settable clock. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: TestDatabase;
  setNow(instant: string | number): void;
  /**
   * `app.request` with a JSON body, authenticated as the client a real deployment would use for the
   * route (see {@linkcode defaultRole}) unless `headers.authorization` is given; `authorization: ""`
   * sends the request anonymously.
   */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * Credentials of the test accounts `admin`, `ingest` (a department system of all test departments),
   * `evaluation` (the evaluation platform), `province`, as `authorization` values for
   * {@linkcode TestApp.send}: the ingest accounts' API keys (`Bearer jct_…`); for the people a marker
   * that `send` replaces by a login session's cookie and CSRF header (API keys are only for ingest
   * accounts), renewed when the test's clock passes the session's expiry.
   */
  auth: Record<"admin" | "ingest" | "evaluation" | "province", string>;
  /** Headers of a new login session of `test-admin` or `test-province` started at `now` (default: the clock). */
  sessionFor(role: "admin" | "province", now?: number): Promise<Record<string, string>>;
  /**
   * An `authorization` value for `send` that signs in as the user (a person) with a login session,
   * renewed as the test's clock moves: what a test uses instead of an API key for people's accounts.
   */
  authOf(userId: string): string;
}

/** The departments the test ingest client may push for: TEST_ITEM's and those of rules/gen.ts. */
export const TEST_INGEST_DEPARTMENTS = ["410100-SCJGJ", "410100-ZRZYJ", "410200-SCJGJ", "411000-WJW"];

/** Who sends a request by default: ingest clients push events, administrators write, the province reads. */
export function defaultRole(method: string, path: string): "admin" | "ingest" | "province" {
  if (path.startsWith("/api/v1/events")) return "ingest";
  return method === "GET" || method === "HEAD" ? "province" : "admin";
}

/** The test item: N = 10, S = 20, one hall, no fee. */
export const TEST_ITEM: Item = item({
  code: "410000-TEST-0001",
  name: "食品经营许可",
  department: "410100-SCJGJ",
  specialProcedures: ["检验"],
});

/** Open a test app at an instant and load the reference data (region, department, hall, item). */
export async function openTestApp(
  now: string,
  opts: Parameters<typeof openTestDatabase>[0] = {},
): Promise<TestApp> {
  const database = await openTestDatabase(opts);
  let ms = Date.parse(now);
  const deps: AppDeps = {
    database,
    clock: () => ms,
    calendar: await openCalendarStore(database),
    keys: await openKeyCache(database),
    metrics: new Metrics(),
  };
  const app = createApp(deps);
  const { auth, userIds } = await testAccounts(database.db, ms);
  const sessions = new Map<string, { headers: Record<string, string>; expiresAt: number }>();
  const sessionOf = async (userId: string) => {
    let s = sessions.get(userId);
    if (!s || s.expiresAt <= ms + 60_000) {
      s = { headers: await sessionHeaders(database.db, userId, ms), expiresAt: ms + SESSION_TTL_MS };
      sessions.set(userId, s);
    }
    return s.headers;
  };
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const h: Record<string, string> = { "content-type": "application/json", ...headers };
    if (h.authorization === undefined && method === "POST" && path === "/api/v1/events") {
      return pushAsDeployment(app, auth, body, h, (events) => ingestEvents(deps, events, "test-supervisor"));
    }
    if (h.authorization === undefined) h.authorization = auth[defaultRole(method, path)];
    if (h.authorization.startsWith(SESSION_MARK)) {
      Object.assign(h, await sessionOf(h.authorization.slice(SESSION_MARK.length)));
    }
    if (h.authorization === "") delete h.authorization;
    return await Promise.resolve(app.request(path, {
      method,
      headers: h,
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }));
  };
  const t: TestApp = {
    app,
    deps,
    database,
    setNow: (i) => (ms = typeof i === "number" ? i : Date.parse(i)),
    send,
    auth,
    sessionFor: (role, at = ms) => sessionHeaders(database.db, userIds[role], at),
    authOf: (userId) => SESSION_MARK + userId,
  };
  await putReference(t, {
    regions: [{ code: "410100", name: "郑州市", parent: "410000" }],
    departments: [{ code: TEST_ITEM.department, name: "郑州市市场监督管理局", region: "410100" }],
    halls: [{ code: "410100-HALL", name: "郑州市政务服务大厅", region: "410100" }],
    items: [TEST_ITEM],
  });
  return t;
}

/** Reference data lists, PUT in this order: regions, departments, halls, items. */
export interface ReferenceLists {
  regions?: unknown[];
  departments?: unknown[];
  halls?: unknown[];
  items?: unknown[];
}

/** PUT reference data as the administrator; throws unless every list is taken (200). */
export async function putReference(t: TestApp, lists: ReferenceLists): Promise<void> {
  for (const kind of ["regions", "departments", "halls", "items"] as const) {
    if (!lists[kind]) continue;
    const res = await t.send("PUT", `/api/v1/${kind}`, lists[kind]);
    if (res.status !== 200) throw new Error(`PUT ${kind}: ${res.status} ${await res.text()}`);
  }
}

/** The province (河南省, 410000), above the test world's 郑州. */
export const HENAN = { code: "410000", name: "河南省", parent: null };

/** 金水区 (410105), a district of 郑州, with its 市场监管 department. */
export const JINSHUI = {
  region: { code: "410105", name: "金水区", parent: "410100" },
  department: { code: "410105-SCJGJ", name: "金水区市场监督管理局", region: "410105" },
};

/** 洛阳 (410300), a city beside 郑州: its 市场监管 department, its hall and an item of that department. */
export const LUOYANG = {
  region: { code: "410300", name: "洛阳市", parent: "410000" },
  department: { code: "410300-SCJGJ", name: "洛阳市市场监督管理局", region: "410300" },
  hall: { code: "410300-HALL", name: "洛阳市政务服务大厅", region: "410300" },
  item: { ...TEST_ITEM, code: "410300-TEST-0001", department: "410300-SCJGJ" },
};

/** 洛阳's region, department, hall and item as reference lists, to PUT beside the test world. */
export const LUOYANG_LISTS: ReferenceLists = {
  regions: [LUOYANG.region],
  departments: [LUOYANG.department],
  halls: [LUOYANG.hall],
  items: [LUOYANG.item],
};

/**
 * POST a batch as a deployment would: the department system's events with its key, the evaluation
 * platform's (`evaluation`, `second_evaluation`) with the platform's; `review` events (generated
 * supervisor decisions) are stored as the review route stores them — through ingestion under the
 * supervisor's name, never over the events route. One merged report with the original indexes. A
 * batch of one kind is one request, as sent.
 */
async function pushAsDeployment(
  app: ReturnType<typeof createApp>,
  auth: TestApp["auth"],
  body: unknown,
  headers: Record<string, string>,
  decide: (reviews: unknown[]) => Promise<IngestReport>,
): Promise<Response> {
  const ndjson = typeof body === "string";
  const records: unknown[] = ndjson ? (body as string).split("\n") : (body as unknown[]);
  const kindOf = (r: unknown) => {
    let v = r;
    if (typeof r === "string") {
      try {
        v = JSON.parse(r);
      } catch {
        return "ingest";
      }
    }
    const type = (v as { type?: unknown } | null)?.type;
    if (type === "review") return "review";
    return typeof type === "string" && SENDER_TYPES.evaluation.has(type as never) ? "evaluation" : "ingest";
  };
  const groups = { ingest: [] as number[], evaluation: [] as number[], review: [] as number[] };
  if (!Array.isArray(records)) return await post(auth.ingest, body);
  records.forEach((r, i) => groups[kindOf(r)].push(i));
  if (groups.evaluation.length === 0 && groups.review.length === 0) return await post(auth.ingest, body);
  const merged: IngestReport = { stored: 0, duplicates: 0, refused: [] };
  for (const kind of ["ingest", "evaluation", "review"] as const) {
    const part = groups[kind].map((i) => records[i]);
    if (part.length === 0) continue;
    let r: IngestReport;
    if (kind === "review") {
      r = await decide(part.map((x) => (typeof x === "string" ? JSON.parse(x) : x)));
    } else {
      const res = await post(auth[kind], ndjson ? part.join("\n") : part);
      r = await res.json() as IngestReport;
      if (res.status !== 200 && res.status !== 207 && res.status !== 400) {
        return new Response(JSON.stringify(r), { status: res.status, headers: res.headers });
      }
    }
    merged.stored += r.stored;
    merged.duplicates += r.duplicates;
    merged.refused.push(...r.refused.map((x) => ({ ...x, index: groups[kind][x.index] })));
    if (r.warnings) {
      (merged.warnings ??= []).push(...r.warnings.map((x) => ({ ...x, index: groups[kind][x.index] })));
    }
  }
  merged.refused.sort((a, b) => a.index - b.index);
  merged.warnings?.sort((a, b) => a.index - b.index);
  return Response.json(merged, { status: reportStatus(merged) });

  async function post(authorization: string, payload: unknown): Promise<Response> {
    return await app.request("/api/v1/events", {
      method: "POST",
      headers: { ...headers, authorization },
      body: typeof payload === "string" ? payload : JSON.stringify(payload),
    });
  }
}

/** What `TestApp.auth` holds for a person: `send` logs them in (see {@linkcode TestApp.auth}). */
const SESSION_MARK = "test-session:";

/**
 * Accounts `test-admin`, `test-ingest`, `test-evaluation`, `test-province`: the ingest accounts' keys,
 * the people's session markers.
 */
async function testAccounts(
  db: TestDatabase["db"],
  now: number,
): Promise<{ auth: TestApp["auth"]; userIds: Record<string, string> }> {
  const out = {} as TestApp["auth"];
  const userIds: Record<string, string> = {};
  const scopes: Record<keyof TestApp["auth"], string[]> = {
    admin: [],
    ingest: TEST_INGEST_DEPARTMENTS,
    evaluation: [],
    province: [],
  };
  for (const [role, departments] of Object.entries(scopes) as [keyof TestApp["auth"], string[]][]) {
    const user = await createUser(
      db,
      {
        username: `test-${role}`,
        displayName: role,
        role: (role === "evaluation" ? "ingest" : role) as Role,
        departments,
        region: null,
        hall: null,
        senderKind: role === "evaluation" ? "evaluation" : undefined,
      },
      now,
      {
        checkReference: false,
        passwordHash: role === "ingest" || role === "evaluation" ? undefined : await testPasswordHash(),
      },
    );
    userIds[role] = user.id;
    if (role === "ingest" || role === "evaluation") {
      const { key } = await createApiKey(db, { userId: user.id, name: "test", createdBy: "test" });
      out[role] = `Bearer ${key}`;
    } else out[role] = SESSION_MARK + user.id;
  }
  return { auth: out, userIds };
}

/**
 * A new ingest account (a department system, or with `senderKind` the evaluation platform) of some
 * departments, with an API key: the `authorization` header to send as it.
 */
export async function ingestClient(
  t: TestApp,
  username: string,
  departments: string[],
  senderKind?: "evaluation",
): Promise<{ authorization: string }> {
  const { db } = t.database;
  const user = await createUser(
    db,
    { username, displayName: username, role: "ingest", departments, region: null, hall: null, senderKind },
    t.deps.clock(),
    { checkReference: false },
  );
  const { key } = await createApiKey(db, { userId: user.id, name: "k", createdBy: "t" });
  return { authorization: `Bearer ${key}` };
}

/** A `received` event of a case at an instant. */
export function receivedEvent(id: string, caseId: string, at: string, name = "张三丰") {
  return {
    id,
    case: caseId,
    type: "received",
    at,
    item: TEST_ITEM.code,
    channel: "hall",
    hall: "410100-HALL",
    applicant: { name, contact: "13800000000", kind: "person" },
  };
}

/** An `accepted` event of a case at an instant (handler 李四). */
export function acceptedEvent(id: string, caseId: string, at: string) {
  return { id, case: caseId, type: "accepted", at, handler: "李四" };
}

/**
 * A case's events: received at `hall` (default the test hall) at 09:00 and accepted at 09:30 on `start`;
 * with `end`, the test item's four steps at 10:00, 11:00, … and completion (normal) at 15:00 on `end`.
 * `handler`, when given, on the acceptance and the steps.
 */
export function caseFlow(
  id: string,
  item: string,
  start: string,
  end?: string,
  opts: { hall?: string; handler?: string } = {},
): Record<string, unknown>[] {
  const at = (date: string, time: string) => `${date}T${time}:00+08:00`;
  const by = opts.handler ? { handler: opts.handler } : {};
  const events: Record<string, unknown>[] = [
    { ...receivedEvent(`${id}-r`, id, at(start, "09:00")), item, hall: opts.hall ?? "410100-HALL" },
    { id: `${id}-a`, case: id, type: "accepted", at: at(start, "09:30"), ...by },
  ];
  if (end === undefined) return events;
  TEST_ITEM.steps.forEach((name, i) =>
    events.push({ id: `${id}-s${i}`, case: id, type: "step", at: at(end, `1${i}:00`), name, ...by })
  );
  events.push({ id: `${id}-c`, case: id, type: "completed", at: at(end, "15:00"), result: "normal" });
  return events;
}

/**
 * Case `caseId` (default R1; item {@linkcode TEST_ITEM}, no fee standard): accepted and completed, a charge (8.4 red card,
 * subject `<caseid>-fee`), an unsatisfied evaluation with a reason (9.1 abnormal) and other feedback (9.9
 * pending), and an appeal of 9.1 on 2024-09-09 with no second evaluation (under investigation since 00:00
 * of addWorkdays(2024-09-09, 11)).
 */
export function supervisedCaseEvents(caseId = "R1"): Record<string, unknown>[] {
  const p = caseId.toLowerCase();
  return [
    receivedEvent(`${p}-1`, caseId, "2024-09-02T09:00:00+08:00"),
    { id: `${p}-2`, case: caseId, type: "accepted", at: "2024-09-02T09:10:00+08:00", handler: "李四" },
    {
      id: `${p}-fee`,
      case: caseId,
      type: "fee",
      at: "2024-09-03T10:00:00+08:00",
      kind: "charge",
      amount: 100,
    },
    { id: `${p}-4`, case: caseId, type: "completed", at: "2024-09-05T16:00:00+08:00", result: "normal" },
    {
      id: `${p}-5`,
      case: caseId,
      type: "evaluation",
      at: "2024-09-06T09:00:00+08:00",
      satisfied: false,
      satisfactionReason: "等候时间过长",
      other: "大厅指引不清楚",
    },
    {
      id: `${p}-6`,
      case: caseId,
      type: "appeal",
      at: "2024-09-09T09:00:00+08:00",
      rule: "9.1",
      text: "已当场解释",
    },
  ];
}
