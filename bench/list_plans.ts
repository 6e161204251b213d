/**
 * The case list's statements on a loaded database, EXPLAINed with ANALYZE and BUFFERS, on a read-only
 * connection (`default_transaction_read_only`: nothing can be written, so it may run against the shared
 * `jct_bench_base`). Each scenario — a principal and a list query — runs the product's own
 * `listCasePage` (or a whole export), records every statement it sends, and prints the sum of their
 * execution times, the slowest statement's time, and the shared buffers read.
 *
 *   deno run -A bench/list_plans.ts [--url postgres://…/jct_bench_base] [--only TEXT] [--plans]
 *
 * `--plans` prints each statement's plan (text) as well.
 *
 * @module
 */
import { parseArgs } from "node:util";
import postgres from "postgres";
import { drizzle } from "drizzle-orm/postgres-js";
import * as schema from "../db/schema.ts";
import type { Db } from "../db/client.ts";
import { builtinCalendar } from "../rules/builtin_calendar.ts";
import { dateIn } from "../rules/dates.ts";
import type { Principal } from "../server/auth/principal.ts";
import { resolveScope } from "../server/auth/scope.ts";
import { principalFor } from "../server/auth/test_support.ts";
import { parseCaseListQuery } from "../server/cases/list_params.ts";
import { listCasePage } from "../server/cases/list_query.ts";
import { openCaseListExport } from "../server/cases/list_export.ts";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "postgres://postgres@127.0.0.1:5432/jct_bench_base" },
    only: { type: "string" },
    plans: { type: "boolean", default: false },
    today: { type: "string" },
    "work-mem": { type: "string" },
    repeat: { type: "string", default: "0" },
  },
});

const client = postgres(args.url!, {
  max: 1,
  onnotice: () => {},
  connection: {
    default_transaction_read_only: "on",
    ...(args["work-mem"] ? { work_mem: args["work-mem"] } : {}),
  } as Record<string, string>,
});
let recording: { query: string; params: unknown[] }[] | null = null;
const db = drizzle(client, {
  schema,
  logger: { logQuery: (query, params) => recording?.push({ query, params }) },
}) as unknown as Db;

const calendar = builtinCalendar();
const today = args.today ?? dateIn(Date.now());

const one = async <T>(text: string) => (await client.unsafe(text))[0] as T;
const { department, region } = await one<{ department: string; region: string }>(
  `select department, region from cases where department is not null
    group by 1, 2 order by count(*) desc limit 1`,
);
const { hall } = await one<{ hall: string }>(
  `select hall from cases where hall is not null group by 1 order by count(*) desc limit 1`,
);
const city = region.slice(0, 4) + "00";
const sample = await one<{ case_id: string; applicant_name: string; item_code: string; item_name: string }>(
  `select c.case_id, c.applicant_name, c.item_code, i.name as item_name from cases c
    join items i on i.code = c.item_code where c.department = '${department}' and c.status = 'accepted'
    order by c.case_id limit 1`,
);
const { rule } = await one<{ rule: string }>(
  `select unnest(active_alerts) as rule from cases where department = '${department}' and status = 'accepted'
    group by 1 order by count(*) desc limit 1`,
);

const province = principalFor("province", { departments: "all", regions: "all", halls: "all" });
const deptUser = principalFor(
  "department",
  await resolveScope(db, { role: "department", departments: [department] }),
  {
    departments: [department],
  },
);
const regionUser = principalFor("region", await resolveScope(db, { role: "region", region: city }), {
  region: city,
});
const hallUser = principalFor("hall_manager", await resolveScope(db, { role: "hall_manager", hall }), {
  hall,
});

const { latest } = await one<{ latest: string }>(
  `select to_char((max(evaluated_at) - interval '1 second') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
    as latest from cases`,
);
const { busiest } = await one<{ busiest: string }>(
  `select item_code as busiest from cases where department = '${department}' and item_code is not null
    group by 1 order by count(*) desc limit 1`,
);
const caseNo = sample.case_id.slice(0, 12);
const surname = sample.applicant_name.slice(0, 1);
const month = today.slice(0, 7);
const monthStart = `${month}-01`;
type Scenario = [label: string, who: Principal, query: string, kind?: "page" | "csv"];
const scenarios: Scenario[] = [
  ["department, accepted, remaining", deptUser, "status=accepted"],
  ["department, q = case number prefix", deptUser, `q=${caseNo}`],
  ["department, q = surname", deptUser, `q=${surname}`],
  ["department, q = item name", deptUser, `q=${sample.item_name}`],
  ["department, q = nothing matches", deptUser, `q=ZZZ不存在`],
  ["department, open, q = surname, deadline", deptUser, `q=${surname}&status=open&sort=deadline`],
  ["province, q = case number prefix", province, `q=${caseNo}`],
  ["province, q = surname", province, `q=${surname}`],
  ["province, q = item name", province, `q=${sample.item_name}`],
  ["province, q = nothing matches", province, `q=ZZZ不存在`],
  ["region user, q = surname", regionUser, `q=${surname}`],
  ["hall user, q = surname", hallUser, `q=${surname}`],
  ["province, deadline", province, "sort=deadline"],
  ["province, open, deadline", province, "status=open&sort=deadline"],
  ["province, accepted, deadline", province, "status=accepted&sort=deadline"],
  ["province, received", province, "sort=received"],
  ["province, open, -received", province, "status=open&sort=-received"],
  ["region filter, deadline", province, `region=${city}&sort=deadline`],
  ["region filter, open, deadline", province, `region=${city}&status=open&sort=deadline`],
  ["region filter, open, received", province, `region=${city}&status=open&sort=received`],
  ["region user, open, deadline", regionUser, "status=open&sort=deadline"],
  ["region user, accepted, remaining", regionUser, "status=accepted"],
  ["hall filter, deadline", province, `hall=${hall}&sort=deadline`],
  ["hall filter, open, deadline", province, `hall=${hall}&status=open&sort=deadline`],
  ["hall filter, open, received", province, `hall=${hall}&status=open&sort=received`],
  ["hall filter, open, remaining", province, `hall=${hall}&status=open`],
  ["hall user, open, deadline", hallUser, "status=open&sort=deadline"],
  ["department, rule", deptUser, `rule=${rule.split(":")[0]}`],
  ["department, open, level=red, deadline", deptUser, "status=open&level=red&sort=deadline"],
  ["province, rule", province, `rule=${rule.split(":")[0]}`],
  ["province, open, level=red, deadline", province, "status=open&level=red&sort=deadline"],
  ["department, item", deptUser, `item=${sample.item_code}`],
  ["department filter, busiest item", province, `department=${department}&item=${busiest}`],
  ["SCJGJ filter, XK-0001", province, "department=410100-SCJGJ&item=410100-SCJGJ-XK-0001"],
  ["department, open, item, deadline", deptUser, `item=${sample.item_code}&status=open&sort=deadline`],
  ["province, item", province, `item=${sample.item_code}`],
  ["department, received this month", deptUser, `receivedFrom=${monthStart}`],
  ["department, received this month, received", deptUser, `receivedFrom=${monthStart}&sort=received`],
  ["province, received this month", province, `receivedFrom=${monthStart}`],
  ["province, received this month, -received", province, `receivedFrom=${monthStart}&sort=-received`],
  ["department, changedSince", deptUser, `changedSince=${today}T00:00:00%2B08:00`],
  ["province, changedSince", province, `changedSince=${today}T00:00:00%2B08:00`],
  ["department, changedSince latest", deptUser, `changedSince=${latest}`],
  ["province, changedSince latest", province, `changedSince=${latest}`],
  [
    "department, hall, open, deadline",
    province,
    `department=${department}&hall=${hall}&status=open&sort=deadline`,
  ],
  ["export csv: department, accepted, deadline", deptUser, "status=accepted&sort=deadline", "csv"],
  ["export csv: department, q = surname", deptUser, `q=${surname}`, "csv"],
];

console.log(`today ${today}; department ${department}, region ${city}, hall ${hall}; rule ${rule}`);
console.log(`sample ${sample.case_id} ${sample.applicant_name} ${sample.item_code} ${sample.item_name}`);

async function explain(query: string, params: unknown[]) {
  const rows = await client.unsafe(`explain (analyze, buffers, format json) ${query}`, params as never[]);
  const plan = rows[0]["QUERY PLAN"][0];
  let text = "";
  if (args.plans) {
    const t = await client.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
    text = t.map((r) => r["QUERY PLAN"]).join("\n");
  }
  const b = plan.Plan;
  return {
    ms: plan["Execution Time"] as number,
    planning: plan["Planning Time"] as number,
    buffers: (b["Shared Hit Blocks"] ?? 0) + (b["Shared Read Blocks"] ?? 0),
    text,
  };
}

for (const [label, who, raw, kind = "page"] of scenarios) {
  if (args.only && !label.includes(args.only)) continue;
  const q = parseCaseListQuery(
    Object.fromEntries(new URLSearchParams(raw + (kind === "page" ? "&limit=50" : ""))),
  );
  recording = [];
  const t0 = performance.now();
  let rows = 0;
  let note = "";
  try {
    if (kind === "csv") {
      const ex = await openCaseListExport(db, who, q, calendar, today);
      for await (const page of ex.pages) rows += page.length;
      note = `total ${ex.total}`;
    } else {
      const page = await listCasePage(db, who, q, calendar, today);
      rows = page.cases.length;
      note = `total ${page.total}${page.totalCapped ? "+" : ""}`;
    }
  } catch (err) {
    note = `error: ${(err as Error).message}`;
  }
  const wall = performance.now() - t0;
  // Later runs of the same statements (postgres.js prepares them: from the sixth run PostgreSQL may
  // use a generic plan, blind to the parameters' values).
  const again: number[] = [];
  for (let i = 0; i < Number(args.repeat) && kind === "page"; i++) {
    const t1 = performance.now();
    await listCasePage(db, who, q, calendar, today);
    again.push(Math.round(performance.now() - t1));
  }
  if (again.length) note += `; again ${again.join(" ")} ms`;
  const recorded = recording.filter((r) => /\bfrom "cases"/.test(r.query));
  recording = null;
  let sum = 0, max = 0, buffers = 0;
  const texts: string[] = [];
  // An export sends hundreds of page statements: EXPLAIN the first few.
  for (const r of recorded.slice(0, kind === "csv" ? 6 : 50)) {
    const e = await explain(r.query, r.params);
    sum += e.ms;
    max = Math.max(max, e.ms);
    buffers += e.buffers;
    if (args.plans) {
      texts.push(`-- ${e.ms.toFixed(1)} ms\n${r.query}\n${JSON.stringify(r.params)}\n${e.text}`);
    }
  }
  console.log(
    `${label.padEnd(48)} wall ${wall.toFixed(0).padStart(6)} ms | explain Σ ${
      sum.toFixed(1).padStart(8)
    } ms, max ${max.toFixed(1).padStart(8)} ms, ${String(recorded.length).padStart(3)} stmts, ${
      String(buffers).padStart(7)
    } bufs | ${rows} rows, ${note}`,
  );
  for (const t of texts) console.log(t);
}
await client.end();
