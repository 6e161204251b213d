/**
 * The case list's totals for a scope and a status come from the live `status` counters: they must
 * equal a real count of the stored cases after ingestion, re-evaluation (a later event, an item moved
 * to another department), the scheduler's midnight and completion — for every status, in the
 * province, a region, a department and a hall as filters, and as the scope of a department's staff and
 * of a city's director — and the first page of such a list counts no case rows. Any other filter is counted up to a cap, and says so.
 */
import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import { LIST_STATUSES } from "../../rules/list_status.ts";
import { item } from "../../rules/test_fixtures.ts";
import { createPerson } from "../auth/test_support.ts";
import { startScheduler } from "../write/scheduler.ts";
import { caseFlow, openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";
import { listCasePage } from "./list_query.ts";
import { parseCaseListQuery } from "./list_params.ts";

let recording: string[] | null = null;
const t = await openTestApp("2024-11-04T16:00:00+08:00", { onQuery: (q) => recording?.push(q) });
const db = t.database.db;
const OTHER = item({ code: "410000-TEST-0002", name: "建设用地规划许可", department: "410100-ZRZYJ" });
for (
  const [path, body] of [
    ["/api/v1/regions", [{ code: "410102", name: "郑州市中原区", parent: "410100" }]],
    ["/api/v1/departments", [{ code: "410100-ZRZYJ", name: "郑州市中原区自然资源局", region: "410102" }]],
    ["/api/v1/halls", [{ code: "410102-HALL", name: "中原区政务服务大厅", region: "410102" }]],
    ["/api/v1/items", [OTHER]],
  ] as const
) assert.equal((await t.send("PUT", path, body)).status, 200, path);

/** A person of a department or a region, signed in: the `authorization` to send as them. */
async function viewer(role: "department" | "director", scope: { departments?: string[]; region?: string }) {
  return t.authOf((await createPerson(db, `v-${role}`, role, scope, t.deps.clock())).id);
}
/** The views: each a principal (by `authorization`, default the province) and the list's filter. */
const region = ["410100", "410102"];
const regionHalls = ["410100-HALL", "410102-HALL"];
const VIEWS: { label: string; filter: string; auth?: string; where: string }[] = [
  { label: "province", filter: "", where: "true" },
  {
    label: "region 410100 (and 410102 below it)",
    filter: "region=410100",
    where: `region in ('410100', '410102')`,
  },
  { label: "region 410102", filter: "region=410102", where: `region = '410102'` },
  { label: "department", filter: "department=410100-SCJGJ", where: `department = '410100-SCJGJ'` },
  { label: "hall", filter: "hall=410102-HALL", where: `hall = '410102-HALL'` },
  {
    label: "hall of a department",
    filter: "department=410100-SCJGJ&hall=410100-HALL",
    where: `department = '410100-SCJGJ' and hall = '410100-HALL'`,
  },
  {
    label: "a department's staff",
    filter: "",
    auth: await viewer("department", { departments: ["410100-ZRZYJ"] }),
    where: `department = '410100-ZRZYJ'`,
  },
  {
    label: "a city's director",
    filter: "",
    auth: await viewer("director", { region: "410100" }),
    // The region's departments (by the departments' regions) or its halls.
    where: `(region in (${region.map((r) => `'${r}'`).join(", ")}) or hall in (${
      regionHalls.map((h) => `'${h}'`).join(", ")
    }))`,
  },
];
const MEMBERS: Record<string, string> = {
  open: "status in ('received', 'accepted')",
  all: "true",
};

async function post(events: unknown[]): Promise<void> {
  const res = await t.send("POST", "/api/v1/events", events);
  assert.equal(res.status, 200, await res.clone().text());
}

/** Every view × status: the list's total equals a count of the stored cases, and no case row is counted. */
async function assertTotalsExact(stage: string): Promise<void> {
  let checked = 0;
  for (const v of VIEWS) {
    for (const status of LIST_STATUSES) {
      const cond = `${v.where} and ${MEMBERS[status] ?? `status = '${status}'`}`;
      const [{ n }] = await query<{ n: number }>(
        db,
        sql.raw(`select count(*)::int as n from cases where ${cond}`),
      );
      const path = `/api/v1/cases?${v.filter}${v.filter ? "&" : ""}status=${status}&limit=5`;
      recording = [];
      const res = await t.send("GET", path, undefined, v.auth ? { authorization: v.auth } : {});
      const counted = recording.filter((q) => /count\(/i.test(q) && /"cases"/.test(q));
      recording = null;
      assert.equal(res.status, 200, `${stage}, ${v.label}, ${path}: ${await res.clone().text()}`);
      const body = await res.json();
      assert.deepEqual([body.total, body.totalCapped], [n, false], `${stage}, ${v.label}, status=${status}`);
      assert.deepEqual(counted, [], `${stage}, ${v.label}, status=${status}: the total counted case rows`);
      checked += n;
    }
  }
  assert.ok(checked > 0, `${stage}: some view has cases`);
}

const day = (n: number) => `2024-11-0${n}`;
const start = [
  ...["A1", "A2", "A3"].flatMap((id) => caseFlow(id, TEST_ITEM.code, day(4))),
  ...["Z1", "Z2"].flatMap((id) => caseFlow(id, OTHER.code, day(4), undefined, { hall: "410102-HALL" })),
  ...["R1", "R2"].map((id) => receivedEvent(`${id}-r`, id, `${day(4)}T10:00:00+08:00`)),
  ...caseFlow("C1", TEST_ITEM.code, day(4), day(4)),
  receivedEvent("J1-r", "J1", `${day(4)}T10:00:00+08:00`),
  { id: "J1-x", case: "J1", type: "rejected", at: `${day(4)}T11:00:00+08:00`, reason: "材料不全" },
  // No `received` yet: incomplete, in no department (the province's list shows it).
  { id: "N1-a", case: "N1", type: "accepted", at: `${day(4)}T10:00:00+08:00` },
];

Deno.test("list totals by scope and status equal a real count after ingestion, re-evaluation, midnight and completion", async () => {
  await post(start);
  const statuses = await query<{ status: string }>(db, sql`select distinct status from cases order by 1`);
  assert.deepEqual(statuses.map((r) => r.status), [
    "accepted",
    "completed",
    "incomplete",
    "received",
    "rejected",
  ]);
  await assertTotalsExact("after ingestion");

  // Re-evaluation: later events (received → accepted, accepted → completed, incomplete → accepted) ...
  t.setNow("2024-11-05T16:00:00+08:00");
  await post([
    { id: "R1-a", case: "R1", type: "accepted", at: `${day(5)}T09:00:00+08:00` },
    ...caseFlow("A1", TEST_ITEM.code, day(4), day(5)).slice(2),
    receivedEvent("N1-r", "N1", `${day(4)}T09:00:00+08:00`),
  ]);
  await assertTotalsExact("after later events");
  // ... and the test item moved to the other department: its open cases are re-evaluated into it.
  assert.equal(
    (await t.send("PUT", "/api/v1/items", [{ ...TEST_ITEM, department: "410100-ZRZYJ" }])).status,
    200,
  );
  const moved = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where item_code = ${TEST_ITEM.code} and department = '410100-ZRZYJ'`,
  );
  assert.ok(moved[0].n > 0, "open cases moved with their item");
  await assertTotalsExact("after the item moved");

  // The scheduler's midnights: the due cases re-evaluated (warnings raised as days pass).
  const scheduler = startScheduler(t.deps, { background: false });
  let applied = 0;
  for (const d of ["2024-11-12", "2024-11-19", "2024-11-26"]) {
    t.setNow(`${d}T00:00:01+08:00`);
    applied += await scheduler.runOnce();
  }
  await scheduler.stop();
  assert.ok(applied > 0, "the scheduler applied due cases");
  await assertTotalsExact("after the midnights");

  // Completion of every open case.
  t.setNow("2024-11-26T16:00:00+08:00");
  const open = await query<{ case_id: string; item_code: string; status: string }>(
    db,
    sql`select case_id, item_code, status from cases where status in ('received', 'accepted') order by case_id`,
  );
  assert.ok(open.length > 0);
  await post(open.flatMap((c) => [
    ...(c.status === "received"
      ? [{ id: `${c.case_id}-a2`, case: c.case_id, type: "accepted", at: "2024-11-25T09:00:00+08:00" }]
      : []),
    // The steps and the completion on 2024-11-26.
    ...caseFlow(c.case_id, c.item_code, day(4), "2024-11-26").slice(2),
  ]));
  const left = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where status in ('received', 'accepted')`,
  );
  assert.equal(left[0].n, 0);
  await assertTotalsExact("after completion");
});

Deno.test("a filter the counters cannot answer is counted up to the cap, and says when it stopped there", async () => {
  await post(["Q1", "Q2", "Q3"].flatMap((id) => caseFlow(id, TEST_ITEM.code, day(4))));
  const province = { role: "province", scope: { departments: "all", regions: "all", halls: "all" } } as never;
  const { calendar } = t.deps.calendar;
  const read = (raw: Record<string, string>, countCap: number) =>
    listCasePage(db, province, parseCaseListQuery({ q: "Q", limit: "1", ...raw }), calendar, day(4), {
      countCap,
    });
  const capped = await read({}, 2);
  assert.deepEqual([capped.total, capped.totalCapped], [2, true]);
  // Later pages carry the first page's total and its cap.
  const next = await read({ cursor: capped.next! }, 2);
  assert.deepEqual([next.total, next.totalCapped], [2, true]);
  const exact = await read({}, 3);
  assert.deepEqual([exact.total, exact.totalCapped], [3, false]);
  // Through the API (cap 10,000): exact, with totalCapped false.
  const res = await t.send("GET", "/api/v1/cases?q=Q&limit=1");
  const body = await res.json();
  assert.deepEqual([body.total, body.totalCapped], [3, false]);
});

Deno.test("migration 0017 gives cases stored before the status counters their keys and counts, exactly, however often it runs", async () => {
  await post([
    ...["M1", "M2"].flatMap((id) => caseFlow(id, OTHER.code, day(4), undefined, { hall: "410102-HALL" })),
    ...caseFlow("M3", TEST_ITEM.code, day(4), day(4)),
    { id: "M4-a", case: "M4", type: "accepted", at: `${day(4)}T10:00:00+08:00` },
  ]);
  // The state a database is in before: no status keys in the cases' contributions nor in the counters.
  await db.execute(sql`update cases set contributions = (
      select coalesce(jsonb_agg(k), '[]'::jsonb) from jsonb_array_elements_text(contributions) k
      where k not like 'status|%')`);
  await db.execute(sql`delete from counters where metric = 'status'`);
  const migration = await Deno.readTextFile(
    new URL("../../db/migrations/0017_status_counts.sql", import.meta.url),
  );
  for (let run = 0; run < 2; run++) {
    for (const statement of migration.split("--> statement-breakpoint")) await db.execute(sql.raw(statement));
    await assertTotalsExact(`after migration run ${run + 1}`);
  }
  const keyed = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from cases where contributions ? ('status|' || status || '|')`,
  );
  const [{ n }] = await query<{ n: number }>(db, sql`select count(*)::int as n from cases`);
  assert.equal(keyed[0].n, n, "every case contributes its status key");
  // The write path goes on from there: a case moving on is moved between the backfilled counters.
  await post([
    ...caseFlow("M1", OTHER.code, day(4), day(4)).slice(2),
    receivedEvent("M4-r", "M4", `${day(4)}T09:00:00+08:00`),
  ]);
  await assertTotalsExact("after the migration and later events");
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
