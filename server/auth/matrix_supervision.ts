/**
 * The supervision routes' lines of the role × route matrix (server/auth/matrix_test.ts), with the
 * records they need (a spot check of 郑州's department and one of 洛阳's). Test-only.
 *
 * @module
 */
import type { Principal } from "./principal.ts";
import type { TestApp } from "../testing.ts";
import { createSpotCheck } from "../supervision/spot_checks.ts";

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
  ];
}
