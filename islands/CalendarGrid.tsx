/**
 * One calendar year as twelve month grids: a click on a day cycles it through 普通 → 休 (holiday) →
 * 班 (adjusted working day) → 普通; 保存 sends the year to `PUT /api/v1/calendar/:year` with the
 * session's CSRF token, which re-evaluates the cases the change affects.
 *
 * @module
 */
import { useComputed, useSignal } from "@preact/signals";

/** Props of {@linkcode CalendarGrid}. */
export interface CalendarGridProps {
  year: number;
  holidays: string[];
  workdays: string[];
  source: string;
  /** The session's CSRF token (sent as X-CSRF-Token). */
  csrf: string | null;
}

type Mark = "holiday" | "workday" | undefined;
const WEEK = ["一", "二", "三", "四", "五", "六", "日"];

const iso = (y: number, m: number, d: number) =>
  `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;

/** Monday = 0 … Sunday = 6. */
function weekday(y: number, m: number, d: number): number {
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

/** The year's grid; marks are edited in place and saved as one request. */
export function CalendarGrid({ year, holidays, workdays, source, csrf }: CalendarGridProps) {
  const marks = useSignal<Record<string, Mark>>(Object.fromEntries([
    ...holidays.map((d) => [d, "holiday" as Mark]),
    ...workdays.map((d) => [d, "workday" as Mark]),
  ]));
  const status = useSignal<{ tone: "ok" | "error" | "busy"; text: string } | null>(null);
  const dirty = useSignal(false);
  const counts = useComputed(() => {
    const v = Object.values(marks.value);
    return {
      holidays: v.filter((m) => m === "holiday").length,
      workdays: v.filter((m) => m === "workday").length,
    };
  });

  const cycle = (date: string) => {
    const now = marks.value[date];
    const next: Mark = now === undefined ? "holiday" : now === "holiday" ? "workday" : undefined;
    marks.value = { ...marks.value, [date]: next };
    dirty.value = true;
    status.value = null;
  };

  const save = async () => {
    const entries = Object.entries(marks.value);
    const body = {
      holidays: entries.filter(([, m]) => m === "holiday").map(([d]) => d).sort(),
      workdays: entries.filter(([, m]) => m === "workday").map(([d]) => d).sort(),
      source,
    };
    status.value = { tone: "busy", text: "正在保存…" };
    try {
      const res = await fetch(`/api/v1/calendar/${year}`, {
        method: "PUT",
        headers: { "content-type": "application/json", ...(csrf ? { "x-csrf-token": csrf } : {}) },
        body: JSON.stringify(body),
      });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error ?? `HTTP ${res.status}`);
      dirty.value = false;
      status.value = {
        tone: "ok",
        text: `已保存 ${year} 年安排，已重新计算 ${answer.recalculated} 件办件的时限。`,
      };
    } catch (err) {
      status.value = { tone: "error", text: `未能保存：${(err as Error).message}` };
    }
  };

  return (
    <div class="calendar-grid">
      <div class="calendar-toolbar">
        <span class="calendar-legend">
          <span class="day holiday">休</span> 放假 {counts.value.holidays} 天
          <span class="day workday">班</span> 调休上班 {counts.value.workdays} 天
          <span class="calendar-hint">点击日期切换：普通 → 休 → 班 → 普通</span>
        </span>
        <button type="button" class="calendar-save" onClick={save} disabled={status.value?.tone === "busy"}>
          {dirty.value ? "保存修改" : "保存"}
        </button>
      </div>
      {status.value && (
        <p class={`calendar-status tone-${status.value.tone}`} role="status">{status.value.text}</p>
      )}
      <div class="calendar-months">
        {Array.from({ length: 12 }, (_, i) => i + 1).map((m) => {
          const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
          const lead = weekday(year, m, 1);
          return (
            <table class="calendar-month" key={m}>
              <caption>{m} 月</caption>
              <thead>
                <tr>{WEEK.map((w) => <th scope="col" key={w}>{w}</th>)}</tr>
              </thead>
              <tbody>
                {Array.from({ length: Math.ceil((lead + days) / 7) }, (_, w) => (
                  <tr>
                    {Array.from({ length: 7 }, (_, k) => {
                      const d = w * 7 + k - lead + 1;
                      if (d < 1 || d > days) return <td key={k} />;
                      const date = iso(year, m, d);
                      const mark = marks.value[date];
                      const weekend = k >= 5;
                      const cls = ["day", weekend ? "weekend" : "", mark ?? ""].filter(Boolean).join(" ");
                      const label = mark === "holiday"
                        ? "放假"
                        : mark === "workday"
                        ? "调休上班"
                        : weekend
                        ? "周末"
                        : "工作日";
                      return (
                        <td>
                          <button
                            type="button"
                            class={cls}
                            data-date={date}
                            title={`${date} ${label}`}
                            aria-label={`${date} ${label}`}
                            onClick={() => cycle(date)}
                          >
                            {d}
                            {mark && <small>{mark === "holiday" ? "休" : "班"}</small>}
                          </button>
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          );
        })}
      </div>
    </div>
  );
}
