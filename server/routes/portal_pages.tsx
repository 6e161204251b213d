/**
 * The work portal's outbox page for administrators: `GET /admin/portal?state=` and the retry button
 * `POST /admin/portal/:id/retry` (redirects back with a success message).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { dateIn } from "../../rules/dates.ts";
import { NotFoundError } from "../errors.ts";
import { renderPage } from "../pages/layout.tsx";
import { PortalPage } from "../pages/portal_page.tsx";
import { listOutbox, OUTBOX_STATES, type OutboxState, retryOutbox } from "../portal/outbox.ts";
import { outboxCounts } from "../portal/worker.ts";
import { clientIp } from "../security.ts";
import { idParam } from "../supervision/common.ts";
import { okMessage, pageGuard, redirectOk } from "../supervision/page_kit.tsx";

/** The portal outbox pages, to mount at `/`. */
export function portalPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const page = pageGuard(deps);
  const { db } = deps.database;

  app.get(
    "/admin/portal",
    page("portal:admin", async (c, p, m) => {
      const q = c.req.query("state");
      const state: OutboxState = (OUTBOX_STATES as readonly string[]).includes(q ?? "")
        ? q as OutboxState
        : "pending";
      const [counts, rows] = await Promise.all([
        outboxCounts(db, dateIn(deps.clock())),
        listOutbox(db, state),
      ]);
      return c.html(renderPage(
        c,
        <PortalPage
          configured={deps.portal?.configured ?? false}
          maxAttempts={deps.portal?.maxAttempts ?? 8}
          counts={counts}
          rows={rows}
          state={state}
          csrf={p.session?.csrfToken ?? null}
          manifest={m}
          ok={okMessage(c)}
        />,
      ));
    }),
  );

  app.post(
    "/admin/portal/:id/retry",
    page("portal:admin", async (c, p) => {
      const id = idParam(c.req.param("id"), () => new NotFoundError("没有此消息 (no such message)"));
      await retryOutbox(db, p, id, deps.clock(), clientIp(c, deps.security?.trustProxy ?? false));
      const note = deps.portal?.configured ? "将在数秒内重新发送" : "门户接口未配置，消息仍保存在此";
      return redirectOk(c, "/admin/portal?state=pending", `消息 ${id} 已重新排队，${note}`);
    }),
  );
  return app;
}
