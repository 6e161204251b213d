/**
 * The supervision routes' lines of the role × route matrix (server/auth/matrix_test.ts), with the
 * records they need (a spot check of 郑州's department and one of 洛阳's). Test-only.
 *
 * @module
 */
import { eq } from "drizzle-orm";
import { manualQueue, notificationsOutbox } from "../../db/schema.ts";
import type { Principal } from "./principal.ts";
import { receivedEvent, type TestApp } from "../testing.ts";
import { ingestEvents } from "../write/ingest.ts";
import { createSpotCheck, recordSpotCheckResult } from "../supervision/spot_checks.ts";
import { issueOrder, replyOrder } from "../supervision/orders.ts";

/** A matrix line (the type of matrix_test.ts). */
export interface MatrixRow<C extends string> {
  route: string;
  path: string;
  body?: (column: C) => unknown;
  form?: boolean;
  expect: Record<C, number>;
  note?: string;
}

const PROVINCE = {
  kind: "key",
  id: "matrix",
  name: "matrix-setup",
  displayName: "矩阵",
  role: "province",
  departments: [],
  region: null,
  hall: null,
  scope: { departments: "all", regions: "all", halls: "all" },
} as unknown as Principal;

const STAFF = {
  ...PROVINCE,
  name: "matrix-staff",
  role: "department",
  scope: { departments: new Set(["410100-SCJGJ"]), regions: new Set(), halls: new Set() },
} as unknown as Principal;

/** The lines; `s` takes the statuses in column order (province … anonymous). */
export async function supervisionMatrixRows<C extends string>(
  t: TestApp,
  s: (...statuses: number[]) => Record<C, number>,
): Promise<MatrixRow<C>[]> {
  const now = t.deps.clock();
  const period = { from: "2026-02-01", to: "2026-03-01", size: 5, seed: "matrix" };
  const zz = await createSpotCheck(
    t.database.db,
    PROVINCE,
    { department: "410100-SCJGJ", ...period },
    now,
    null,
  );
  const ly = await createSpotCheck(
    t.database.db,
    PROVINCE,
    { department: "410300-SCJGJ", ...period },
    now,
    null,
  );
  // Nonconforming results to open orders from: one spot check per order (one open order per result).
  const db = t.database.db;
  const bad = { result: "nonconforming", note: "矩阵" };
  const orderFrom = async (department: string, caseId: string) => {
    const sc = await createSpotCheck(db, PROVINCE, { department, ...period }, now, null);
    await recordSpotCheckResult(db, PROVINCE, sc.id, { case: caseId, ...bad }, now, null);
    return sc.id;
  };
  const toIssue = {
    province: await orderFrom("410100-SCJGJ", "Z1"),
    region: await orderFrom("410100-SCJGJ", "Z1"),
  };
  const issue = async (department: string, caseId: string) =>
    await issueOrder(t.deps, db, PROVINCE, {
      spotCheck: await orderFrom(department, caseId),
      case: caseId,
      text: "矩阵",
    }, null);
  const zOrder = await issue("410100-SCJGJ", "Z1");
  const lOrder = await issue("410300-SCJGJ", "L1");
  const toAccept = await issue("410100-SCJGJ", "Z1");
  const toReturn = await issue("410100-SCJGJ", "Z1");
  for (const o of [toAccept, toReturn]) await replyOrder(t.deps, db, STAFF, o.id, { text: "已整改" }, null);
  const [outbox] = await db.insert(notificationsOutbox).values({
    caseId: "Z1",
    rule: "8.1",
    department: "410100-SCJGJ",
    payload: { kind: "8.1-warning", text: "矩阵" },
  }).returning();
  // A real queue item (9.9 feedback of case Z2): hand-made items would be closed by the lines that
  // recalculate every case (a calendar change).
  const z2 = "Z2";
  await ingestEvents(t.deps, [
    receivedEvent("Z2-r", z2, "2026-02-27T09:00:00+08:00"),
    { id: "Z2-a", case: z2, type: "accepted", at: "2026-02-27T09:10:00+08:00", handler: "窗口" },
    { id: "Z2-c", case: z2, type: "completed", at: "2026-02-27T16:00:00+08:00", result: "normal" },
    { id: "Z2-e", case: z2, type: "evaluation", at: "2026-02-28T10:00:00+08:00", other: "矩阵反馈" },
  ], "setup");
  const [queued] = await db.select().from(manualQueue).where(eq(manualQueue.caseId, z2));
  const READ = /*       */ s(200, 200, 200, 403, 200, 403, 403, 401, 401);
  const READ_PAGE = /*  */ s(200, 200, 200, 403, 200, 403, 403, 303, 303);
  //                       prov  reg dept hall  dir admin ingest disp anon
  const API = /*        */ s(200, 200, 403, 403, 403, 403, 403, 401, 401);
  const API_WRITE = /*  */ s(201, 201, 403, 403, 403, 403, 403, 401, 401);
  const PAGE = /*       */ s(200, 200, 403, 403, 403, 403, 403, 303, 303);
  const FORM = /*       */ s(303, 303, 403, 403, 403, 403, 403, 303, 303);
  const result = () => ({ case: "Z1", result: "conforming", note: "矩阵" });
  return [
    {
      route: "POST /api/v1/spot-checks",
      path: "/api/v1/spot-checks",
      body: () => ({ department: "410100-SCJGJ", ...period }),
      expect: API_WRITE,
    },
    {
      route: "POST /api/v1/spot-checks",
      path: "/api/v1/spot-checks",
      note: "another region's department",
      body: () => ({ department: "410300-SCJGJ", ...period }),
      expect: s(201, 403, 403, 403, 403, 403, 403, 401, 401),
    },
    { route: "GET /api/v1/spot-checks", path: "/api/v1/spot-checks", expect: API },
    { route: "GET /api/v1/spot-checks/:id", path: `/api/v1/spot-checks/${zz.id}`, expect: API },
    {
      route: "GET /api/v1/spot-checks/:id",
      path: `/api/v1/spot-checks/${ly.id}`,
      note: "another region's spot check",
      expect: s(200, 404, 403, 403, 403, 403, 403, 401, 401),
    },
    {
      route: "POST /api/v1/spot-checks/:id/results",
      path: `/api/v1/spot-checks/${zz.id}/results`,
      body: result,
      expect: API_WRITE,
    },
    {
      route: "GET /api/v1/spot-checks/:id/export",
      path: `/api/v1/spot-checks/${zz.id}/export?format=csv`,
      expect: API,
    },
    { route: "GET /spot-checks", path: "/spot-checks", expect: PAGE },
    {
      route: "POST /spot-checks",
      path: "/spot-checks",
      form: true,
      body: () => "department=410100-SCJGJ&from=2026-02-01&to=2026-03-01&size=2&seed=m",
      expect: FORM,
    },
    { route: "GET /spot-checks/:id", path: `/spot-checks/${zz.id}`, expect: PAGE },
    {
      route: "GET /spot-checks/:id",
      path: `/spot-checks/${ly.id}`,
      note: "another region's spot check",
      expect: s(200, 404, 403, 403, 403, 403, 403, 303, 303),
    },
    {
      route: "POST /spot-checks/:id/results",
      path: `/spot-checks/${zz.id}/results`,
      form: true,
      body: () => "case=Z1&result=conforming&note=",
      expect: FORM,
    },
    { route: "GET /spot-checks/:id/print", path: `/spot-checks/${zz.id}/print`, expect: PAGE },
    // Supervision orders (server/routes/orders.ts, order_pages.tsx).
    {
      route: "POST /api/v1/orders",
      path: "/api/v1/orders",
      body: (c) => ({
        spotCheck: c === "region" ? toIssue.region : toIssue.province,
        case: "Z1",
        text: "矩阵",
      }),
      expect: API_WRITE,
    },
    { route: "GET /api/v1/orders", path: "/api/v1/orders", expect: READ },
    { route: "GET /api/v1/orders/:id", path: `/api/v1/orders/${zOrder.id}`, expect: READ },
    {
      route: "GET /api/v1/orders/:id",
      path: `/api/v1/orders/${lOrder.id}`,
      note: "another region's order",
      expect: s(200, 404, 404, 403, 404, 403, 403, 401, 401),
    },
    {
      route: "POST /api/v1/orders/:id/reply",
      path: `/api/v1/orders/${zOrder.id}/reply`,
      body: () => ({ text: "已整改" }),
      expect: s(403, 403, 200, 403, 403, 403, 403, 401, 401),
    },
    {
      route: "POST /api/v1/orders/:id/accept",
      path: `/api/v1/orders/${toAccept.id}/accept`,
      note: "the region's request comes after the province closed it",
      body: () => ({}),
      expect: s(200, 409, 403, 403, 403, 403, 403, 401, 401),
    },
    {
      route: "POST /api/v1/orders/:id/return",
      path: `/api/v1/orders/${toReturn.id}/return`,
      note: "the region's request comes after the province returned it",
      body: () => ({ text: "请补充", days: 3 }),
      expect: s(200, 409, 403, 403, 403, 403, 403, 401, 401),
    },
    { route: "GET /orders", path: "/orders", expect: READ_PAGE },
    { route: "GET /orders/new", path: `/orders/new?case=Z1&spotCheck=${toIssue.province}`, expect: PAGE },
    {
      route: "POST /orders",
      path: "/orders",
      form: true,
      note: "the first post answers the confirmation page",
      body: () => `case=Z1&spotCheck=${toIssue.province}&text=x&days=5`,
      expect: PAGE,
    },
    { route: "GET /orders/:id", path: `/orders/${zOrder.id}`, expect: READ_PAGE },
    {
      route: "POST /orders/:id/reply",
      path: `/orders/${zOrder.id}/reply`,
      form: true,
      body: () => "text=x",
      expect: s(403, 403, 200, 403, 403, 403, 403, 303, 303),
    },
    ...(["accept", "return"] as const).map((a): MatrixRow<C> => ({
      route: `POST /orders/:id/${a}`,
      path: `/orders/${zOrder.id}/${a}`,
      form: true,
      body: () => "text=x&days=3",
      expect: PAGE,
    })),
    // The manual queue's decisions and assignments (server/routes/queue_pages.tsx).
    {
      route: "POST /queue/decide",
      path: "/queue/decide",
      form: true,
      note: "the first post answers the confirmation page",
      body: () => `items=${queued.id}&action=judge_normal&reason=matrix`,
      expect: PAGE,
    },
    {
      route: "POST /queue/assign",
      path: "/queue/assign",
      form: true,
      body: () => `items=${queued.id}&dueOn=2026-03-20`,
      expect: FORM,
    },
    // The work portal's outbox (server/routes/portal_pages.tsx): administrators only.
    {
      route: "GET /admin/portal",
      path: "/admin/portal",
      expect: s(403, 403, 403, 403, 403, 200, 403, 303, 303),
    },
    {
      route: "POST /admin/portal/:id/retry",
      path: `/admin/portal/${outbox.id}/retry`,
      form: true,
      body: () => "",
      expect: s(403, 403, 403, 403, 403, 303, 403, 303, 303),
    },
  ];
}
