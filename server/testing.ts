/**
 * A test app over a fresh database (PGlite, or PostgreSQL with `TEST_DATABASE_URL`), with a clock the
 * test moves, and the reference data of the write-path tests. Test-only.
 *
 * @module
 */
import { openTestDatabase, type TestDatabase } from "../db/testing.ts";
import type { Item } from "../rules/types.ts";
import { createApp } from "./app.ts";
import type { AppDeps } from "./deps.ts";

/** An app, its deps, and a settable clock. */
export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  database: TestDatabase;
  setNow(instant: string | number): void;
  /** `app.request` with a JSON body. */
  send(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
}

/** The test item: N = 10, S = 20, one hall, no fee. */
export const TEST_ITEM: Item = {
  code: "410000-TEST-0001",
  name: "食品经营许可",
  department: "410100-SCJGJ",
  statutoryDays: 20,
  promisedDays: 10,
  steps: ["受理", "审查", "决定", "送达"],
  materials: { required: ["申请书"], optional: [] },
  specialProcedures: ["检验"],
  fee: null,
  promisedVisits: 1,
  intermediaryFree: true,
  certificate: null,
};

/** Open a test app at an instant and load the reference data (region, department, hall, item). */
export async function openTestApp(now: string): Promise<TestApp> {
  const database = await openTestDatabase();
  let ms = Date.parse(now);
  const deps: AppDeps = { database, clock: () => ms };
  const app = createApp(deps);
  const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    Promise.resolve(app.request(path, {
      method,
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }));
  const t: TestApp = {
    app,
    deps,
    database,
    setNow: (i) => (ms = typeof i === "number" ? i : Date.parse(i)),
    send,
  };
  for (
    const [path, body] of [
      ["/api/v1/regions", [{ code: "410100", name: "郑州市", parent: "410000" }]],
      ["/api/v1/departments", [{
        code: TEST_ITEM.department,
        name: "郑州市市场监督管理局",
        region: "410100",
      }]],
      ["/api/v1/halls", [{ code: "410100-HALL", name: "郑州市政务服务大厅", region: "410100" }]],
      ["/api/v1/items", [TEST_ITEM]],
    ] as const
  ) {
    const res = await send("PUT", path, body);
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  }
  return t;
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
