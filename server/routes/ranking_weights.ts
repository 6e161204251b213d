/**
 * The ranking score's weights (RULES.md §5), `rankings:configure` (administrators):
 *
 * - `GET /admin/ranking-weights` — the weights in force, who set them and when, the formula.
 * - `PUT /admin/ranking-weights` — set all of them (`onTime`, `satisfaction`, `red`, `warnings`,
 *   `abnormal` adding up to 100; `redCap`, `warningsCap`, `abnormalCap` > 0); audited; applied to every
 *   month's figures from then on. A bad body answers 400 naming the field.
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import { requirePermission } from "../auth/middleware.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import { formulaText } from "../reports/score.ts";
import { loadWeights, saveWeights, type WeightsInForce } from "../reports/weights_store.ts";
import { actorOf } from "./admin.ts";
import { describe } from "../openapi/describe.ts";
import { reportDocs } from "../openapi/docs/reports.ts";

const body = (w: WeightsInForce) => ({ ...w, formula: formulaText(w.weights) });

/** The weights routes, to mount under `/api/v1`. */
export function rankingWeightRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const { db } = deps.database;
  app.use("/admin/ranking-weights", requirePermission("rankings:configure"));

  app.get(
    "/admin/ranking-weights",
    describe(reportDocs.weights),
    async (c) => c.json(body(await loadWeights(db))),
  );

  app.put("/admin/ranking-weights", describe(reportDocs.putWeights), async (c) => {
    let raw: unknown;
    try {
      raw = await c.req.json();
    } catch {
      throw new ValidationError("body: 不是有效的 JSON (not valid JSON)", { field: "body" });
    }
    const { principal: p, ip } = actorOf(c, deps);
    const saved = await saveWeights(db, { name: p.name, role: p.role, ip }, raw, new Date(deps.clock()));
    return c.json(body(saved));
  });

  return app;
}
