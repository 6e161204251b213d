/**
 * The supervision order pages: `GET /orders` (list), `GET /orders/new` (issuing form for an alert or a
 * spot-check result), `POST /orders` (issue), `GET /orders/:id`, and the forms `POST /orders/:id/reply`
 * (department), `/accept` and `/return` (supervisor). Each post shows a confirmation first and records
 * only the confirmed second post, then redirects with a success message.
 *
 * @module
 */
import { type Context, Hono } from "hono";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import { roleCan } from "../auth/roles.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { visibleDepartments } from "../pages/case_data.ts";
import { ConfirmPage } from "../pages/confirm_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { NewOrderPage, OrderListPage, OrderPage, orderWhat } from "../pages/order_pages.tsx";
import { clientIp } from "../security.ts";
import { actorLabel, actorOf, idParam, parseInput } from "../supervision/common.ts";
import {
  acceptOrder,
  issueOrder,
  listOrders,
  loadOrder,
  OrderInput,
  overdueOrdersByDepartment,
  ReplyInput,
  replyOrder,
  ReturnInput,
  returnOrder,
} from "../supervision/orders.ts";
import { formFields, okMessage, pageGuard, redirectOk } from "../supervision/page_kit.tsx";
import type { Manifest } from "../pages/layout.tsx";

const notFound = () => new NotFoundError("没有此督办 (no such order)");
const TARGET_KEYS = ["case", "rule", "level", "on", "subject", "spotCheck"] as const;

/** The order pages, to mount at `/`. */
export function orderPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const page = pageGuard(deps);
  const { db } = deps.database;
  const ip = (c: Context<Env>) => clientIp(c, deps.security?.trustProxy ?? false);
  const csrf = (p: Principal) => p.session?.csrfToken ?? null;
  const html = (c: Context<Env>, node: preact.VNode, status: 200 | 400 = 200) =>
    c.html(renderPage(c, node), status);

  app.get(
    "/orders",
    page("orders:read", async (c, p, m) => {
      const q = c.req.query();
      const filter = { state: q.state ?? "active", department: q.department || undefined };
      const [orders, departments] = await Promise.all([
        listOrders(db, p, { state: filter.state || undefined, department: filter.department }),
        visibleDepartments(db, p),
      ]);
      let overdue = null;
      if (roleCan(p.role, "cases:decide")) {
        const counts = await overdueOrdersByDepartment(db, { departments: departments.map((d) => d.code) });
        overdue = departments.filter((d) => counts.has(d.code)).map((d) => ({
          department: d.code,
          name: d.name,
          count: counts.get(d.code)!,
        }));
      }
      return html(
        c,
        <OrderListPage
          orders={orders}
          filter={filter}
          departments={departments}
          overdueByDepartment={overdue}
          isDepartment={p.role === "department"}
          manifest={m}
          ok={okMessage(c)}
        />,
      );
    }),
  );

  const newForm = (
    c: Context<Env>,
    p: Principal,
    m: Manifest,
    target: Record<string, string>,
    extra: { text?: string; days?: string; error?: string } = {},
  ) => {
    const what = target.spotCheck
      ? `随机抽查第 ${target.spotCheck} 号不合格结果（办件 ${target.case}）`
      : `办件 ${target.case} 的 ${target.rule} ${target.level === "red" ? "红牌" : "预警"}（${target.on}${
        target.subject ? `，${target.subject}` : ""
      }）`;
    return html(
      c,
      <NewOrderPage
        target={target}
        what={what}
        text={extra.text ?? ""}
        days={extra.days ?? "5"}
        csrf={csrf(p)}
        manifest={m}
        error={extra.error}
      />,
      extra.error ? 400 : 200,
    );
  };

  app.get(
    "/orders/new",
    page("cases:decide", (c, p, m) => {
      const q = c.req.query();
      const target = Object.fromEntries(TARGET_KEYS.flatMap((k) => (q[k] ? [[k, q[k]]] : [])));
      if (!target.case) throw new ValidationError("case: 必填 (required)");
      return newForm(c, p, m, target);
    }),
  );

  app.post(
    "/orders",
    page("cases:decide", async (c, p, m) => {
      const { text } = await formFields(c);
      const target = Object.fromEntries(TARGET_KEYS.flatMap((k) => (text(k) ? [[k, text(k)!]] : [])));
      const days = text("days");
      const raw = {
        ...target,
        spotCheck: target.spotCheck === undefined ? undefined : Number(target.spotCheck),
        days: days === undefined ? undefined : Number(days),
        text: text("text") ?? "",
      };
      try {
        const input = parseInput(OrderInput, raw);
        if (text("confirmed") !== "1") {
          const lines: [string, string][] = [
            ["办件", input.case],
            [
              "督办事由",
              target.spotCheck
                ? `随机抽查第 ${target.spotCheck} 号不合格`
                : `${input.rule} ${input.level === "red" ? "红牌" : "预警"}（${input.on}）`,
            ],
            ["反馈期限", `${input.days ?? 5} 个工作日`],
            ["督办要求", input.text],
          ];
          return html(
            c,
            <ConfirmPage
              title="下达督办"
              lines={lines}
              action="/orders"
              fields={{ ...target, days, text: input.text }}
              actor={actorLabel(actorOf(p))}
              back={`/cases/${encodeURIComponent(input.case)}`}
              csrf={csrf(p)}
              manifest={m}
              submit="确认下达"
            />,
          );
        }
        const o = await issueOrder(deps, db, p, raw, ip(c));
        return redirectOk(
          c,
          `/orders/${o.id}`,
          `已下达督办第 ${o.id} 号，反馈期限 ${o.dueOn}，记录人 ${actorLabel(actorOf(p))}`,
        );
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return newForm(c, p, m, target, { text: raw.text, days, error: `未下达：${err.message}` });
      }
    }),
  );

  const orderPage = async (c: Context<Env>, p: Principal, m: Manifest, error?: string) => {
    const o = await loadOrder(db, p, idParam(c.req.param("id"), notFound));
    return html(
      c,
      <OrderPage
        order={o}
        canReply={roleCan(p.role, "orders:reply")}
        canDecide={roleCan(p.role, "cases:decide")}
        csrf={csrf(p)}
        manifest={m}
        ok={error ? undefined : okMessage(c)}
        error={error}
      />,
      error ? 400 : 200,
    );
  };

  app.get("/orders/:id", page("orders:read", (c, p, m) => orderPage(c, p, m)));

  /** A step form: validate, confirm, record, redirect. */
  const stepForm = (
    permission: "orders:reply" | "cases:decide",
    title: string,
    schema: typeof ReplyInput | typeof ReturnInput | null,
    record: (
      p: Principal,
      id: number,
      raw: Record<string, unknown>,
      ip: string | null,
    ) => Promise<{ id: number; dueOn: string }>,
    done: (o: { id: number; dueOn: string }) => string,
  ) =>
    page(permission, async (c, p, m) => {
      const id = idParam(c.req.param("id"), notFound);
      const { text } = await formFields(c);
      const days = text("days");
      const raw: Record<string, unknown> = { text: text("text") };
      if (raw.text === undefined && schema === null) delete raw.text;
      if (days !== undefined && title === "退回重办") raw.days = Number(days);
      try {
        if (schema) parseInput(schema, raw);
        const o = await loadOrder(db, p, id);
        if (text("confirmed") !== "1") {
          const lines: [string, string][] = [["督办", `第 ${o.id} 号 · 办件 ${o.case}`], [
            "事由",
            orderWhat(o),
          ]];
          if (raw.text) lines.push([title === "反馈整改情况" ? "整改情况" : "意见", String(raw.text)]);
          if (raw.days) lines.push(["新的反馈期限", `${raw.days} 个工作日`]);
          return html(
            c,
            <ConfirmPage
              title={title}
              lines={lines}
              action={c.req.path}
              fields={{ text: raw.text as string | undefined, days }}
              actor={actorLabel(actorOf(p))}
              back={`/orders/${id}`}
              csrf={csrf(p)}
              manifest={m}
              submit={`确认${title}`}
            />,
          );
        }
        const out = await record(p, id, raw, ip(c));
        return redirectOk(c, `/orders/${id}`, `${done(out)}，记录人 ${actorLabel(actorOf(p))}`);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        return await orderPage(c, p, m, `未保存：${err.message}`);
      }
    });

  app.post(
    "/orders/:id/reply",
    stepForm(
      "orders:reply",
      "反馈整改情况",
      ReplyInput,
      (p, id, raw, ip) => replyOrder(deps, db, p, id, raw, ip),
      () => "已提交整改反馈，等待监察机构验收",
    ),
  );
  app.post(
    "/orders/:id/accept",
    stepForm(
      "cases:decide",
      "验收办结",
      null,
      (p, id, raw, ip) => acceptOrder(deps, db, p, id, raw, ip),
      (o) => `督办第 ${o.id} 号已验收办结`,
    ),
  );
  app.post(
    "/orders/:id/return",
    stepForm(
      "cases:decide",
      "退回重办",
      ReturnInput,
      (p, id, raw, ip) => returnOrder(deps, db, p, id, raw, ip),
      (o) => `已退回，新的反馈期限 ${o.dueOn}`,
    ),
  );

  return app;
}
