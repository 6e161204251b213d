/**
 * What every administration page shares: the page frame with the section tabs, the result or error
 * banner, the CSRF field of the forms, and field-level error display. Plain forms, no script.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import type { Manifest } from "./layout.tsx";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** The administration sections, in tab order. */
export const ADMIN_SECTIONS = [
  { href: "/admin/users", label: "用户账户", about: "创建账户、调整角色与范围、停用账户、重置密码。" },
  { href: "/admin/keys", label: "接入密钥", about: "为数据接入客户端签发和吊销 API 密钥。" },
  {
    href: "/admin/display-tokens",
    label: "大屏令牌",
    about: "为无人值守的大厅显示屏签发只读访问地址，或吊销。",
  },
  {
    href: "/admin/reference",
    label: "基础数据",
    about: "以 XLSX/CSV 导入导出事项目录、部门、大厅和行政区划；查看和修改单个事项。",
  },
  {
    href: "/admin/calendar",
    label: "节假日安排",
    about: "载入或更正某一年度的法定节假日与调休上班日。",
  },
  {
    href: "/admin/portal",
    label: "门户消息",
    about: "推送到省统一工作门户的 8.1 预警和督办消息：待发送、已发送、发送失败，可重新发送。",
  },
  {
    href: "/admin/rankings",
    label: "排名权重",
    about: "调整效率排名综合得分的权重与上限；保存后所有月份的排名均按新权重计算。",
  },
] as const;

/** A banner above the page's content: a result, or why a form was not saved. */
export interface Banner {
  tone: "ok" | "error" | "warning";
  text: ComponentChildren;
}

/** Errors of a form, by field name (the form's `name` attributes). */
export type FieldErrors = Record<string, string>;

/** Props of {@linkcode AdminShell}. */
export interface AdminShellProps {
  title: string;
  /** The current section's href (its tab is marked). */
  section: string;
  manifest: Manifest;
  banner?: Banner;
  children: ComponentChildren;
}

/** The frame of an administration page. */
export function AdminShell({ title, section, manifest, banner, children }: AdminShellProps) {
  return (
    <Layout title={`${title} · 系统管理 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="admin-page">
        <nav class="admin-tabs" aria-label="系统管理">
          <a href="/admin" aria-current={section === "/admin" ? "page" : undefined}>概览</a>
          {ADMIN_SECTIONS.map((s) => (
            <a href={s.href} aria-current={section === s.href ? "page" : undefined}>{s.label}</a>
          ))}
        </nav>
        <h1>{title}</h1>
        {banner && <div class={`admin-banner tone-${banner.tone}`} role="status">{banner.text}</div>}
        {children}
      </main>
    </Layout>
  );
}

/** The session's CSRF token as the hidden `_csrf` field (none for API-key callers). */
export function Csrf({ token }: { token: string | null }) {
  return token ? <input type="hidden" name={CSRF_FIELD} value={token} /> : null;
}

/** A labelled form field with its error, if any, beside it. */
export function Field(
  { label, name, errors, hint, children }: {
    label: string;
    name: string;
    errors?: FieldErrors;
    hint?: string;
    children: ComponentChildren;
  },
) {
  const error = errors?.[name];
  return (
    <div class={error ? "admin-field has-error" : "admin-field"} data-field={name}>
      <label for={`f-${name}`}>{label}</label>
      {children}
      {hint && !error && <p class="admin-hint">{hint}</p>}
      {error && <p class="admin-field-error" id={`e-${name}`}>{label}：{error}</p>}
    </div>
  );
}

/** Props of {@linkcode CodeField}. */
export interface CodeFieldProps {
  label: string;
  name: string;
  errors?: FieldErrors;
  hint?: string;
  /** Reference data to choose from, shown as "name（code）". */
  options: { code: string; name: string }[];
  /** The codes chosen. */
  chosen: readonly (string | null | undefined)[];
  /** Several may be chosen. */
  multiple?: boolean;
  /** The text of the empty choice ("（无）", "（请选择）"); none when several may be chosen. */
  empty?: string;
  required?: boolean;
}

/** A field choosing departments, regions or halls by code. */
export function CodeField(
  { label, name, errors, hint, options, chosen, multiple, empty, required }: CodeFieldProps,
) {
  return (
    <Field label={label} name={name} errors={errors} hint={hint}>
      <select
        id={`f-${name}`}
        name={name}
        required={required}
        multiple={multiple}
        size={multiple ? 5 : undefined}
      >
        {empty !== undefined && <option value="">{empty}</option>}
        {options.map((o) => (
          <option value={o.code} selected={chosen.includes(o.code)}>{o.name}（{o.code}）</option>
        ))}
      </select>
    </Field>
  );
}

/** An instant as `2026-03-02 09:00` in Beijing time; a dash for none. */
export function when(value: Date | string | null | undefined): string {
  if (!value) return "—";
  const ms = new Date(value).getTime() + 8 * 3600_000;
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

/** The banner of a form that was not saved: every field error, named. */
export function errorBanner(what: string, errors: FieldErrors, labels: Record<string, string>): Banner {
  const list = Object.entries(errors).map(([k, m]) => `${labels[k] ?? k}：${m}`);
  return { tone: "error", text: `${what}未保存。${list.join("；")}` };
}
