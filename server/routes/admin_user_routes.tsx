/**
 * Account pages: list, create, edit, reset a password (`/admin/users…`).
 *
 * @module
 */
import type { Context, Hono } from "hono";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import { listUsers, MACHINE_ROLES, publicUser, UserCreate, UserUpdate } from "../auth/users.ts";
import { passwordProblem } from "../auth/password_policy.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { type Banner, errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { USER_LABELS, type UserFormValues, UserPage, UsersPage } from "../pages/admin_users_page.tsx";
import { actorOf, changeAccount, createAccount } from "./admin.ts";
import { accountField, type AdminPageKit, zodErrors } from "./admin_page_kit.tsx";

/** Register the account pages. */
export function adminUserRoutes(app: Hono<Env>, kit: AdminPageKit, deps: AppDeps): void {
  const { page, csrf, html, form, scopeChoices, lockedNames, manifest, db } = kit;
  const renderUsers = async (
    c: Context,
    p: Principal,
    extra: { banner?: Banner; form?: UserFormValues; errors?: FieldErrors } = {},
  ) => {
    const [users, locked, choices, m] = await Promise.all([
      listUsers(db),
      lockedNames(),
      scopeChoices(),
      manifest(),
    ]);
    const props = { users: users.map(publicUser), locked, choices, csrf: csrf(p), manifest: m, ...extra };
    return html(c, <UsersPage {...props} />, extra.errors ? 400 : 200);
  };
  const userValues = (f: Awaited<ReturnType<typeof form>>): UserFormValues => ({
    username: f.text("username"),
    displayName: f.text("displayName"),
    role: f.text("role"),
    departments: f.all("departments"),
    region: f.text("region") || null,
    hall: f.text("hall") || null,
    // Only ingest accounts have a sender kind (the select is sent for every role).
    senderKind: f.text("role") === "ingest" ? f.text("senderKind") || null : null,
  });

  app.get(
    "/admin/users",
    page("users:admin", (c, p) => {
      const created = c.req.query("created");
      return renderUsers(c, p, created ? { banner: { tone: "ok", text: `账户 ${created} 已创建。` } } : {});
    }),
  );

  app.post(
    "/admin/users",
    page("users:admin", async (c, p) => {
      const f = await form(c);
      const values = userValues(f);
      // Passwords are not trimmed: spaces count (and a password of spaces only is refused).
      const password = f.raw("password") || undefined;
      const errors: FieldErrors = {};
      const problem = password ? passwordProblem(password, values.username ?? "") : null;
      if (problem) errors.password = problem;
      if (!password && !MACHINE_ROLES.includes(values.role ?? "")) {
        errors.password = "不能为空（只有数据接入客户端可以不设密码） (a person's account needs a password)";
      }
      const parsed = UserCreate.safeParse({ ...values, password });
      if (!parsed.success) zodErrors(parsed.error, errors);
      if (parsed.success && Object.keys(errors).length === 0) {
        try {
          const user = await createAccount(deps, actorOf(c, deps), parsed.data);
          return c.redirect(`/admin/users?created=${encodeURIComponent(user.username)}`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
          errors[accountField(err.message)] = err.message;
        }
      }
      const banner = errorBanner("账户", errors, USER_LABELS);
      return renderUsers(c, p, { banner, form: values, errors });
    }),
  );

  const renderUser = async (
    c: Context,
    p: Principal,
    extra: { banner?: Banner; form?: UserFormValues; errors?: FieldErrors; failed?: "change" | "password" } =
      {},
  ) => {
    const id = c.req.param("id")!;
    const [users, locked, choices, m] = await Promise.all([
      listUsers(db),
      lockedNames(),
      scopeChoices(),
      manifest(),
    ]);
    const user = users.find((u) => u.id === id);
    if (!user) throw new NotFoundError("没有此用户");
    const props = {
      user: publicUser(user),
      locked: locked.has(user.username),
      choices,
      csrf: csrf(p),
      manifest: m,
    };
    return html(c, <UserPage {...props} {...extra} />, extra.errors ? 400 : 200);
  };

  app.get(
    "/admin/users/:id",
    page("users:admin", (c, p) => {
      const saved = c.req.query("saved");
      const text = saved === "password"
        ? "新密码已设置，该账户需重新登录。"
        : "修改已保存，该账户需重新登录。";
      return renderUser(c, p, saved ? { banner: { tone: "ok", text } } : {});
    }),
  );

  app.post(
    "/admin/users/:id",
    page("users:admin", async (c, p) => {
      const id = c.req.param("id")!;
      const f = await form(c);
      const { username: _, ...values } = userValues(f);
      const active = f.text("active");
      const form2 = { ...values, active: active !== "false" };
      const errors: FieldErrors = {};
      if (active !== "true" && active !== "false") errors.active = "取值无效";
      const parsed = UserUpdate.safeParse(form2);
      if (!parsed.success) zodErrors(parsed.error, errors);
      if (parsed.success && Object.keys(errors).length === 0) {
        try {
          await changeAccount(deps, actorOf(c, deps), id, parsed.data);
          return c.redirect(`/admin/users/${encodeURIComponent(id)}?saved=1`, 303);
        } catch (err) {
          if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
          errors[accountField(err.message)] = err.message;
        }
      }
      const banner = errorBanner("修改", errors, USER_LABELS);
      return renderUser(c, p, { banner, form: form2, errors, failed: "change" });
    }),
  );

  app.post(
    "/admin/users/:id/password",
    page("users:admin", async (c, p) => {
      const id = c.req.param("id")!;
      // Passwords are not trimmed: spaces count.
      const body = await c.req.parseBody();
      const password = typeof body.password === "string" ? body.password : "";
      const errors: FieldErrors = {};
      const owner = (await listUsers(db)).find((u) => u.id === id);
      if (!owner) throw new NotFoundError("没有此用户");
      const problem = passwordProblem(password, owner.username);
      if (problem) errors.password = problem;
      else if (body.confirm !== password) errors.confirm = "两次输入的密码不一致 (the two passwords differ)";
      if (Object.keys(errors).length === 0) {
        await changeAccount(deps, actorOf(c, deps), id, { password });
        return c.redirect(`/admin/users/${encodeURIComponent(id)}?saved=password`, 303);
      }
      const banner = errorBanner("新密码", errors, { ...USER_LABELS, password: "新密码" });
      return renderUser(c, p, { banner, errors, failed: "password" });
    }),
  );

  // API keys.
}
