/**
 * Supervision orders over the API (督办, RULES.md §5): `POST /orders` issues one (on an alert, or on a
 * spot-check result), `GET /orders` lists those in scope (`?state=&department=&case=`),
 * `GET /orders/:id` answers one with its steps, `POST /orders/:id/reply` (the department),
 * `/accept` and `/return` (the supervisor) move it on.
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { clientIp } from "../security.ts";
import { describe } from "../openapi/describe.ts";
import { orderDocs } from "../openapi/docs/orders.ts";
import { idParam, jsonBody } from "../supervision/common.ts";
import {
  acceptOrder,
  issueOrder,
  listOrders,
  loadOrder,
  replyOrder,
  returnOrder,
} from "../supervision/orders.ts";

const notFound = () => new NotFoundError("没有此督办 (no such order)");
const STATES = ["open", "replied", "overdue", "closed", "active"];

/** The order routes, to mount under `/api/v1`. */
export function orderRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.security?.trustProxy ?? false);
  app.use("/orders", requirePermission("orders:read"));
  app.use("/orders/*", requirePermission("orders:read"));

  app.post("/orders", describe(orderDocs.issue), requirePermission("cases:decide"), async (c) => {
    return c.json(await issueOrder(deps, db, requirePrincipal(c), await jsonBody(c.req), ip(c)), 201);
  });
  app.get("/orders", describe(orderDocs.list), async (c) => {
    const q = c.req.query();
    if (q.state && !STATES.includes(q.state)) {
      throw new ValidationError(`state: 应为 ${STATES.join(" | ")} (unknown state)`, { field: "state" });
    }
    const filter = {
      state: q.state || undefined,
      department: q.department || undefined,
      case: q.case || undefined,
    };
    return c.json(await listOrders(db, requirePrincipal(c), filter));
  });
  app.get("/orders/:id", describe(orderDocs.get), async (c) => {
    return c.json(await loadOrder(db, requirePrincipal(c), idParam(c.req.param("id"), notFound)));
  });
  app.post("/orders/:id/reply", describe(orderDocs.reply), requirePermission("orders:reply"), async (c) => {
    const id = idParam(c.req.param("id"), notFound);
    return c.json(await replyOrder(deps, db, requirePrincipal(c), id, await jsonBody(c.req), ip(c)));
  });
  app.post("/orders/:id/accept", describe(orderDocs.accept), requirePermission("cases:decide"), async (c) => {
    const id = idParam(c.req.param("id"), notFound);
    // The remark is optional: an empty body accepts without one.
    const text = await c.req.text();
    const body = text.trim() === "" ? {} : await jsonBody({ json: () => Promise.resolve(JSON.parse(text)) });
    return c.json(await acceptOrder(deps, db, requirePrincipal(c), id, body, ip(c)));
  });
  app.post("/orders/:id/return", describe(orderDocs.return), requirePermission("cases:decide"), async (c) => {
    const id = idParam(c.req.param("id"), notFound);
    return c.json(await returnOrder(deps, db, requirePrincipal(c), id, await jsonBody(c.req), ip(c)));
  });
  return app;
}
