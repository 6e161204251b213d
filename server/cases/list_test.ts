/**
 * `GET /api/v1/cases` over 10,500 generated cases, bulk-loaded through the apply path (evaluated in
 * process, written with multi-row statements): every filter answers exactly the cases the evaluator's
 * results say, cursor paging visits every case once in the sort's order both ways, and remaining on
 * later days (across the National Day holiday) equals a fresh evaluation without re-evaluating.
 */
import assert from "node:assert/strict";
import { alertTokens } from "../../rules/active_alerts.ts";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { endOfDay } from "../../rules/dates.ts";
import { evaluateCase, type Evaluation } from "../../rules/evaluate.ts";
import { generateCases } from "../../rules/gen.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { applyOutcomes } from "../write/apply.ts";
import { COUNT_CAP } from "./list_params.ts";
import { openTestApp } from "../testing.ts";
import { createPerson } from "../auth/test_support.ts";

const TO = "2024-09-27";
const NOW = endOfDay(TO);
const COUNT = 10_500;
const t = await openTestApp(new Date(NOW).toISOString());
const calendar = builtinCalendar();
const generated = generateCases({ seed: 11, cases: COUNT, from: "2024-08-01", to: TO, casePrefix: "B" });
const itemByCode = new Map(generated.items.map((i) => [i.code, i]));
const byCase = new Map<string, CaseEvent[]>();
for (const e of generated.events) byCase.set(e.case, [...(byCase.get(e.case) ?? []), e]);
const evaluate = (id: string, asOf: number): Evaluation =>
  evaluateCase({ caseId: id, events: byCase.get(id)!, item: (c) => itemByCode.get(c), calendar, asOf });
const evaluations = new Map([...byCase.keys()].map((id) => [id, evaluate(id, NOW)]));

// Reference data, then the projection in chunks through the apply path.
for (
  const [path, body] of [
    ["/api/v1/regions", [
      { code: "410200", name: "开封市", parent: "410000" },
      { code: "411000", name: "许昌市", parent: "410000" },
      { code: "410102", name: "郑州市中原区", parent: "410100" },
    ]],
    ["/api/v1/departments", [
      { code: "410100-SCJGJ", name: "郑州市市场监督管理局", region: "410100" },
      // A county's department: a city's region filter includes it.
      { code: "410100-ZRZYJ", name: "郑州市中原区自然资源局", region: "410102" },
      { code: "410200-SCJGJ", name: "开封市市场监督管理局", region: "410200" },
      { code: "411000-WJW", name: "许昌市卫生健康委员会", region: "411000" },
    ]],
    [
      "/api/v1/halls",
      ["410100-HALL-01", "410100-HALL-02", "410200-HALL-01"].map((code) => ({
        code,
        name: `大厅${code.slice(-2)}`,
        region: code.slice(0, 6),
      })),
    ],
    ["/api/v1/items", generated.items],
  ] as const
) assert.equal((await t.send("PUT", path, body)).status, 200, path);
const all = [...evaluations.values()];
for (let i = 0; i < all.length; i += 2000) {
  await t.database.db.transaction((tx) =>
    applyOutcomes(
      tx,
      all.slice(i, i + 2000).map((evaluation) => ({
        caseId: evaluation.result.case,
        evaluation,
        eventCount: 1,
      })),
      new Map(),
      NOW,
    )
  );
}

async function list(
  query: string,
): Promise<
  {
    cases: Record<string, unknown>[];
    next: string | null;
    prev: string | null;
    total: number;
    totalCapped: boolean;
  }
> {
  const res = await t.send("GET", `/api/v1/cases?${query}`);
  assert.equal(res.status, 200, await res.clone().text());
  return await res.json();
}

/** Every case of a query, following `next` with pages of `limit`. */
async function everything(query: string, limit = 1000) {
  const rows: Record<string, unknown>[] = [];
  const pages: { cases: Record<string, unknown>[]; prev: string | null }[] = [];
  let page = await list(`${query}&limit=${limit}`);
  const total = page.total;
  for (;;) {
    rows.push(...page.cases);
    pages.push(page);
    assert.equal(page.total, total);
    if (!page.next) break;
    page = await list(`${query}&limit=${limit}&cursor=${page.next}`);
  }
  return { rows, pages, total };
}

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => r.case as string);
/** The applicant's name as the list searches it: the last amended name, else the received one's. */
const applicant = (e: Evaluation): string | undefined =>
  e.timeline.filter((x) => x.type === "amended").map((x) =>
    (x as { applicant?: { name?: string } }).applicant?.name
  )
    .filter(Boolean).at(-1) ??
    (e.timeline.find((x) => x.type === "received") as { applicant?: { name?: string } } | undefined)
      ?.applicant
      ?.name;
const expectIds = (pred: (e: Evaluation) => boolean) => all.filter(pred).map((e) => e.result.case).sort();

Deno.test("paging by remaining visits all 10,500 cases once, most urgent first, and total counts them", async () => {
  const { rows, total } = await everything("status=all");
  assert.equal(total, COUNT);
  assert.equal(rows.length, COUNT);
  assert.equal(new Set(ids(rows)).size, COUNT);
  const key = (r: Record<string, unknown>) => r.remaining === null ? Infinity : r.remaining as number;
  for (let i = 1; i < rows.length; i++) assert.ok(key(rows[i - 1]) <= key(rows[i]), `order at ${i}`);
  for (const r of rows) {
    assert.equal(r.remaining, evaluations.get(r.case as string)!.result.remaining, r.case as string);
  }
});

Deno.test("every sort pages forwards and back to the same pages", async () => {
  // In progress (two statuses, so the date sorts merge two streams a group) and, by deadline, every
  // status (five; the cases without a deadline, of several statuses, by case id).
  const runs = [
    ...["remaining", "deadline", "received", "-received"].map((sort) => [sort, "open"]),
    ["deadline", "all"],
  ];
  for (const [sort, status] of runs) {
    const { rows, pages, total } = await everything(`sort=${sort}&status=${status}`, 700);
    const want = expectIds((e) => status === "all" || ["received", "accepted"].includes(e.result.status));
    assert.deepEqual(ids(rows).sort(), want);
    assert.equal(total, want.length, "the total (from the live counters)");
    // By date: the dated cases in the date's order (across the streams of the statuses), then the undated.
    const field = sort === "deadline" ? "deadline" : sort.endsWith("received") ? "receivedOn" : null;
    if (field) {
      const keys = rows.map((r) => r[field] as string | null);
      const dated = keys.filter((k) => k !== null);
      assert.deepEqual(keys.slice(0, dated.length), dated, `${sort}: the undated cases come last`);
      const order = [...dated].sort();
      assert.deepEqual(
        dated,
        sort === "-received" ? order.reverse() : order,
        `${sort} ${status}: date order`,
      );
    }
    // From the last page, `prev` walks back through the same pages.
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await list(`sort=${sort}&status=${status}&limit=700&cursor=${pages[i].prev}`);
      assert.deepEqual(ids(back.cases), ids(pages[i - 1].cases), `${sort} page ${i - 1}`);
    }
    assert.equal(pages[0].prev, null);
  }
});

Deno.test("each filter answers exactly the cases the evaluations say", async () => {
  const received = (e: Evaluation) => e.timeline.find((x) => x.type === "received")!;
  const cases: [string, (e: Evaluation) => boolean][] = [
    ["status=accepted", (e) => e.result.status === "accepted"],
    ["status=completed", (e) => e.result.status === "completed"],
    ["department=410200-SCJGJ", (e) => e.department === "410200-SCJGJ"],
    // A region includes the regions below it: the city its county, the province every city.
    ["region=410100", (e) => ["410100-SCJGJ", "410100-ZRZYJ"].includes(e.department!)],
    ["region=410102", (e) => e.department === "410100-ZRZYJ"],
    ["region=410000", (e) => e.department !== null],
    [
      "status=open&region=410100&hall=410100-HALL-01",
      (e) =>
        ["received", "accepted"].includes(e.result.status) && e.hall === "410100-HALL-01" &&
        ["410100-SCJGJ", "410100-ZRZYJ"].includes(e.department!),
    ],
    ["item=410000-GEN-0005", (e) => e.itemCode === "410000-GEN-0005"],
    ["hall=410100-HALL-02", (e) => e.hall === "410100-HALL-02"],
    ["rule=8.1", (e) => alertTokens(e.result.alerts).includes("8.1")],
    ["level=red", (e) => alertTokens(e.result.alerts).includes(":red")],
    ["rule=8.1&level=warning", (e) => alertTokens(e.result.alerts).includes("8.1:warning")],
    ["receivedFrom=2024-09-02&receivedTo=2024-09-06", (e) => {
      const d = received(e).date;
      return d >= "2024-09-02" && d <= "2024-09-06";
    }],
    ["q=B0012", (e) => e.result.case.startsWith("B0012")],
    ["q=生成事项3", (e) => e.itemCode === "410000-GEN-0003"],
    // The applicant's name by prefix; every item's name contains 生成事项, a department's search
    // takes in its own items only; a search with a status and the deadline sort.
    ["q=张", (e) => applicant(e)?.startsWith("张") ?? false],
    ["q=某某有限公", (e) => applicant(e) === "某某有限公司"],
    ["department=410100-SCJGJ&q=生成事项", (e) => e.department === "410100-SCJGJ"],
    [
      "q=李&status=open&sort=deadline",
      (e) => ["received", "accepted"].includes(e.result.status) && (applicant(e)?.startsWith("李") ?? false),
    ],
    ["q=生成事项5&sort=-received", (e) => e.itemCode === "410000-GEN-0005"],
    [
      "status=open&department=410100-SCJGJ&level=warning",
      (e) =>
        ["received", "accepted"].includes(e.result.status) && e.department === "410100-SCJGJ" &&
        alertTokens(e.result.alerts).includes(":warning"),
    ],
  ];
  for (const [query, pred] of cases) {
    const { rows, total } = await everything(query);
    const want = expectIds(pred);
    assert.ok(want.length > 0, `${query} selects something`);
    assert.equal(total, want.length, query);
    assert.deepEqual(ids(rows).sort(), want, query);
  }
});

Deno.test("a search pages forwards and back to the same pages in every sort (its matches sorted, not an index walked)", async () => {
  const want = expectIds((e) => applicant(e)?.startsWith("张") ?? false);
  assert.ok(want.length > 700 && want.length <= COUNT_CAP, `${want.length} matches: several pages, sorted`);
  for (const sort of ["remaining", "deadline", "received", "-received"]) {
    const { rows, pages } = await everything(`q=${encodeURIComponent("张")}&sort=${sort}`, 300);
    assert.deepEqual(ids(rows).sort(), want, sort);
    const field = sort === "deadline" ? "deadline" : sort === "remaining" ? null : "receivedOn";
    if (field) {
      const dated = rows.map((r) => r[field] as string | null).filter((k) => k !== null);
      const order = [...dated].sort();
      assert.deepEqual(dated, sort === "-received" ? order.reverse() : order, `${sort}: date order`);
    }
    for (let i = pages.length - 1; i > 0; i--) {
      const back = await list(`q=${encodeURIComponent("张")}&sort=${sort}&limit=300&cursor=${pages[i].prev}`);
      assert.deepEqual(ids(back.cases), ids(pages[i - 1].cases), `${sort} page ${i - 1}`);
    }
  }
});

Deno.test("the search takes a prefix of the case number or the applicant's name, and part of an item's name, literally", async () => {
  // Inside a case number or a name is not a prefix; % and _ are characters, not wildcards; an item's
  // name matches anywhere in it, but only the scope's items: 生成事项3 is 开封's, not 郑州's.
  for (const q of ["0012", "三", "%", "_", "B001_", "生成%", "事项9"]) {
    const page = await list(`q=${encodeURIComponent(q)}`);
    assert.deepEqual([page.total, page.cases.length], [0, 0], q);
  }
  const own = await list(`department=410100-SCJGJ&q=${encodeURIComponent("事项3")}`);
  assert.deepEqual([own.total, own.cases.length], [0, 0]);
  const { rows } = await everything(`q=${encodeURIComponent("事项3")}`);
  assert.deepEqual(ids(rows).sort(), expectIds((e) => e.itemCode === "410000-GEN-0003"));
});

Deno.test("only roles shown applicants' full names find cases by an applicant's name", async () => {
  // A name that prefixes no case number and is part of no item's name: only the name branch finds it.
  const name = "某某有限公司";
  const named = all.filter((e) => applicant(e) === name).map((e) => e.result.case);
  assert.ok(named.length > 0);
  const director = await createPerson(t.database.db, "list-director", "director", { region: "410000" }, NOW);
  const asDirector = (q: string) =>
    t.send("GET", `/api/v1/cases?q=${encodeURIComponent(q)}`, undefined, {
      authorization: t.authOf(director.id),
    })
      .then((r) => r.json());
  // A director sees names masked: a search by the full name must not tell whether that person applied.
  const byName = await asDirector(name);
  assert.deepEqual([byName.total, byName.cases.length], [0, 0]);
  const byNumber = await asDirector(named[0]);
  assert.deepEqual(
    byNumber.cases.map((c: { case: string }) => c.case),
    [named[0]],
    "the director sees the case",
  );
  const { rows } = await everything(`q=${encodeURIComponent(name)}`);
  assert.deepEqual(
    ids(rows).sort(),
    expectIds((e) => applicant(e)?.startsWith(name) ?? false),
    "the province finds them",
  );
});

Deno.test("remaining on later days equals a fresh evaluation, across the National Day holiday", async () => {
  try {
    for (const day of ["2024-09-30", "2024-10-08", "2024-10-15"]) {
      t.setNow(endOfDay(day));
      const { rows } = await everything("status=accepted");
      for (const r of rows) {
        assert.equal(
          r.remaining,
          evaluate(r.case as string, endOfDay(day)).result.remaining,
          `${r.case} ${day}`,
        );
      }
    }
  } finally {
    t.setNow(NOW);
  }
});

Deno.test("bad list parameters are refused naming the field", async () => {
  for (
    const [query, field] of [
      ["limit=1001", "limit"],
      ["limit=0", "limit"],
      ["status=closed", "status"],
      ["sort=name", "sort"],
      ["level=yellow", "level"],
      ["receivedFrom=2024-02-30", "receivedFrom"],
      ["receivedFrom=2024-09-10&receivedTo=2024-09-01", "receivedTo"],
      ["cursor=nonsense", "cursor"],
      ["changedSince=yesterday", "changedSince"],
    ]
  ) {
    const res = await t.send("GET", `/api/v1/cases?${query}`);
    assert.equal(res.status, 400, query);
    assert.match((await res.json()).error, new RegExp(`^${field}`), query);
  }
});

Deno.test("an altered cursor whose key its stream cannot hold is refused naming the cursor, never a 500", async () => {
  const encode = (o: unknown) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
      .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  for (const sort of ["remaining", "deadline", "received", "-received"]) {
    const first = await list(`sort=${sort}&limit=2`);
    const real = JSON.parse(atob(first.next!.replaceAll("-", "+").replaceAll("_", "/")));
    // The real cursor pages on.
    assert.equal(
      (await t.send("GET", `/api/v1/cases?sort=${sort}&limit=2&cursor=${first.next}`)).status,
      200,
    );
    const forged = [
      ...["abc", 1.5, 2 ** 31, -1e10, 1e300, "2024-13-45", "0000-01-01", "", true].flatMap((v) =>
        [0, 1, 2].map((j) => ({ ...real, g: 0, j, v }))
      ),
      { ...real, g: 1, j: 0, v: 5 },
      { ...real, id: "B\u0000" },
    ];
    for (const cursor of forged) {
      const res = await t.send("GET", `/api/v1/cases?sort=${sort}&limit=2&cursor=${encode(cursor)}`);
      assert.equal(res.status, 400, `${sort} ${JSON.stringify(cursor)}`);
      assert.match((await res.json()).error, /^cursor/, `${sort} ${JSON.stringify(cursor)}`);
    }
  }
});

Deno.test("changedSince outside the years 0001-9999 is refused naming the field", async () => {
  for (const at of ["0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z"]) {
    const res = await t.send("GET", `/api/v1/cases?changedSince=${encodeURIComponent(at)}`);
    assert.equal(res.status, 400, at);
    assert.match((await res.json()).error, /^changedSince/, at);
  }
});

Deno.test("changedSince answers the cases evaluated after the instant, oldest change first", async () => {
  const before = await list(`changedSince=${encodeURIComponent(new Date(NOW - 1).toISOString())}&limit=5`);
  // Not a scope-and-status list: counted up to the cap, and said so.
  assert.deepEqual([before.total, before.totalCapped], [COUNT_CAP, true]);
  const after = await list(`changedSince=${encodeURIComponent(new Date(NOW).toISOString())}`);
  assert.deepEqual([after.total, after.totalCapped], [0, false]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
