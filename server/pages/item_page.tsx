/**
 * One item of the catalogue (`/admin/items/:code`): every field as a form; saving validates it with the
 * item schema (errors beside their fields), stores it with its audit record and re-evaluates the open
 * cases of the item.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { AdminShell, type Banner, Csrf, Field, type FieldErrors } from "./admin_shell.tsx";
import { SPECIAL_PROCEDURES } from "../../rules/types.ts";

/** The form's values (text as typed; lists one per line). */
export type ItemForm = Record<string, string | string[] | boolean>;

/** Props of {@linkcode ItemPage}. */
export interface ItemPageProps {
  code: string;
  form: ItemForm;
  departments: { code: string; name: string }[];
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  errors?: FieldErrors;
}

/** Field labels, by form field (the item's dotted field path). */
export const ITEM_LABELS: Record<string, string> = {
  name: "事项名称",
  department: "实施部门",
  statutoryDays: "法定时限（工作日）",
  promisedDays: "承诺时限（工作日）",
  steps: "办理环节（每行一个）",
  "materials.required": "必要材料（每行一个）",
  "materials.optional": "可选材料（每行一个）",
  specialProcedures: "特别程序",
  "fee.max": "收费上限（元，不收费留空）",
  "fee.basis": "收费依据",
  promisedVisits: "承诺跑动次数",
  intermediaryFree: "无中介服务",
  "certificate.type": "证照名称（不出证照留空）",
  "certificate.fields": "证照字段（每行一个）",
  "certificate.nationallyDetermined": "证照信息由国家部委确定",
};

/** The item page. */
export function ItemPage({ code, form, departments, csrf, manifest, banner, errors }: ItemPageProps) {
  const text = (name: string) => String(form[name] ?? "");
  const lines = (name: string) =>
    ([form[name]].flat().filter((v) => typeof v === "string") as string[]).join("\n");
  const input = (name: string, type: "text" | "number" = "text") => (
    <Field label={ITEM_LABELS[name]} name={name} errors={errors}>
      {type === "number"
        ? <input id={`f-${name}`} name={name} type="number" value={text(name)} min={0} step="any" />
        : <input id={`f-${name}`} name={name} type="text" value={text(name)} />}
    </Field>
  );
  const area = (name: string, wide = false) => (
    <div class={wide ? "wide" : undefined}>
      <Field label={ITEM_LABELS[name]} name={name} errors={errors}>
        <textarea id={`f-${name}`} name={name}>{lines(name)}</textarea>
      </Field>
    </div>
  );
  const check = (name: string) => (
    <Field label={ITEM_LABELS[name]} name={name} errors={errors}>
      <input id={`f-${name}`} name={name} type="checkbox" value="1" checked={form[name] === true} />
    </Field>
  );
  const chosen = new Set([form.specialProcedures].flat());
  return (
    <AdminShell title={`事项 ${code}`} section="/admin/reference" manifest={manifest} banner={banner}>
      <p>
        <a href="/admin/reference#items">← 返回基础数据</a>
      </p>
      <form method="post" action={`/admin/items/${encodeURIComponent(code)}`} class="item-form">
        <Csrf token={csrf} />
        {input("name")}
        <Field label={ITEM_LABELS.department} name="department" errors={errors}>
          <select id="f-department" name="department">
            {departments.map((d) => (
              <option value={d.code} selected={d.code === form.department}>{d.code} {d.name}</option>
            ))}
            {!departments.some((d) => d.code === form.department) && (
              <option value={text("department")} selected>{text("department")}（未登记）</option>
            )}
          </select>
        </Field>
        {input("statutoryDays", "number")}
        {input("promisedDays", "number")}
        {input("promisedVisits", "number")}
        {check("intermediaryFree")}
        {area("steps")}
        {area("materials.required")}
        {area("materials.optional")}
        <div class="wide">
          <fieldset data-field="specialProcedures">
            <legend>{ITEM_LABELS.specialProcedures}</legend>
            {SPECIAL_PROCEDURES.map((p) => (
              <label class="admin-check">
                <input type="checkbox" name="specialProcedures" value={p} checked={chosen.has(p)} /> {p}
              </label>
            ))}
            {errors?.specialProcedures && <p class="admin-field-error">{errors.specialProcedures}</p>}
          </fieldset>
        </div>
        {input("fee.max", "number")}
        {input("fee.basis")}
        {input("certificate.type")}
        {check("certificate.nationallyDetermined")}
        {area("certificate.fields", true)}
        <div class="wide">
          <button type="submit">保存事项</button>
        </div>
      </form>
    </AdminShell>
  );
}
