/**
 * The manual supervision queue over the API, for supervisors (province, region): `GET /queue` (the
 * page's filters and sort, each item with its assignee, review deadline and overdue flag, and the
 * explanations and appeals that answer it), `POST /queue/decide` (one decision, one reason, for the
 * selected items), `POST /queue/assign` (assignee and/or review deadline) and
 * `POST /queue/data-conflicts/:case/resolve` (the rightful sender of a case two senders claim).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { explanationsFor } from "../cases/answers.ts";
import type { AppDeps } from "../deps.ts";
import { queueDocs } from "../openapi/docs/queue.ts";
import { describe } from "../openapi/describe.ts";
import { clientIp } from "../security.ts";
import { shanghaiInstant } from "../../rules/dates.ts";
import { ruleName } from "../../rules/names.ts";
import { jsonBody, parseInput } from "../supervision/common.ts";
import { parseResolveConflict, resolveDataConflict } from "../supervision/data_conflict_resolve.ts";
import {
  answersOf,
  appealsFor,
  assignQueueItems,
  decideQueueItems,
  listQueueItems,
} from "../supervision/queue.ts";
import { AssignInput, DecideInput, parseQueueFilter } from "../supervision/queue_input.ts";

/** The queue routes, to mount under `/api/v1`. */
export function queueRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  const ip = (c: Parameters<typeof clientIp>[0]) => clientIp(c, deps.security?.trustProxy ?? false);
  // The queue has the queue page's audience: supervisors (province, region), never department staff.
  app.use("/queue", requirePermission("cases:decide"));
  app.use("/queue/*", requirePermission("cases:decide"));

  app.get("/queue", describe(queueDocs.list), async (c) => {
    const p = requirePrincipal(c);
    const items = await listQueueItems(deps, db, p, parseQueueFilter(c.req.query(), p.name));
    const ids = items.map((i) => i.caseId);
    const [explanations, appeals] = await Promise.all([explanationsFor(db, ids), appealsFor(db, ids)]);
    return c.json(items.map(({ caseId, openedAt, ...i }) => {
      const a = answersOf({ caseId, ...i }, explanations, appeals);
      return {
        ...i,
        case: caseId,
        name: i.rule ? ruleName(i.rule) : "数据冲突",
        openedAt: shanghaiInstant(openedAt),
        explanations: a.explanations.map((e) => ({
          text: e.text,
          by: e.by,
          byName: e.byName,
          at: shanghaiInstant(e.at.getTime()),
        })),
        appeals: a.appeals.map(({ text, by, at }) => ({ text, by, at })),
      };
    }));
  });

  app.post("/queue/decide", describe(queueDocs.decide), async (c) => {
    const input = parseInput(DecideInput, await jsonBody(c.req));
    const p = requirePrincipal(c);
    return c.json(await decideQueueItems(deps, p, input.items, input.action, input.reason, ip(c)));
  });

  app.post("/queue/assign", describe(queueDocs.assign), async (c) => {
    const input = parseInput(AssignInput, await jsonBody(c.req));
    const updated = await assignQueueItems(deps, db, requirePrincipal(c), input.items, input, ip(c));
    return c.json({ updated });
  });

  app.post("/queue/data-conflicts/:case/resolve", describe(queueDocs.resolve), async (c) => {
    const input = parseResolveConflict(await jsonBody(c.req));
    return c.json(await resolveDataConflict(deps, requirePrincipal(c), c.req.param("case"), input, ip(c)));
  });
  return app;
}
