/**
 * Display tokens (`/admin/display-tokens`), by hall: the wall screens' read-only access. Creating one
 * answers, this once, with the complete address to open on the unattended screen.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import type { DisplayTokenRow } from "../auth/display_tokens.ts";
import { AdminShell, type Banner, Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** Field labels of the token form. */
export const TOKEN_LABELS: Record<string, string> = {
  hall: "大厅",
  name: "显示屏说明",
  expiresAt: "有效期至",
};

/** A token as the list shows it. */
export type ListedToken = Omit<DisplayTokenRow, "tokenHash">;

/** Props of {@linkcode TokensPage}. */
export interface TokensPageProps {
  tokens: ListedToken[];
  halls: { code: string; name: string }[];
  now: number;
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  /** The token just created, as the screen's full address: shown this once. */
  created?: { url: string; hall: string; name: string };
  form?: { hall?: string; name?: string; expiresAt?: string };
  errors?: FieldErrors;
}

function state(t: ListedToken, now: number) {
  if (t.revokedAt) return <span class="muted">已吊销 {when(t.revokedAt)}</span>;
  if (t.expiresAt && t.expiresAt.getTime() <= now) return <span class="muted">已过期</span>;
  return <>有效{t.expiresAt ? `（至 ${when(t.expiresAt)}）` : ""}</>;
}

/** The display tokens page. */
export function TokensPage(
  { tokens, halls, now, csrf, manifest, banner, created, form, errors }: TokensPageProps,
) {
  const codes = [...new Set([...halls.map((h) => h.code), ...tokens.map((t) => t.hall)])];
  const hallName = (code: string) => halls.find((h) => h.code === code)?.name ?? code;
  return (
    <AdminShell title="大屏令牌" section="/admin/display-tokens" manifest={manifest} banner={banner}>
      {created && (
        <section class="admin-secret" id="new-secret">
          <h2>大屏访问地址（仅显示一次）</h2>
          <p>
            {hallName(created.hall)}的显示屏令牌「{created
              .name}」已创建。请在该大厅无人值守的显示屏浏览器中打开下面的地址：
            <b>
              关闭或刷新本页后将无法再次查看
            </b>。地址只能查看本大厅的大屏，不能查看办件详情；如泄露请立即吊销。
          </p>
          <code class="admin-secret-value">{created.url}</code>
        </section>
      )}
      {codes.map((code) => {
        const list = tokens.filter((t) => t.hall === code);
        return (
          <section class="admin-hall" data-hall={code}>
            <h2>
              {hallName(code)} <span class="muted mono">{code}</span>
            </h2>
            {list.length === 0 ? <p class="empty">尚无令牌</p> : (
              <table class="admin-table">
                <thead>
                  <tr>
                    <th>前缀</th>
                    <th>显示屏说明</th>
                    <th>创建</th>
                    <th>状态</th>
                    <th></th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <tr data-token={t.id} class={t.revokedAt ? "inactive" : undefined}>
                      <td class="mono">{t.prefix}…</td>
                      <td>{t.name}</td>
                      <td>{when(t.createdAt)}（{t.createdBy}）</td>
                      <td>{state(t, now)}</td>
                      <td>
                        {!t.revokedAt && (
                          <form
                            method="post"
                            action={`/admin/display-tokens/${encodeURIComponent(t.id)}/revoke`}
                            class="inline"
                          >
                            <Csrf token={csrf} />
                            <button type="submit" class="danger">吊销</button>
                          </form>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}

      <h2>新建大屏令牌</h2>
      <form method="post" action="/admin/display-tokens" class="admin-form" id="create-token">
        <Csrf token={csrf} />
        <Field label={TOKEN_LABELS.hall} name="hall" errors={errors}>
          <select id="f-hall" name="hall" required>
            <option value="">（请选择）</option>
            {halls.map((h) => (
              <option value={h.code} selected={form?.hall === h.code}>{h.name}（{h.code}）</option>
            ))}
          </select>
        </Field>
        <Field label={TOKEN_LABELS.name} name="name" errors={errors} hint="例如：一楼大厅东侧大屏">
          <input id="f-name" name="name" required maxLength={100} value={form?.name ?? ""} />
        </Field>
        <Field
          label={TOKEN_LABELS.expiresAt}
          name="expiresAt"
          errors={errors}
          hint="可不填（长期有效，直到吊销）"
        >
          <input id="f-expiresAt" name="expiresAt" type="date" value={form?.expiresAt ?? ""} />
        </Field>
        <button type="submit">创建令牌</button>
      </form>
    </AdminShell>
  );
}
