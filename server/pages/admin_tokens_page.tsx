/**
 * Display tokens (`/admin/display-tokens`), by hall: the wall screens' read-only access. Creating one
 * answers, this once, with the complete address to open on the unattended screen.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import type { DisplayTokenRow } from "../auth/display_tokens.ts";
import { AdminShell, type Banner, CodeField, type FieldErrors, when } from "./admin_shell.tsx";
import { CreateCredentialForm, CredentialCells, NewSecret } from "./admin_credentials.tsx";

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

/** The display tokens page. */
export function TokensPage(
  { tokens, halls, now, csrf, manifest, banner, created, form, errors }: TokensPageProps,
) {
  const codes = [...new Set([...halls.map((h) => h.code), ...tokens.map((t) => t.hall)])];
  const hallName = (code: string) => halls.find((h) => h.code === code)?.name ?? code;
  return (
    <AdminShell title="大屏令牌" section="/admin/display-tokens" manifest={manifest} banner={banner}>
      {created && (
        <NewSecret title="大屏访问地址（仅显示一次）" secret={created.url}>
          <p>
            {hallName(created.hall)}的显示屏令牌「{created
              .name}」已创建。请在该大厅无人值守的显示屏浏览器中打开下面的地址：
            <b>
              关闭或刷新本页后将无法再次查看
            </b>。地址只能查看本大厅的大屏，不能查看办件详情；如泄露请立即吊销。
          </p>
        </NewSecret>
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
                      <CredentialCells
                        credential={t}
                        now={now}
                        action={`/admin/display-tokens/${encodeURIComponent(t.id)}/revoke`}
                        csrf={csrf}
                      />
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        );
      })}

      <h2>新建大屏令牌</h2>
      <CreateCredentialForm
        id="create-token"
        action="/admin/display-tokens"
        csrf={csrf}
        labels={TOKEN_LABELS}
        errors={errors}
        form={form}
        nameHint="例如：一楼大厅东侧大屏"
        expiresHint="可不填（长期有效，直到吊销）"
        submit="创建令牌"
      >
        <CodeField
          label={TOKEN_LABELS.hall}
          name="hall"
          errors={errors}
          options={halls}
          chosen={[form?.hall]}
          empty="（请选择）"
          required
        />
      </CreateCredentialForm>
    </AdminShell>
  );
}
