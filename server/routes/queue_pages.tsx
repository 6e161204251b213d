/**
 * The manual supervision queue's pages: `GET /queue` (filters `kind`, `region`, `department`, `minAge`,
 * `assignee`, `sort`), `POST /queue/decide` (a decision with one reason for the selected items; first a
 * confirmation, then each fitting item's own `review` event) and `POST /queue/assign` (assignee and/or
 * review deadline of the selected items). Both posts redirect back with what was done.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { visibleDepartments } from "../pages/case_data.ts";
import { ConfirmPage } from "../pages/confirm_page.tsx";
import { type Manifest, renderPage } from "../pages/layout.tsx";
import { DataConflictPage } from "../pages/data_conflict_page.tsx";
import { SupervisionQueuePage } from "../pages/supervision_queue_page.tsx";
import { clientIp } from "../security.ts";
import { explanationsFor } from "../cases/answers.ts";
import { actorLabel, actorOf, visibleRegions } from "../supervision/common.ts";
import { listOrders } from "../supervision/orders.ts";
import { parseResolveConflict, resolveDataConflict } from "../supervision/data_conflict_resolve.ts";
import { loadConflict } from "../supervision/data_conflict_view.ts";
import { formFields, okMessage, pageGuard, redirectOk } from "../supervision/page_kit.tsx";
import {
  actionFits,
  appealsFor,
  assignableSupervisors,
  assignQueueItems,
  decideQueueItems,
  listQueueItems,
  QUEUE_ACTIONS,
  type QueueAction,
  type QueueFilter,
} from "../supervision/queue.ts";
import { parseQueueFilter } from "../supervision/queue_input.ts";

/** The queue pages, to mount at `/`. */
export function queuePageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const page = pageGuard(deps);
  const { db } = deps.database;
  const ip = (c: Context<Env>) => clientIp(c, deps.security?.trustProxy ?? false);

  const render = async (
    c: Context<Env>,
    p: Principal,
    m: Parameters<typeof SupervisionQueuePage>[0]["manifest"],
    error?: string,
  ) => {
    let filter: QueueFilter = { sort: "oldest" };
    try {
      filter = parseQueueFilter(c.req.query(), p.name);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      error ??= `筛选条件有误：${err.message}`;
    }
    const [items, departments, regions, supervisors, active] = await Promise.all([
      listQueueItems(deps, db, p, filter),
      visibleDepartments(db, p),
      visibleRegions(db, p),
      assignableSupervisors(db, p),
      listOrders(db, p, { state: "active" }),
    ]);
    // Department explanations (情况说明) of the listed cases, shown beside the item they answer.
    const ids = items.map((i) => i.caseId);
    const [answers, appeals] = await Promise.all([explanationsFor(db, ids), appealsFor(db, ids)]);
    const orders = {
      replied: active.filter((o) => o.state === "replied").length,
      overdue: active.filter((o) => o.state === "overdue").length,
    };
    return c.html(
      renderPage(
        c,
        <SupervisionQueuePage
          items={items}
          answers={answers}
          appeals={appeals}
          filter={filter}
          departments={departments}
          regions={regions}
          supervisors={supervisors}
          me={p.name}
          orders={orders}
          csrf={p.session?.csrfToken ?? null}
          manifest={m}
          ok={error ? undefined : okMessage(c)}
          error={error}
        />,
      ),
      error ? 400 : 200,
    );
  };

  app.get("/queue", page("cases:decide", (c, p, m) => render(c, p, m)));

  const selected = (
    all: (k: string) => string[],
  ) => [...new Set(all("items").filter((v) => /^[1-9]\d{0,15}$/.test(v)).map(Number))];

  app.post(
    "/queue/decide",
    page("cases:decide", async (c, p, m) => {
      const { text, all } = await formFields(c);
      const ids = selected(all);
      const action = text("action") as QueueAction | undefined;
      const reason = text("reason")?.trim() ?? "";
      try {
        if (ids.length === 0) throw new ValidationError("items: 请至少选择一项 (select at least one item)");
        if (!action || !(action in QUEUE_ACTIONS)) {
          throw new ValidationError("action: 请选择处理方式 (unknown action)");
        }
        if (reason === "") throw new ValidationError("reason: 请填写理由 (a reason is required)");
        if (reason.length > 2000) throw new ValidationError("reason: 不能超过 2000 个字符 (too long)");
        if (text("confirmed") !== "1") {
          const items = (await listQueueItems(deps, db, p)).filter((i) => ids.includes(i.id));
          if (items.length !== ids.length) throw new NotFoundError("没有此人工监察事项 (no such queue item)");
          const fits = items.filter((i) => actionFits(action, i.kind));
          const lines: [string, string][] = [
            ["处理", QUEUE_ACTIONS[action].label],
            ["理由", reason],
            ["作用于", fits.map((i) => `${i.caseId}（${i.rule}）`).join("、") || "无"],
          ];
          if (fits.length < ids.length) lines.push(["不适用，保持不变", `${ids.length - fits.length} 项`]);
          return c.html(renderPage(
            c,
            <ConfirmPage
              title={`人工监察处理（${fits.length} 项）`}
              lines={lines}
              action="/queue/decide"
              fields={{ items: ids.map(String), action, reason }}
              actor={actorLabel(actorOf(p))}
              back="/queue"
              csrf={p.session?.csrfToken ?? null}
              manifest={m}
              submit="确认处理"
            />,
          ));
        }
        const report = await decideQueueItems(deps, p, ids, action, reason, ip(c));
        const applied = report.decided.filter((d) => d.applied).length;
        let msg = `已处理 ${report.decided.length} 项（${QUEUE_ACTIONS[action].label}），记录人 ${
          actorLabel(actorOf(p))
        }`;
        if (applied < report.decided.length) msg += `；其中 ${report.decided.length - applied} 项未生效`;
        if (report.skipped.length) msg += `；${report.skipped.length} 项不适用，保持不变`;
        return redirectOk(c, "/queue", msg);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await render(c, p, m, `未处理：${err.message}`);
      }
    }),
  );

  app.post(
    "/queue/assign",
    page("cases:decide", async (c, p, m) => {
      const { text, all } = await formFields(c);
      const ids = selected(all);
      const assignee = text("assignee") ?? null;
      const dueOn = text("dueOn") ?? null;
      try {
        if (!assignee && !dueOn) {
          throw new ValidationError("assignee: 请选择承办人或审核期限 (give an assignee or a deadline)");
        }
        if (dueOn && !/^\d{4}-\d{2}-\d{2}$/.test(dueOn)) {
          throw new ValidationError("dueOn: 日期格式应为 YYYY-MM-DD");
        }
        const n = await assignQueueItems(deps, db, p, ids, { assignee, dueOn }, ip(c));
        return redirectOk(c, "/queue", `已更新 ${n} 项的承办人/审核期限`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await render(c, p, m, `未分配：${err.message}`);
      }
    }),
  );
  const conflictPage = async (c: Context<Env>, p: Principal, m: Manifest, caseId: string, error?: string) =>
    c.html(
      renderPage(
        c,
        <DataConflictPage
          conflict={await loadConflict(db, p, caseId)}
          csrf={p.session?.csrfToken ?? null}
          manifest={m}
          error={error}
        />,
      ),
      error ? 400 : 200,
    );
  app.get(
    "/queue/conflicts/:case",
    page("cases:decide", (c, p, m) => conflictPage(c, p, m, c.req.param("case") ?? "")),
  );
  app.post(
    "/queue/conflicts/:case/resolve",
    page("cases:decide", async (c, p, m) => {
      const caseId = c.req.param("case") ?? "";
      const { text } = await formFields(c);
      const back = `/queue/conflicts/${encodeURIComponent(caseId)}`;
      try {
        const input = parseResolveConflict({ sender: text("sender"), reason: text("reason") ?? "" });
        const conflict = await loadConflict(db, p, caseId);
        const winner = conflict.claimants.find((k) => k.sender === input.sender);
        if (!winner) {
          throw new ValidationError(`sender: ${input.sender} 未报送此办件的受理信息 (not a claimant)`);
        }
        if (text("confirmed") !== "1") {
          const others = conflict.claimants.filter((k) => k !== winner);
          return c.html(renderPage(
            c,
            <ConfirmPage
              title={`裁定数据冲突 ${caseId}`}
              lines={[
                ["办件编号", caseId],
                [
                  "合法报送方",
                  `${winner.sender}（${winner.departments.map((d) => d.name ?? d.code).join("、")}）`,
                ],
                ["放行其暂存数据", `${winner.held} 条`],
                ["继续暂存", others.map((k) => `${k.sender} 的 ${k.events} 条`).join("、") || "无"],
                ["理由", input.reason],
              ]}
              action={`${back}/resolve`}
              fields={{ sender: input.sender, reason: input.reason }}
              actor={actorLabel(actorOf(p))}
              back={back}
              csrf={p.session?.csrfToken ?? null}
              manifest={m}
              submit="确认裁定"
            />,
          ));
        }
        const r = await resolveDataConflict(deps, p, caseId, input, ip(c));
        return redirectOk(
          c,
          "/queue",
          `已裁定 ${caseId} 属于报送方 ${r.sender}：放行 ${r.released} 条，暂存其他报送方 ${r.held} 条，记录人 ${
            actorLabel(actorOf(p))
          }`,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await conflictPage(c, p, m, caseId, `未裁定：${err.message}`);
      }
    }),
  );
  return app;
}
