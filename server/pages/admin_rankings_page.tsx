/**
 * The ranking weights page (`/admin/rankings`): the weights in force stated in words, who set them,
 * and a form for all eight values (five weights adding up to 100, three caps).
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { DEFAULT_WEIGHTS, formulaText, WEIGHT_LABELS, type Weights } from "../reports/score.ts";
import type { WeightsInForce } from "../reports/weights_store.ts";
import { AdminShell, type Banner, Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** Props of {@linkcode RankingWeightsPage}. */
export interface RankingWeightsPageProps {
  inForce: WeightsInForce;
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  /** The values typed, when a form is shown again. */
  form?: Record<string, string>;
  errors?: FieldErrors;
}

/** The weights' keys in form order. */
export const WEIGHT_KEYS = Object.keys(WEIGHT_LABELS) as (keyof Weights)[];

/** The page. */
export function RankingWeightsPage(
  { inForce, csrf, manifest, banner, form, errors }: RankingWeightsPageProps,
) {
  const w = inForce.weights;
  return (
    <AdminShell title="排名权重" section="/admin/rankings" manifest={manifest} banner={banner}>
      <section class="admin-section">
        <h2>现行权重</h2>
        <p class="weights-in-force" data-weights={JSON.stringify(w)}>{formulaText(w)}</p>
        <p class="muted">
          {inForce.setBy
            ? `由 ${inForce.setBy} 于 ${when(inForce.setAt)} 设置。`
            : "尚未调整，使用默认权重（RULES.md §5）。"}{" "}
          保存后，所有月份的排名（含以往月份）均按新权重计算；每次修改记入审计日志。
        </p>
      </section>
      <section class="admin-section">
        <h2>修改权重</h2>
        <form method="post" action="/admin/rankings" class="admin-form">
          <Csrf token={csrf} />
          {WEIGHT_KEYS.map((k) => (
            <Field
              key={k}
              label={WEIGHT_LABELS[k]}
              name={k}
              errors={errors}
              hint={`默认 ${DEFAULT_WEIGHTS[k]}`}
            >
              <input
                id={`f-${k}`}
                name={k}
                type="number"
                step="any"
                min="0"
                required
                value={form?.[k] ?? String(w[k])}
                aria-describedby={errors?.[k] ? `e-${k}` : undefined}
              />
            </Field>
          ))}
          <p class="admin-hint">五项权重之和须为 100；上限为每百件指标使该项得分降为 0 的数值，须大于 0。</p>
          <button type="submit">保存权重</button>
        </form>
      </section>
    </AdminShell>
  );
}
