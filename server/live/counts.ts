/**
 * The live figures of a scope (EXCHANGE.md "Live stream", `event: counts`), read from the
 * incrementally kept `counters` table: one grouped query, never a scan of cases.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query, type Tx } from "../../db/client.ts";
import { dateIn, shanghaiInstant } from "../../rules/dates.ts";
import { compareRuleIds } from "../../rules/evaluate.ts";
import { ruleName as defaultRuleName } from "../../rules/names.ts";
import { countersFilter, type Scope } from "./scope.ts";
import type { CountsMessage, DepartmentCounts, RuleCounts, Totals } from "./wire.ts";

/** Names rules for `byRule` (default: the short names of rules/names.ts). */
export type RuleNamer = (rule: string) => string;

interface Row {
  department: string;
  name: string | null;
  metric: string;
  rule: string;
  today: boolean;
  value: number | string;
}

/** Load the scope's figures as of `now` (today and this month in Asia/Shanghai). */
export async function loadCounts(
  db: Tx,
  scope: Scope,
  now: number,
  ruleName: RuleNamer = defaultRuleName,
): Promise<CountsMessage> {
  const today = dateIn(now);
  const monthStart = `${today.slice(0, 8)}01`;
  const rows = await query<Row>(
    db,
    sql`select c.department, d.name, c.metric, c.rule, (c.day = ${today}) as today, sum(c.value) as value
        from counters c left join departments d on d.code = c.department
        where ${countersFilter(scope)}
          and (c.metric in ('open', 'warn')
            or (c.metric = 'due' and c.day = ${today})
            or (c.metric in ('red', 'abn') and c.day >= ${monthStart} and c.day <= ${today}))
        group by 1, 2, 3, 4, 5`,
  );
  const totals: Totals = { inProgress: 0, dueToday: 0, warnings: 0, redToday: 0, redMonth: 0, abnormal: 0 };
  const departments = new Map<string, DepartmentCounts>();
  const rules = new Map<string, RuleCounts>();
  const department = (code: string, name: string | null) => {
    let d = departments.get(code);
    if (!d) {
      d = { department: code, name: name ?? code, inProgress: 0, dueToday: 0, warnings: 0, redToday: 0 };
      departments.set(code, d);
    }
    return d;
  };
  const rule = (id: string) => {
    let r = rules.get(id);
    if (!r) rules.set(id, r = { rule: id, name: ruleName(id), warnings: 0, redToday: 0 });
    return r;
  };
  // A figure of the totals is also the row's department's; warnings and today's red cards its rule's too.
  const count = (row: Row, figure: "inProgress" | "dueToday" | "warnings" | "redToday", n: number) => {
    totals[figure] += n;
    department(row.department, row.name)[figure] += n;
    if (figure === "warnings" || figure === "redToday") rule(row.rule)[figure] += n;
  };
  for (const row of rows) {
    const n = Number(row.value);
    if (n === 0) continue;
    switch (row.metric) {
      case "open":
        count(row, "inProgress", n);
        break;
      case "due":
        count(row, "dueToday", n);
        break;
      case "warn":
        count(row, "warnings", n);
        break;
      case "red":
        totals.redMonth += n;
        if (row.today) count(row, "redToday", n);
        break;
      case "abn":
        totals.abnormal += n;
        break;
    }
  }
  if (scope.kind === "department") department(scope.code!, null);
  const nonEmpty = (d: DepartmentCounts) =>
    d.inProgress + d.dueToday + d.warnings + d.redToday > 0 || d.department === scope.code;
  return {
    at: shanghaiInstant(now),
    totals,
    byDepartment: [...departments.values()].filter(nonEmpty).sort((a, b) => cmp(a.department, b.department)),
    byRule: [...rules.values()].filter((r) => r.warnings + r.redToday > 0).sort((a, b) =>
      compareRuleIds(a.rule, b.rule)
    ),
  };
}

/** The figures of several scopes' holders (e.g. the hub's scope entries), `concurrency` queries at a time. */
export async function loadCountsOf<K>(
  holders: readonly K[],
  scopeOf: (holder: K) => Scope,
  db: Tx,
  now: number,
  { ruleName = defaultRuleName, concurrency = 4 }: { ruleName?: RuleNamer; concurrency?: number } = {},
): Promise<Map<K, CountsMessage>> {
  const loaded = new Map<K, CountsMessage>();
  let next = 0;
  const worker = async () => {
    while (next < holders.length) {
      const holder = holders[next++];
      loaded.set(holder, await loadCounts(db, scopeOf(holder), now, ruleName));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, holders.length) }, worker));
  return loaded;
}

/** The figures without the instant, to tell whether anything changed. */
export function countsKey(c: CountsMessage): string {
  return JSON.stringify([c.totals, c.byDepartment, c.byRule]);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
