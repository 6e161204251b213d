/**
 * The accounts page (`/admin/users`): every account with its role and scope by name, locked or
 * deactivated; and the form that creates one. The account page (`/admin/users/:id`) changes role,
 * scope and activity, or sets a new password.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { ROLE_NAMES, ROLES } from "../auth/roles.ts";
import { DEFAULT_SENDER_KIND, isSenderKind, SENDER_KIND_NAMES, SENDER_KINDS } from "../auth/sender_kinds.ts";
import type { PublicUser } from "../auth/users.ts";
import { AdminShell, type Banner, CodeField, Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** Reference data the scope selects offer: code → name. */
export interface ScopeChoices {
  departments: { code: string; name: string }[];
  regions: { code: string; name: string }[];
  halls: { code: string; name: string }[];
}

/** Field labels of the account forms (also used to name a field in error messages). */
export const USER_LABELS: Record<string, string> = {
  username: "用户名",
  displayName: "姓名/名称",
  role: "角色",
  password: "密码",
  confirm: "确认密码",
  departments: "部门",
  region: "地区",
  hall: "大厅",
  senderKind: "报送方类型",
  active: "状态",
};

/** What the account forms show: entered values after an error, else the account's. */
export interface UserFormValues {
  username?: string;
  displayName?: string;
  role?: string;
  departments?: string[];
  region?: string | null;
  hall?: string | null;
  senderKind?: string | null;
  active?: boolean;
}

const nameOf = (list: { code: string; name: string }[], code: string) =>
  list.find((r) => r.code === code)?.name ?? code;

/** The scope of an account in words: departments, region, hall by name. */
export function scopeText(u: Pick<PublicUser, "departments" | "region" | "hall">, c: ScopeChoices): string {
  const parts = [
    ...u.departments.map((d) => nameOf(c.departments, d)),
    ...(u.region ? [nameOf(c.regions, u.region)] : []),
    ...(u.hall ? [nameOf(c.halls, u.hall)] : []),
  ];
  return parts.length ? parts.join("、") : "全省（不限范围）";
}

/** The scope selects: several departments, or one region, or one hall, with the role each is for. */
const SCOPE_SELECTS = [
  {
    name: "departments",
    choice: "departments",
    hint: "部门工作人员必选；负责人、接入客户端选地区或部门（可多选）",
  },
  { name: "region", choice: "regions", hint: "市县监察机构必选" },
  { name: "hall", choice: "halls", hint: "大厅管理员必选" },
] as const;

/** Role and scope fields, shared by the create and the change form. */
function ScopeFields(
  { v, choices, errors }: { v: UserFormValues; choices: ScopeChoices; errors?: FieldErrors },
) {
  return (
    <>
      <Field label={USER_LABELS.role} name="role" errors={errors}>
        <select id="f-role" name="role" required>
          {ROLES.map((r) => <option key={r} value={r} selected={v.role === r}>{ROLE_NAMES[r]}</option>)}
        </select>
      </Field>
      {SCOPE_SELECTS.map(({ name, choice, hint }) => (
        <CodeField
          label={USER_LABELS[name]}
          name={name}
          errors={errors}
          hint={hint}
          options={choices[choice]}
          chosen={name === "departments" ? v.departments ?? [] : [v[name]]}
          multiple={name === "departments"}
          empty={name === "departments" ? undefined : "（无）"}
        />
      ))}
      <Field
        label={USER_LABELS.senderKind}
        name="senderKind"
        errors={errors}
        hint="仅数据接入客户端：部门系统报送办件过程和申诉，好差评平台报送全省评价（无需范围）"
      >
        <select id="f-senderKind" name="senderKind">
          {SENDER_KINDS.map((k) => (
            <option key={k} value={k} selected={(v.senderKind ?? DEFAULT_SENDER_KIND) === k}>
              {SENDER_KIND_NAMES[k]}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

/** What both account pages get: the scope choices, and a form's values and errors after a refused post. */
interface AccountFormPageProps {
  choices: ScopeChoices;
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  form?: UserFormValues;
  errors?: FieldErrors;
}

/** Props of {@linkcode UsersPage} (its form: the create form). */
export interface UsersPageProps extends AccountFormPageProps {
  users: PublicUser[];
  /** Usernames that some address must wait for after failed logins (server/auth/throttle.ts). */
  locked: Set<string>;
}

/** The list of accounts and the create form. */
export function UsersPage({ users, locked, choices, csrf, manifest, banner, form, errors }: UsersPageProps) {
  const v = form ?? { role: "department" };
  return (
    <AdminShell title="用户账户" section="/admin/users" manifest={manifest} banner={banner}>
      <table class="admin-table" id="users">
        <thead>
          <tr>
            <th>用户名</th>
            <th>姓名/名称</th>
            <th>角色</th>
            <th>范围</th>
            <th>状态</th>
            <th>更新时间</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr data-user={u.username} class={u.active ? undefined : "inactive"}>
              <td class="mono">{u.username}</td>
              <td>{u.displayName}</td>
              <td>{ROLE_NAMES[u.role as keyof typeof ROLE_NAMES] ?? u.role}</td>
              <td>{scopeText(u, choices)}</td>
              <td>
                {u.active ? <span class="tone-ok">启用</span> : <span class="muted">已停用</span>}
                {locked.has(u.username) && (
                  <span class="admin-tag tone-red" title="某来源地址多次输错密码，该地址的登录须等待">
                    登录受限
                  </span>
                )}
                {!u.hasPassword && <span class="admin-tag">无密码（仅密钥）</span>}
              </td>
              <td>{when(u.updatedAt)}</td>
              <td>
                <a href={`/admin/users/${encodeURIComponent(u.id)}`}>修改</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="create">新建账户</h2>
      <form method="post" action="/admin/users" class="admin-form" id="create-user">
        <Csrf token={csrf} />
        <Field label={USER_LABELS.username} name="username" errors={errors} hint="3–40 个小写字母、数字、_.-">
          <input id="f-username" name="username" required maxLength={40} value={v.username ?? ""} />
        </Field>
        <Field label={USER_LABELS.displayName} name="displayName" errors={errors}>
          <input id="f-displayName" name="displayName" required maxLength={60} value={v.displayName ?? ""} />
        </Field>
        <ScopeFields v={v} choices={choices} errors={errors} />
        <Field
          label={USER_LABELS.password}
          name="password"
          errors={errors}
          hint="初始密码至少 12 个字符；数据接入客户端可不设密码，只用密钥"
        >
          <input
            id="f-password"
            name="password"
            type="password"
            autocomplete="new-password"
            maxLength={200}
          />
        </Field>
        <button type="submit">创建账户</button>
      </form>
    </AdminShell>
  );
}

/** Props of {@linkcode UserPage} (its forms: the change and the password form). */
export interface UserPageProps extends AccountFormPageProps {
  user: PublicUser;
  locked: boolean;
  /** Which form the errors belong to. */
  failed?: "change" | "password";
}

/** One account: change role, scope and activity; set a new password. */
export function UserPage(
  { user, locked, choices, csrf, manifest, banner, form, errors, failed }: UserPageProps,
) {
  const v = failed === "change" && form ? form : user;
  const base = `/admin/users/${encodeURIComponent(user.id)}`;
  return (
    <AdminShell title={`账户 ${user.username}`} section="/admin/users" manifest={manifest} banner={banner}>
      <p>
        <a href="/admin/users">← 全部账户</a>
      </p>
      <dl class="admin-facts">
        <dt>用户名</dt>
        <dd class="mono">{user.username}</dd>
        <dt>角色</dt>
        <dd>{ROLE_NAMES[user.role as keyof typeof ROLE_NAMES] ?? user.role}</dd>
        <dt>范围</dt>
        <dd>{scopeText(user, choices)}</dd>
        {user.role === "ingest" && (
          <>
            <dt>{USER_LABELS.senderKind}</dt>
            <dd id="sender-kind">
              {SENDER_KIND_NAMES[isSenderKind(user.senderKind) ? user.senderKind : DEFAULT_SENDER_KIND]}
            </dd>
          </>
        )}
        <dt>状态</dt>
        <dd>
          {user.active ? "启用" : "已停用"}
          {locked ? "，登录受限（某来源地址多次输错密码，该地址须等待后再试；其他地址不受影响）" : ""}
        </dd>
        <dt>创建时间</dt>
        <dd>{when(user.createdAt)}</dd>
        <dt>更新时间</dt>
        <dd>{when(user.updatedAt)}</dd>
      </dl>

      <h2>修改角色与范围</h2>
      <form method="post" action={base} class="admin-form" id="change-user">
        <Csrf token={csrf} />
        <Field
          label={USER_LABELS.displayName}
          name="displayName"
          errors={failed === "change" ? errors : undefined}
        >
          <input id="f-displayName" name="displayName" required maxLength={60} value={v.displayName ?? ""} />
        </Field>
        <ScopeFields v={v} choices={choices} errors={failed === "change" ? errors : undefined} />
        <Field label={USER_LABELS.active} name="active" errors={failed === "change" ? errors : undefined}>
          <select id="f-active" name="active">
            <option value="true" selected={v.active !== false}>启用</option>
            <option value="false" selected={v.active === false}>停用（立即退出登录，密钥失效）</option>
          </select>
        </Field>
        <p class="admin-hint">保存后该账户的登录会话全部结束。</p>
        <button type="submit">保存修改</button>
      </form>

      <h2>重置密码</h2>
      <form method="post" action={`${base}/password`} class="admin-form" id="reset-password">
        <Csrf token={csrf} />
        <Field
          label="新密码"
          name="password"
          errors={failed === "password" ? errors : undefined}
          hint="至少 12 个字符"
        >
          <input id="f-password" name="password" type="password" autocomplete="new-password" required />
        </Field>
        <Field label={USER_LABELS.confirm} name="confirm" errors={failed === "password" ? errors : undefined}>
          <input id="f-confirm" name="confirm" type="password" autocomplete="new-password" required />
        </Field>
        <button type="submit">设置新密码</button>
      </form>
    </AdminShell>
  );
}
