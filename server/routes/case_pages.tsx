/**
 * The case pages: `GET /cases` (live countdown list), `GET /cases/:case` (the case's supervision
 * record), `POST /cases/:case/reviews` (a supervisor's decision as a form post; CSRF `_csrf` field)
 (the manual supervision queue `GET /queue` is server/routes/queue_pages.tsx). Anonymous visitors go to the login page; a case
 * outside the caller's scope is answered 404 like an unknown one.
 *
 * @module
 */
import { pageGuard } from "./page_guard.ts";
import { type Context, Hono } from "hono";
import type { Env } from "../app.ts";
import { type Principal } from "../auth/principal.ts";
import { roleCan } from "../auth/roles.ts";
import { seesApplicants } from "../auth/scope.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import { loadCasePage, visibleDepartments, visibleHalls, visibleItems } from "../pages/case_data.ts";
import { CaseListPage } from "../pages/case_list_page.tsx";
import { dateIn } from "../../rules/dates.ts";
import { type CaseListParams, parseCaseListQuery } from "../cases/list_params.ts";
import { listCasePage } from "../cases/list_query.ts";
import { caseListCsv, caseListXlsx, openCaseListExport } from "../cases/list_export.ts";
import { XLSX_TYPE } from "../export/xlsx.ts";
import { attachment } from "../reports/csv.ts";
import { CasePage, type CasePageProps } from "../pages/case_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { clientIp } from "../security.ts";
import { parseReviewInput, recordReview } from "./reviews.ts";
import {
  AppealInput,
  ExplanationInput,
  parseAnswer,
  recordAppeal,
  recordExplanation,
} from "../cases/answers.ts";

/** The notice after an answer was recorded (`?answered=`): fixed texts, never echoed input. */
const ANSWERED: Record<string, { tone: "ok" | "error"; text: string }> = {
  explanation: { tone: "ok", text: "情况说明已提交，监察机构可在本页和人工监察队列中看到。" },
  appeal: { tone: "ok", text: "申诉已提交，等待申请人二次评价。" },
  "appeal-refused": { tone: "error", text: "申诉已记录但未被受理，原因见下方「未受理的申诉」。" },
};

/** The case page routes, to mount at `/` before the other pages. */
export function casePageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const manifest = () => Promise.resolve(deps.manifest ?? {});
  const { db } = deps.database;

  const page = pageGuard(deps);

  const renderCase = async (
    c: Context<Env>,
    p: Principal,
    status: 200 | 400 = 200,
    message?: CasePageProps["message"],
  ) => {
    const [data, m] = await Promise.all([loadCasePage(deps, db, p, c.req.param("case")!), manifest()]);
    const props = {
      data,
      canDecide: roleCan(p.role, "cases:decide"),
      canExplain: roleCan(p.role, "cases:explain"),
      canAppeal: roleCan(p.role, "cases:appeal"),
      csrf: p.session?.csrfToken ?? null,
      manifest: m,
      message,
    };
    return c.html(renderPage(c, <CasePage {...props} />), status);
  };

  app.get(
    "/cases",
    page("cases:read", async (c, p) => {
      const { params, query } = deskQuery(c.req.query());
      const { calendar } = deps.calendar;
      const now = deps.clock();
      const today = dateIn(now);
      const [list, departments, items, halls, m] = await Promise.all([
        // The desk page masks every name (shared screens); the case page shows them to those who may.
        listCasePage(db, p, { ...params, names: "masked" }, calendar, today),
        visibleDepartments(db, p),
        visibleItems(db, p),
        visibleHalls(db, p),
        manifest(),
      ]);
      const desk = {
        page: {
          cases: list.cases,
          next: list.next,
          prev: list.prev,
          total: list.total,
          totalCapped: list.totalCapped,
        },
        query,
        cursor: params.cursor ?? null,
        streamUrl: `/api/v1/stream${streamFilter(p, params)}`,
        now,
        showDepartment: departments.length > 1,
      };
      return c.html(renderPage(
        c,
        <CaseListPage
          params={params}
          desk={desk}
          today={today}
          departments={departments}
          items={items}
          halls={halls}
          canDecide={roleCan(p.role, "cases:decide")}
          searchesApplicants={seesApplicants(p.role)}
          manifest={m}
        />,
      ));
    }),
  );

  for (const format of ["csv", "xlsx"] as const) {
    app.get(
      `/cases.${format}`,
      page("cases:read", async (c, p) => {
        const { params } = deskQuery(c.req.query());
        const { calendar } = deps.calendar;
        const { pages } = await openCaseListExport(db, p, params, calendar, dateIn(deps.clock()));
        const name = `办件时限一览-${dateIn(deps.clock())}.${format}`;
        c.header("content-disposition", attachment(name));
        if (format === "csv") {
          c.header("content-type", "text/csv; charset=utf-8");
          return c.body(caseListCsv(pages));
        }
        c.header("content-type", XLSX_TYPE);
        return c.body(caseListXlsx(pages));
      }),
    );
  }

  app.get(
    "/cases/:case",
    page("cases:read", (c, p) => {
      const done = ANSWERED[c.req.query("answered") ?? ""];
      return renderCase(c, p, 200, done);
    }),
  );

  // Department staff answer an alert or finding (情况说明) and file the 9.10 appeal: form posts.
  for (
    const [path, permission] of [["explanations", "cases:explain"], ["appeals", "cases:appeal"]] as const
  ) {
    app.post(
      `/cases/:case/${path}`,
      page(permission, async (c, p) => {
        const caseId = c.req.param("case")!;
        const form = await c.req.parseBody();
        const field = (
          k: string,
        ) => (typeof form[k] === "string" && form[k] !== "" ? form[k] as string : undefined);
        const ip = clientIp(c, deps.security?.trustProxy ?? false);
        let answered: string;
        try {
          if (path === "explanations") {
            const input = parseAnswer(ExplanationInput, {
              kind: field("kind"),
              rule: field("rule"),
              subject: field("subject"),
              level: field("level"),
              on: field("on"),
              text: field("text") ?? "",
            });
            await recordExplanation(deps, p, caseId, input, ip);
            answered = "explanation";
          } else {
            const input = parseAnswer(AppealInput, { rule: field("rule"), text: field("text") ?? "" });
            answered = (await recordAppeal(deps, p, caseId, input, ip)).refused ? "appeal-refused" : "appeal";
          }
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          return await renderCase(c, p, 400, { tone: "error", text: `未保存：${err.message}` });
        }
        return c.redirect(`/cases/${encodeURIComponent(caseId)}?answered=${answered}#answers`, 303);
      }),
    );
  }

  app.post(
    "/cases/:case/reviews",
    page("cases:decide", async (c, p) => {
      const form = await c.req.parseBody();
      const text = (
        k: string,
      ) => (typeof form[k] === "string" && form[k] !== "" ? form[k] as string : undefined);
      const abnormal = text("abnormal");
      const raw = {
        action: text("action"),
        rule: text("rule"),
        subject: text("subject"),
        abnormal: abnormal === undefined ? undefined : abnormal === "true",
        disposition: text("disposition"),
        reason: text("reason") ?? "",
      };
      try {
        const input = parseReviewInput(raw);
        await recordReview(
          deps,
          p,
          c.req.param("case")!,
          input,
          clientIp(c, deps.security?.trustProxy ?? false),
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await renderCase(c, p, 400, { tone: "error", text: `监察处理未保存：${err.message}` });
      }
      return c.redirect(`/cases/${encodeURIComponent(c.req.param("case")!)}#reviews`, 303);
    }),
  );

  return app;
}

/**
 * The desk's query: the page's default status is `open` (the API's is `all`); `query` is the
 * validated filter as a query string without the cursor, for the island's reads, links and exports.
 */
function deskQuery(raw: Record<string, string>): { params: CaseListParams; query: string } {
  const params = parseCaseListQuery({ ...raw, status: raw.status || "open" });
  const keep = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (k === "cursor" || v === undefined || (k === "limit" && v === 100)) continue;
    keep.set(k, String(v));
  }
  return { params, query: keep.toString() };
}

/** The stream of the list's scope: the department filter if any, else the caller's own scope. */
function streamFilter(p: Principal, q: CaseListParams): string {
  if (q.department) return `?department=${encodeURIComponent(q.department)}`;
  if (q.hall) return `?hall=${encodeURIComponent(q.hall)}`;
  if (p.scope.departments === "all") return "";
  if (p.region) return `?region=${encodeURIComponent(p.region)}`;
  if (p.departments.length === 1) return `?department=${encodeURIComponent(p.departments[0])}`;
  return "";
}
