/**
 * The demo generator's alert rates: `deno run -A bench/demo_rates.ts [--cases N] [--seed S]` evaluates
 * N generated demo cases (server/demo/cases.ts, default 20,000) as of now and prints alerts per case,
 * the share of cases with any alert, warnings and red cards per case, and each rule's rate.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { demoCases } from "../server/demo/cases.ts";
import { evaluateCase } from "../rules/evaluate.ts";
import { builtinCalendar } from "../rules/builtin_calendar.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";

const { values } = parseArgs({
  options: { cases: { type: "string", default: "20000" }, seed: { type: "string", default: "7" } },
});
const now = Date.now();
const cs = demoCases({ now, cases: Number(values.cases), seed: Number(values.seed) });
const calendar = builtinCalendar();
const items = new Map(HENAN_ITEMS.map((i) => [i.code, i]));
const byRule = new Map<string, number>();
let total = 0, withAlert = 0, warnings = 0, reds = 0;
for (const events of cs) {
  const ev = evaluateCase({ caseId: events[0].case, events, item: (c) => items.get(c), calendar, asOf: now });
  total += ev.result.alerts.length;
  if (ev.result.alerts.length) withAlert++;
  for (const a of ev.result.alerts) {
    if (a.level === "red") reds++;
    else warnings++;
    byRule.set(`${a.rule} ${a.level}`, (byRule.get(`${a.rule} ${a.level}`) ?? 0) + 1);
  }
}
const r = (n: number) => (n / cs.length).toFixed(3);
console.log(`${cs.length} demo cases as of ${new Date(now).toISOString()}`);
console.log(
  `alerts per case ${r(total)} (warnings ${r(warnings)}, red cards ${r(reds)}); cases with any alert ${
    r(withAlert)
  }`,
);
for (const [k, v] of [...byRule].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(14)} ${r(v)}`);
