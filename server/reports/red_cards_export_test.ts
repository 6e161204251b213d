import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { alerts, departments, regions } from "../../db/schema.ts";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import type { AppDeps } from "../deps.ts";
import { csvStream } from "../export/csv_stream.ts";
import { redCardsCsv } from "./export.ts";
import { groupByDepartment } from "./notice.ts";
import { loadRedCards, redCardGroups, redCardPages } from "./red_cards_query.ts";

const database = await openTestDatabase();
const { db } = database;
const deps = {
  database,
  clock: () => Date.parse("2026-12-01T10:00:00+08:00"),
  calendar: { calendar: builtinCalendar() },
} as unknown as AppDeps;
const ALL = { departments: "all", regions: "all", halls: "all" } as never;
const PERIOD = { from: "2026-11-01", to: "2026-11-30" } as never;

await db.insert(regions).values({ code: "410100", name: "郑州市", parent: null });
await db.insert(departments).values([
  { code: "D-A", name: "郑州市市场监督管理局", region: "410100" },
  { code: "D-B", name: "郑州市公安局", region: "410100" },
  { code: "D-C", name: "安阳市公安局", region: "410100" },
]);
// 7 cards of D-A, 5 each of D-B and D-C (a tie broken by name), 2 without a department; several cards
// of a case on one day (rules, subjects), cards outside the period, voided or warnings left out.
const card = (caseId: string, department: string | null, on: string, rule = "8.10", subject = "") => ({
  caseId,
  rule,
  subject,
  level: "red",
  on,
  raisedAt: new Date(`${on}T09:00:00+08:00`),
  department,
  region: department ? "410100" : null,
});
await db.insert(alerts).values([
  ...[1, 2, 3, 4, 5, 6, 7].map((i) => card(`A-${i % 3}`, "D-A", `2026-11-0${i}`, i % 2 ? "8.10" : "8.4")),
  ...[1, 2, 3, 4, 5].map((i) => card("B-1", "D-B", "2026-11-12", "8.4", `材料${i}`)),
  ...[1, 2, 3, 4, 5].map((i) => card(`C-${6 - i}`, "D-C", "2026-11-20")),
  card("N-1", null, "2026-11-03"),
  card("N-2", null, "2026-11-03"),
  card("A-9", "D-A", "2026-10-31"),
  { ...card("A-8", "D-A", "2026-11-15"), voidedOn: "2026-11-16" },
  { ...card("A-7", "D-A", "2026-11-15"), level: "warning" },
]);

const text = async (s: ReadableStream<Uint8Array>) =>
  new TextDecoder("utf-8", { ignoreBOM: true }).decode(await new Response(s).arrayBuffer());

Deno.test("the red cards read by keyset pages are the notice's cards in the notice's order", async () => {
  const groups = await redCardGroups(db, ALL, PERIOD);
  const notice = groupByDepartment(await loadRedCards(deps, db, ALL, PERIOD));
  assert.deepEqual(groups, notice.map(({ cards: _, ...g }) => g));
  assert.deepEqual(groups.map((g) => [g.code, g.count]), [["D-A", 7], ["D-C", 5], ["D-B", 5], [null, 2]]);
  const paged = [];
  for await (const page of redCardPages(deps, db, ALL, PERIOD, groups, 2)) {
    assert.ok(page.cards.length <= 2);
    paged.push(...page.cards.map((c) => [page.group.code, c]));
  }
  assert.deepEqual(paged, notice.flatMap((g) => g.cards.map((c) => [g.code, c])));
});

Deno.test("the red-card CSV from pages is the CSV of the whole notice", async () => {
  const groups = await redCardGroups(db, ALL, PERIOD);
  const streamed = await text(redCardsCsv(redCardPages(deps, db, ALL, PERIOD, groups, 3)));
  const whole = await text(redCardsCsv(
    groupByDepartment(await loadRedCards(deps, db, ALL, PERIOD))
      .map((g) => ({ group: g, cards: g.cards })),
  ));
  assert.equal(streamed, whole);
  assert.equal(streamed.split("\r\n").length, 1 + 19 + 1);
  assert.ok(streamed.includes("\r\nD-C,安阳市公安局,C-1,"), "a department's cards by case");
  assert.equal(await text(csvStream(["x"], [])), "\uFEFFx\r\n");
});

Deno.test.afterAll(() => database.drop());
