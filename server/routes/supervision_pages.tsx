/**
 * The supervision agency's pages: random spot checks (`/spot-checks…`). Anonymous visitors go to the
 * login page; a refused or invalid form comes back with the message naming the field; every post
 * redirects with a success message.
 *
 * @module
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { supervisionOrders } from "../../db/schema_supervision.ts";
import { addDays, dateIn } from "../../rules/dates.ts";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { instant } from "../pages/case_page.tsx";
import { visibleDepartments } from "../pages/case_data.ts";
import { renderPage } from "../pages/layout.tsx";
import {
  SpotCheckListPage,
  type SpotCheckListProps,
  SpotCheckPage,
  SpotCheckPrintPage,
} from "../pages/spot_check_pages.tsx";
import { clientIp } from "../security.ts";
import { actorLabel, actorOf, idParam, visibleRegions } from "../supervision/common.ts";
import { formFields, okMessage, pageGuard, redirectOk } from "../supervision/page_kit.tsx";
import {
  createSpotCheck,
  listSpotChecks,
  loadSpotCheck,
  proposeSeed,
  recordSpotCheckResult,
} from "../supervision/spot_checks.ts";

const notFound = () => new NotFoundError("没有此抽查 (no such spot check)");

/** The supervision pages, to mount at `/`. */
export function supervisionPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const page = pageGuard(deps);
  const { db } = deps.database;
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.security?.trustProxy ?? false);
  const csrf = (p: Principal) => p.session?.csrfToken ?? null;

  const listPage = async (
    c: Parameters<typeof clientIp>[0],
    p: Principal,
    m: SpotCheckListProps["manifest"],
    extra: Partial<SpotCheckListProps> = {},
    status: 200 | 400 = 200,
  ) => {
    const today = dateIn(deps.clock());
    const [rows, departments, regions] = await Promise.all([
      listSpotChecks(db, p),
      visibleDepartments(db, p),
      visibleRegions(db, p),
    ]);
    const props: SpotCheckListProps = {
      rows,
      departments,
      regions,
      form: { from: `${addDays(today, -30)}`, to: today, size: "10", seed: proposeSeed() },
      csrf: csrf(p),
      manifest: m,
      ok: okMessage(c),
      ...extra,
    };
    return c.html(renderPage(c, <SpotCheckListPage {...props} />), status);
  };

  app.get("/spot-checks", page("cases:decide", (c, p, m) => listPage(c, p, m)));

  app.post(
    "/spot-checks",
    page("cases:decide", async (c, p, m) => {
      const { text } = await formFields(c);
      const size = text("size");
      const raw = {
        department: text("department"),
        region: text("region"),
        from: text("from"),
        to: text("to"),
        size: size === undefined ? undefined : Number(size),
        seed: text("seed"),
      };
      try {
        const view = await createSpotCheck(db, p, raw, deps.clock(), ip(c));
        return redirectOk(c, `/spot-checks/${view.id}`, `已抽取 ${view.sample.length} 件，种子 ${view.seed}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const form = {
          ...raw,
          from: raw.from ?? "",
          to: raw.to ?? "",
          size: size ?? "",
          seed: raw.seed ?? "",
        };
        return await listPage(c, p, m, { form, error: `未抽取：${err.message}`, ok: undefined }, 400);
      }
    }),
  );

  const detail = async (
    c: Parameters<typeof clientIp>[0],
    p: Principal,
    m: SpotCheckListProps["manifest"],
    error?: string,
  ) => {
    const id = idParam(c.req.param("id"), notFound);
    const view = await loadSpotCheck(db, p, id);
    const orderRows = await db.select({
      id: supervisionOrders.id,
      caseId: supervisionOrders.caseId,
      state: supervisionOrders.state,
    })
      .from(supervisionOrders).where(eq(supervisionOrders.spotCheckId, id));
    const orders = new Map(orderRows.map((o) => [o.caseId, { id: o.id, state: o.state }]));
    const props = {
      view,
      csrf: csrf(p),
      manifest: m,
      canOrder: true,
      orders,
      ok: error ? undefined : okMessage(c),
      error,
    };
    return c.html(renderPage(c, <SpotCheckPage {...props} />), error ? 400 : 200);
  };

  app.get("/spot-checks/:id", page("cases:decide", (c, p, m) => detail(c, p, m)));

  app.post(
    "/spot-checks/:id/results",
    page("cases:decide", async (c, p, m) => {
      const id = idParam(c.req.param("id"), notFound);
      const { text } = await formFields(c);
      const raw = { case: text("case"), result: text("result"), note: text("note") ?? "" };
      try {
        await recordSpotCheckResult(db, p, id, raw, deps.clock(), ip(c));
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await detail(c, p, m, `结果未保存：${err.message}`);
      }
      const label = raw.result === "nonconforming" ? "不合格" : "合格";
      return redirectOk(
        c,
        `/spot-checks/${id}`,
        `已记录 ${raw.case}：${label}，检查人 ${actorLabel(actorOf(p))}`,
      );
    }),
  );

  app.get(
    "/spot-checks/:id/print",
    page("cases:decide", async (c, p, m) => {
      const view = await loadSpotCheck(db, p, idParam(c.req.param("id"), notFound));
      return c.html(
        renderPage(c, <SpotCheckPrintPage view={view} manifest={m} printedAt={instant(deps.clock())} />),
      );
    }),
  );

  return app;
}
