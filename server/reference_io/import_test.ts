/**
 * Importing reference data files (XLSX and CSV built here): a good file is saved whole and audited, a
 * file with bad rows or duplicate codes saves nothing and lists every problem by row and column, and an
 * export reads back as the same records.
 */
import assert from "node:assert/strict";
import { toXlsx } from "../export/xlsx.ts";
import { toCsv } from "../reports/csv.ts";
import { openTestApp, TEST_ITEM } from "../testing.ts";
import { COLUMNS, rowOf } from "./columns.ts";
import { parseCsv } from "./read.ts";

const t = await openTestApp("2026-03-02T09:00:00+08:00");
const ITEM_HEADER = COLUMNS.items.map((c) => c.header);

const item = (code: string, over: Record<string, unknown> = {}) =>
  rowOf("items", { ...TEST_ITEM, code, name: `事项 ${code}`, ...over });

async function post(kind: string, body: Uint8Array | string, type: string) {
  const res = await t.app.request(
    `/api/v1/reference/${kind}/import?file=test.${type.includes("csv") ? "csv" : "xlsx"}`,
    {
      method: "POST",
      headers: { ...await t.sessionFor("admin"), "content-type": type },
      body: body as BodyInit,
    },
  );
  return { status: res.status, body: await res.json() };
}
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const codes = async () =>
  ((await (await t.send("GET", "/api/v1/items")).json()) as { code: string }[]).map((i) => i.code);

Deno.test("a good XLSX file of items is imported whole, with fee and certificate columns, and audited", async () => {
  const rows = [
    item("410000-XLSX-0001"),
    item("410000-XLSX-0002", {
      fee: { max: 50, basis: "豫发改收费〔2019〕1号" },
      certificate: { type: "卫生许可证", fields: ["编号", "单位名称"], nationallyDetermined: true },
      specialProcedures: ["检验", "批前公示"],
    }),
  ];
  const r = await post("items", await toXlsx("事项目录", ITEM_HEADER, rows), XLSX);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.stored, 2);
  const list = await (await t.send("GET", "/api/v1/items")).json() as Record<string, unknown>[];
  const second = list.find((i) => i.code === "410000-XLSX-0002")!;
  assert.deepEqual(second.fee, { max: 50, basis: "豫发改收费〔2019〕1号" });
  assert.deepEqual(second.certificate, {
    type: "卫生许可证",
    fields: ["编号", "单位名称"],
    nationallyDetermined: true,
  });
  assert.deepEqual(second.specialProcedures, ["检验", "批前公示"]);
  assert.equal(list.find((i) => i.code === "410000-XLSX-0001")!.fee, null);
  const audit = await (await t.send("GET", "/api/v1/audit?action=item.import")).json();
  assert.equal(audit.records[0].detail.file, "test.xlsx");
  assert.deepEqual(audit.records[0].detail.codes, ["410000-XLSX-0001", "410000-XLSX-0002"]);
});

Deno.test("a CSV file with bad rows imports nothing and names every row and column", async () => {
  const before = await codes();
  const csv = toCsv(ITEM_HEADER, [
    item("410000-CSV-0001"),
    item("410000-CSV-0002", { statutoryDays: 5, promisedDays: 10 }),
    [...item("410000-CSV-0003").slice(0, 3), "二十", ...item("x").slice(4)],
    item("410000-CSV-0004", { department: "419999-NONE" }),
    [...item("410000-CSV-0005").slice(0, 12), "也许", ...item("x").slice(13)],
  ]);
  const r = await post("items", csv, "text/csv");
  assert.equal(r.status, 400);
  assert.deepEqual(
    r.body.details.errors.map((e: { row: number; column: string }) => [e.row, e.column]),
    [[3, "承诺时限（工作日）"], [4, "法定时限（工作日）"], [5, "实施部门编码"], [6, "无中介服务"]],
  );
  assert.match(r.body.error, /4 处错误，未导入任何记录/);
  for (const e of r.body.details.errors as { error: string }[]) {
    assert.match(e.error, /^[“\u3000-\u9fff]/, `Chinese first: ${e.error}`);
  }
  assert.deepEqual(await codes(), before, "nothing half-imported");
});

Deno.test("duplicate codes in one file are refused at the second row, in XLSX and CSV", async () => {
  const rows = [
    ["410200", "开封市", "410000"],
    ["410300", "洛阳市", "410000"],
    ["410200", "开封市（重复）", "410000"],
  ];
  const header = COLUMNS.regions.map((c) => c.header);
  for (
    const [body, type] of [[await toXlsx("区划", header, rows), XLSX], [
      toCsv(header, rows),
      "text/csv",
    ]] as const
  ) {
    const r = await post("regions", body, type);
    assert.equal(r.status, 400, type);
    assert.deepEqual(r.body.details.errors, [{
      row: 4,
      column: "区划代码",
      error: "编码 410200 与第 2 行重复",
    }]);
  }
  const regions = await (await t.send("GET", "/api/v1/regions")).json() as { code: string }[];
  assert.ok(!regions.some((r) => r.code === "410300"));
});

Deno.test("a file without the expected header columns is refused before any row", async () => {
  const r = await post("departments", "编码,名称\r\n410100-X,某局\r\n", "text/csv");
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.details.errors.map((e: { column: string }) => e.column), [
    "部门编码",
    "部门名称",
    "所属区划",
  ]);
});

Deno.test("an exported XLSX and CSV import back unchanged", async () => {
  for (const format of ["xlsx", "csv"]) {
    const res = await t.send("GET", `/api/v1/reference/items/export?format=${format}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition")!, /filename\*=UTF-8''/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const before = await (await t.send("GET", "/api/v1/items")).json();
    const r = await post("items", bytes, format === "csv" ? "text/csv" : XLSX);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.stored, before.length);
    assert.deepEqual(await (await t.send("GET", "/api/v1/items")).json(), before);
  }
});

Deno.test("parseCsv reads quoted cells with commas, quotes and line breaks", () => {
  assert.deepEqual(parseCsv('\uFEFFa,"b,1","c ""x""\r\nd"\r\ne,,\n'), [["a", "b,1", 'c "x"\r\nd'], [
    "e",
    "",
    "",
  ]]);
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
