/**
 * The confirmation step of every decision form (RULES.md §6 decisions, orders, spot checks' orders,
 * the portal's retries): the first post shows what will be recorded and under whose name; only the
 * second post, with `confirmed=1`, records it. No script needed.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode ConfirmPage}. */
export interface ConfirmPageProps {
  title: string;
  /** What will be recorded, as label–value lines. */
  lines: [string, string][];
  /** Where the confirmed form posts. */
  action: string;
  /** The form's fields, posted again (repeated fields as arrays). */
  fields: Record<string, string | string[] | undefined>;
  /** Who will be recorded as deciding. */
  actor: string;
  back: string;
  csrf: string | null;
  manifest: Manifest;
  submit?: string;
}

/** "Please confirm": the decision's summary and the confirming form. */
export function ConfirmPage(props: ConfirmPageProps) {
  const hidden = Object.entries(props.fields).flatMap(([k, v]) =>
    v === undefined
      ? []
      : (Array.isArray(v) ? v : [v]).map((x, i) => (
        <input key={`${k}-${i}`} type="hidden" name={k} value={x} />
      ))
  );
  return (
    <Layout title={`请确认 · ${props.title} · ${PRODUCT_NAME}`} manifest={props.manifest}>
      <main class="case-page supervision">
        <h1>请确认：{props.title}</h1>
        <div class="confirm-box" role="alertdialog" aria-labelledby="confirm-title">
          <p id="confirm-title">
            以下内容将以 <strong>{props.actor}</strong> 的名义记录，记录后不可删除：
          </p>
          <dl class="facts">
            {props.lines.map(([k, v]) => (
              <>
                <dt>{k}</dt>
                <dd>{v}</dd>
              </>
            ))}
          </dl>
          <form method="post" action={props.action} class="actions" id="confirm-form">
            {props.csrf && <input type="hidden" name={CSRF_FIELD} value={props.csrf} />}
            {hidden}
            <input type="hidden" name="confirmed" value="1" />
            <button type="submit" class="primary">{props.submit ?? "确认"}</button>
            <a href={props.back}>取消，返回</a>
          </form>
        </div>
      </main>
    </Layout>
  );
}
