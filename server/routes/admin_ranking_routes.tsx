/**
 * The ranking weights page (`/admin/rankings`, `rankings:configure`): shows the weights in force and
 * saves new ones through the same function as the API (server/reports/weights_store.ts, audited).
 *
 * @module
 */
import type { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import { errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { RankingWeightsPage, WEIGHT_KEYS } from "../pages/admin_rankings_page.tsx";
import { WEIGHT_LABELS } from "../reports/score.ts";
import { loadWeights, saveWeights } from "../reports/weights_store.ts";
import { actorOf } from "./admin.ts";
import type { AdminPageKit } from "./admin_page_kit.tsx";

/** Register the weights page. */
export function adminRankingRoutes(app: Hono<Env>, kit: AdminPageKit, deps: AppDeps): void {
  const { page, csrf, html, form, manifest, db } = kit;

  app.get(
    "/admin/rankings",
    page("rankings:configure", async (c, p) => {
      const [inForce, m] = await Promise.all([loadWeights(db), manifest()]);
      const banner = c.req.query("saved")
        ? { tone: "ok" as const, text: "权重已保存，所有月份的排名即按新权重计算。" }
        : undefined;
      return html(c, <RankingWeightsPage inForce={inForce} csrf={csrf(p)} manifest={m} banner={banner} />);
    }),
  );

  app.post(
    "/admin/rankings",
    page("rankings:configure", async (c, p) => {
      const f = await form(c);
      const values = Object.fromEntries(WEIGHT_KEYS.map((k) => [k, f.text(k) ?? ""]));
      const errors: FieldErrors = {};
      const numbers: Record<string, number> = {};
      for (const k of WEIGHT_KEYS) {
        const v = values[k];
        if (v === "" || !Number.isFinite(Number(v))) errors[k] = "必须是数字";
        else numbers[k] = Number(v);
      }
      if (Object.keys(errors).length === 0) {
        try {
          const { principal, ip } = actorOf(c, deps);
          await saveWeights(
            db,
            { name: principal.name, role: principal.role, ip },
            numbers,
            new Date(deps.clock()),
          );
          return c.redirect("/admin/rankings?saved=1", 303);
        } catch (err) {
          if (!(err instanceof ValidationError)) throw err;
          const d = err.details as { issues?: { field: string; message: string }[] } | undefined;
          for (const i of d?.issues ?? []) errors[i.field || "onTime"] ??= i.message;
        }
      }
      const [inForce, m] = await Promise.all([loadWeights(db), manifest()]);
      return html(
        c,
        <RankingWeightsPage
          inForce={inForce}
          csrf={csrf(p)}
          manifest={m}
          banner={errorBanner("权重", errors, WEIGHT_LABELS)}
          form={values}
          errors={errors}
        />,
        400,
      );
    }),
  );
}
