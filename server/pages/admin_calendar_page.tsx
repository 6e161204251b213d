/**
 * Working-day calendars (`/admin/calendar`): the loaded years with their counts and origin, the years
 * around today that are missing (deadlines in them count Monday–Friday), and the form that loads or
 * corrects a year from the published notice as JSON.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import type { StoredYear } from "../calendar_store.ts";
import { BUILTIN_CALENDAR_DATA } from "../../rules/builtin_calendar.ts";

/** The built-in years' source in Chinese (the data file records it in English); an administrator's own text as written. */
export function sourceText(source: string): string {
  return source === `内置: ${BUILTIN_CALENDAR_DATA.source ?? "State Council notices"}`
    ? "内置数据：国务院办公厅历年节假日安排通知（2019–2026 年，逐日核对）"
    : source;
}
import { AdminShell, type Banner, Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** Field labels of the calendar form. */
export const CALENDAR_LABELS: Record<string, string> = {
  year: "年度",
  data: "节假日数据（JSON）",
  source: "依据",
};

/** The warning for a year without holiday data. */
export function missingYearText(year: number): string {
  return `${year}年节假日安排未载入，按周一至周五计算`;
}

const EXAMPLE = `{
  "holidays": ["YYYY-MM-DD", "…"],
  "workdays": ["YYYY-MM-DD", "…"]
}`;

/** Props of {@linkcode CalendarPage}. */
export interface CalendarPageProps {
  years: readonly StoredYear[];
  /** Last, this and next year when not loaded. */
  missing: number[];
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  form?: { year?: string; data?: string; source?: string };
  errors?: FieldErrors;
}

/** The calendar page. */
export function CalendarPage({ years, missing, csrf, manifest, banner, form, errors }: CalendarPageProps) {
  const suggested = form?.year ?? String(missing[missing.length - 1] ?? "");
  return (
    <AdminShell title="节假日安排" section="/admin/calendar" manifest={manifest} banner={banner}>
      {missing.length > 0 && (
        <ul class="admin-missing" id="missing">
          {missing.map((y) => (
            <li key={y} data-year={y}>
              {missingYearText(y)}。请按国务院办公厅通知载入，或<a href={`/admin/calendar/${y}`}>
                在月历上标出
              </a>。
            </li>
          ))}
        </ul>
      )}
      <p class="admin-hint">最近的年度在前；依据过长时悬停可看全文。</p>
      <table class="admin-table" id="years">
        <thead>
          <tr>
            <th>年度</th>
            <th>法定节假日</th>
            <th>调休上班日</th>
            <th>依据</th>
            <th>更新时间</th>
            <th>更新人</th>
          </tr>
        </thead>
        <tbody>
          {[...years].reverse().map((y) => (
            <tr data-year={y.year}>
              <td class="nowrap">
                <a href={`/admin/calendar/${y.year}`} title="按月历查看和修改">{y.year}年</a>
              </td>
              <td>{y.holidays.length} 天</td>
              <td>{y.workdays.length} 天</td>
              <td class="admin-source">{sourceText(y.source)}</td>
              <td class="nowrap">{when(y.updatedAt)}</td>
              <td>{y.updatedBy ?? "系统"}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>载入或更正年度安排</h2>
      <p class="admin-hint">
        同一年度再次提交即为更正，覆盖原有数据。保存后，所有仍可能受影响的办件按新的工作日重新计算时限。
      </p>
      <form method="post" action="/admin/calendar" class="admin-form" id="calendar-form">
        <Csrf token={csrf} />
        <Field label={CALENDAR_LABELS.year} name="year" errors={errors}>
          <input
            id="f-year"
            name="year"
            required
            inputMode="numeric"
            pattern="\d{4}"
            maxLength={4}
            value={suggested}
          />
        </Field>
        <Field
          label={CALENDAR_LABELS.data}
          name="data"
          errors={errors}
          hint="holidays：放假日期；workdays：调休上班的周末日期；日期格式 YYYY-MM-DD"
        >
          <textarea id="f-data" name="data" rows={10} required placeholder={EXAMPLE}>
            {form?.data ?? ""}
          </textarea>
        </Field>
        <Field
          label={CALENDAR_LABELS.source}
          name="source"
          errors={errors}
          hint="例如：国办发明电〔2026〕X号"
        >
          <input id="f-source" name="source" maxLength={200} value={form?.source ?? ""} />
        </Field>
        <button type="submit">保存年度安排</button>
      </form>
    </AdminShell>
  );
}
