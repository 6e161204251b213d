/**
 * API keys (`/admin/keys`): every key with its owner, label, creation, last use and revocation; the
 * form that creates one; and, only in the answer to that form, the new key itself.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { KEY_ROLES, type PublicApiKey } from "../auth/api_keys.ts";
import { ROLE_NAMES } from "../auth/roles.ts";
import type { PublicUser } from "../auth/users.ts";
import { AdminShell, type Banner, Field, type FieldErrors, when } from "./admin_shell.tsx";
import { CreateCredentialForm, CredentialCells, NewSecret } from "./admin_credentials.tsx";

/** Field labels of the key form. */
export const KEY_LABELS: Record<string, string> = {
  userId: "所属账户",
  name: "用途说明",
  expiresAt: "有效期至",
};

/** Props of {@linkcode KeysPage}. */
export interface KeysPageProps {
  keys: PublicApiKey[];
  users: PublicUser[];
  /** The current instant (to tell expired keys). */
  now: number;
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  /** The key just created: shown this once. */
  created?: { key: string; prefix: string; owner: string; name: string };
  form?: { userId?: string; name?: string; expiresAt?: string };
  errors?: FieldErrors;
}

/** The keys page. */
export function KeysPage(
  { keys, users, now, csrf, manifest, banner, created, form, errors }: KeysPageProps,
) {
  const byId = new Map(users.map((u) => [u.id, u]));
  // Keys are only for machine accounts: people log in with a password, wall screens use display tokens.
  const owners = users.filter((u) => u.active && (KEY_ROLES as readonly string[]).includes(u.role));
  return (
    <AdminShell title="接入密钥" section="/admin/keys" manifest={manifest} banner={banner}>
      {created && (
        <NewSecret
          title="新密钥（仅显示一次）"
          secret={created.key}
          usage="使用方式：请求头 Authorization: Bearer <密钥>"
        >
          <p>
            账户 <b>{created.owner}</b> 的密钥「{created.name}」已创建。请立即复制并交给接入方妥善保存：
            <b>关闭或刷新本页后将无法再次查看</b>，系统只保存其摘要。遗失后只能吊销并重新创建。
          </p>
        </NewSecret>
      )}
      <table class="admin-table" id="keys">
        <thead>
          <tr>
            <th>前缀</th>
            <th>所属账户</th>
            <th>用途说明</th>
            <th>创建</th>
            <th>最近使用</th>
            <th>状态</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {keys.length === 0 && (
            <tr>
              <td colSpan={7} class="empty">尚无密钥</td>
            </tr>
          )}
          {keys.map((k) => {
            const owner = byId.get(k.userId);
            return (
              <tr data-key={k.id} class={k.revokedAt ? "inactive" : undefined}>
                <td class="mono">{k.prefix}…</td>
                <td>
                  {owner
                    ? `${owner.displayName}（${owner.username}，${ROLE_NAMES[owner.role as never]}）`
                    : k.userId}
                </td>
                <td>{k.name}</td>
                <td>{when(k.createdAt)}（{k.createdBy}）</td>
                <td>{when(k.lastUsedAt)}</td>
                <CredentialCells
                  credential={k}
                  now={now}
                  action={`/admin/keys/${encodeURIComponent(k.id)}/revoke`}
                  csrf={csrf}
                />
              </tr>
            );
          })}
        </tbody>
      </table>

      <h2>新建密钥</h2>
      <CreateCredentialForm
        id="create-key"
        action="/admin/keys"
        csrf={csrf}
        labels={KEY_LABELS}
        errors={errors}
        form={form}
        nameHint="例如：郑州市市场监管局审批系统"
        expiresHint="可选：到期日当天 24 时（北京时间）后密钥失效；留空则长期有效，直到吊销。"
        submit="创建密钥"
      >
        <Field
          label={KEY_LABELS.userId}
          name="userId"
          errors={errors}
          hint="只有数据接入账户可以持有密钥；人员账户用密码登录，大厅显示屏用显示令牌。"
        >
          <select id="f-userId" name="userId" required>
            <option value="">（请选择）</option>
            {owners.map((u) => (
              <option value={u.id} selected={form?.userId === u.id}>
                {u.displayName}（{u.username}，{ROLE_NAMES[u.role as never]}）
              </option>
            ))}
          </select>
        </Field>
      </CreateCredentialForm>
    </AdminShell>
  );
}
