/**
 * `/cases.csv` and `/cases.xlsx` over 6,000 generated cases (bulk-loaded through the apply path, as
 * list_test.ts does): every case of the filter in the list's order with the list's figures, names
 * masked, the exact header and file name; the body streams — it arrives in several chunks, the first
 * before the later pages have been read — and the XLSX reads back.
 */
import assert from "node:assert/strict";
import readExcelFile from "read-excel-file/universal";
import { builtinCalendar } from "../../rules/builtin_calendar.ts";
import { endOfDay } from "../../rules/dates.ts";
import { evaluateCase } from "../../rules/evaluate.ts";
import { generateCases } from "../../rules/gen.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { applyOutcomes } from "../write/apply.ts";
import { maskName } from "../privacy.ts";
import { openTestApp } from "../testing.ts";
import { openCaseListExport } from "./list_export.ts";
import { parseCaseListQuery } from "./list_params.ts";

const TO = "2024-09-27";
const NOW = endOfDay(TO);
const COUNT = 6000;
/** Statements that read a page of the case list (its keyset query selects from `cases`; several streams: a `union all`). */
let pageReads = 0;
const t = await openTestApp(new Date(NOW).toISOString(), {
  onQuery: (q) => {
    if (/^\(*select .* from "cases"/s.test(q) && !/count\(/.test(q)) pageReads++;
  },
});
const calendar = builtinCalendar();
const generated = generateCases({ seed: 12, cases: COUNT, from: "2024-08-01", to: TO, casePrefix: "X" });
const itemByCode = new Map(generated.items.map((i) => [i.code, i]));
const byCase = new Map<string, CaseEvent[]>();
for (const e of generated.events) byCase.set(e.case, [...(byCase.get(e.case) ?? []), e]);
assert.equal((await t.send("PUT", "/api/v1/items", generated.items)).status, 200);
const evaluations = [...byCase.keys()].map((id) =>
  evaluateCase({ caseId: id, events: byCase.get(id)!, item: (c) => itemByCode.get(c), calendar, asOf: NOW })
);
for (let i = 0; i < evaluations.length; i += 2000) {
  await t.database.db.transaction((tx) =>
    applyOutcomes(
      tx,
      evaluations.slice(i, i + 2000).map((evaluation) => ({
        caseId: evaluation.result.case,
        evaluation,
        eventCount: 1,
      })),
      new Map(),
      NOW,
    )
  );
}

// The header line as the desk exports have always written it (a contract: written out, not imported).
const HEADER =
  "办件编号,事项编码,事项名称,部门,申请人,收件日期,受理日期,办结日期,状态,办理期限,所剩时限（工作日）,时限状态,当前预警/红牌"
    .split(",");

/** The list through the API (full names for the province), every page. */
async function listed(query: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let cursor = "";
  for (;;) {
    const res = await t.send("GET", `/api/v1/cases?${query}&limit=1000${cursor}`);
    assert.equal(res.status, 200);
    const page = await res.json();
    rows.push(...page.cases);
    if (!page.next) return rows;
    cursor = `&cursor=${page.next}`;
  }
}

const withBom = new TextDecoder("utf-8", { ignoreBOM: true });

/** RFC 4180 CSV, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') cell += text[++i];
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(cell), cell = "";
    else if (ch === "\r" && text[i + 1] === "\n") {
      rows.push([...row, cell]), row = [], cell = "", i++;
    } else cell += ch;
  }
  return rows;
}

/** Read a response's body chunk by chunk; `pageReads` as the first chunk arrived. */
async function chunks(res: Response) {
  const reader = res.body!.getReader();
  const got: Uint8Array[] = [];
  let readsAtFirst = -1;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (readsAtFirst < 0) readsAtFirst = pageReads;
    got.push(value);
  }
  const bytes = new Uint8Array(got.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of got) bytes.set(c, at), at += c.byteLength;
  return { bytes, count: got.length, readsAtFirst };
}

Deno.test("the CSV export streams every case of the filter in the list's order, names masked, with the list's figures", async () => {
  const before = pageReads;
  const res = await t.send("GET", "/cases.csv?status=all");
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.match(res.headers.get("content-disposition")!, /filename\*=UTF-8''.*-2024-09-27\.csv$/);
  assert.ok(
    decodeURIComponent(res.headers.get("content-disposition")!.split("''")[1]) ===
      "办件时限一览-2024-09-27.csv",
  );
  const { bytes, count, readsAtFirst } = await chunks(res);
  const pages = pageReads - before;
  assert.ok(pages >= COUNT / 1000, `${pages} page reads for ${COUNT} cases`);
  assert.ok(count > pages / 2, `${count} chunks for ${pages} pages`);
  assert.ok(
    readsAtFirst - before <= 2,
    `the first chunk came after ${readsAtFirst - before} page reads, not all`,
  );

  const text = withBom.decode(bytes);
  assert.ok(text.startsWith("\uFEFF"), "a byte-order mark for Excel");
  const [header, ...rows] = parseCsv(text.slice(1));
  assert.deepEqual(header, HEADER);
  const expected = await listed("status=all");
  assert.equal(rows.length, COUNT);
  assert.deepEqual(rows.map((r) => r[0]), expected.map((r) => r.case), "the list's order");
  for (const [i, r] of rows.entries()) {
    const e = expected[i];
    assert.equal(r[4], maskName(e.applicant as string | null), `${e.case}: the applicant masked`);
    assert.equal(r[5], e.receivedOn ?? "");
    assert.equal(r[9], e.deadline ?? "");
    assert.equal(r[10], e.remaining === null ? "" : String(e.remaining), `${e.case}: remaining`);
  }
  assert.ok(rows.some((r) => r[4] !== "" && r[4].includes("*")), "names are there, masked");
});

Deno.test("the XLSX export of a filter streams in several chunks and reads back as the same rows", async () => {
  const department = evaluations[0].department!;
  const query = `status=all&department=${department}`;
  const csv = parseCsv(
    withBom.decode(await (await t.send("GET", `/cases.csv?${query}`)).bytes()).slice(1),
  );
  const before = pageReads;
  const res = await t.send("GET", `/cases.xlsx?${query}`);
  assert.equal(res.status, 200);
  assert.equal(
    res.headers.get("content-type"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  );
  const { bytes, count, readsAtFirst } = await chunks(res);
  assert.ok(csv.length > 1000, `${csv.length - 1} cases of ${department}: more than a page`);
  assert.ok(count >= 2, `${count} chunks`);
  assert.ok(readsAtFirst - before < pageReads - before, "the first bytes left before the last page was read");
  const [sheet] = await readExcelFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  assert.equal(sheet.sheet, "办件时限一览");
  assert.deepEqual(sheet.data[0], HEADER);
  assert.equal(sheet.data.length, csv.length);
  for (const [i, row] of sheet.data.entries()) {
    // The same cells; numbers (remaining) as numbers, empty cells as null.
    assert.deepEqual(row.map((v) => (v === null ? "" : String(v))), csv[i], `row ${i}`);
  }
});

Deno.test("an export of more rows than the limit is refused before anything is sent, naming the count", async () => {
  const province = { role: "province", scope: { departments: "all", regions: "all", halls: "all" } } as never;
  const params = parseCaseListQuery({ status: "all" });
  await assert.rejects(
    () => openCaseListExport(t.database.db, province, params, calendar, TO, { maxRows: 100 }),
    (err: Error & { status?: number }) => err.status === 400 && err.message.includes(`${COUNT}`),
  );
});

Deno.test.afterAll(() => t.database.drop());
