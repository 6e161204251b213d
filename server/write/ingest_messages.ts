/**
 * Ingestion's refusal messages are Chinese first with the English in brackets (EXCHANGE.md "Bad
 * input"). The validators in rules/ speak English (the evaluator command prints them as they are); this
 * puts the Chinese in front of each of their messages, by the closed set of forms they take.
 *
 * @module
 */

const CJK = /^[\u3000-\u9fff\uff00-\uffef]/;

/** Chinese forms of the English messages of rules/event_schema.ts, by pattern. */
const FORMS: [RegExp, (m: RegExpMatchArray, field: string) => string][] = [
  [/^an event must be a JSON object$/, () => "事件必须是 JSON 对象"],
  [/^type .* is not a known event type$/, () => "未知的事件类型"],
  [/^at must be an RFC 3339 instant/, () => "时间 at 须为带时区偏移的 RFC 3339 时间"],
  [/^at is more than 5 minutes in the future$/, () => "时间 at 晚于当前时间超过 5 分钟"],
  [/ must lie in the years (\d+)–(\d+)$/, (m, f) => `字段 ${f} 须在 ${m[1]}–${m[2]} 年之间`],
  [/ is required$/, (_, f) => `缺少字段 ${f}`],
  [/ must be a date YYYY-MM-DD$/, (_, f) => `字段 ${f} 须为日期 YYYY-MM-DD`],
  [/ must be one of /, (_, f) => `字段 ${f} 取值无效`],
  [/ must not be empty$/, (_, f) => `字段 ${f} 不能为空`],
  [/ must be at most (\d+) characters$/, (m, f) => `字段 ${f} 过长，最多 ${m[1]} 个字符`],
  [/ must have at least (\d+) elements$/, (m, f) => `字段 ${f} 至少需要 ${m[1]} 项`],
  [/ must be ≥ (.+)$/, (m, f) => `字段 ${f} 不能小于 ${m[1]}`],
  [/ must be ≤ (.+)$/, (m, f) => `字段 ${f} 不能大于 ${m[1]}`],
  [/ must be (a|an) /, (_, f) => `字段 ${f} 类型错误`],
];

/** The message of a refusal, Chinese first: `中文 (English)`; one already in that form is kept. */
export function bilingual(field: string, english: string): string {
  if (CJK.test(english)) return english;
  const name = field || "(event)";
  for (const [pattern, zh] of FORMS) {
    const m = english.match(pattern);
    if (m) return `${zh(m, name)} (${english})`;
  }
  return `字段 ${name} 无效 (${english})`;
}
