import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import readExcelFile from "read-excel-file/universal";
import { cellColumns, sheetName, toWorkbook, toXlsx, xlsxStream } from "./xlsx.ts";
import { colName } from "./xlsx_parts.ts";

Deno.test("toWorkbook writes typed columns on several sheets; formulas stay text", async () => {
  const rows = [{ n: "=1+1", r: 0.5, k: 3 }, { n: "郑州", r: null, k: 12.345 }];
  const bytes = await toWorkbook([
    {
      name: "部门",
      columns: [
        { header: "名称", value: (r: typeof rows[number]) => r.n },
        { header: "率", value: (r: typeof rows[number]) => r.r, kind: "percent" },
        { header: "得分", value: (r: typeof rows[number]) => r.k, kind: "decimal" },
      ],
      rows,
    },
    { name: "权重", columns: [{ header: "值", value: (r: number) => r, kind: "int" }], rows: [40] },
  ]);
  const sheets = await readExcelFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  assert.deepEqual(sheets, [
    { sheet: "部门", data: [["名称", "率", "得分"], ["=1+1", 0.5, 3], ["郑州", null, 12.345]] },
    { sheet: "权重", data: [["值"], [40]] },
  ]);
  const files = unzipSync(bytes);
  const sheet1 = strFromU8(files["xl/worksheets/sheet1.xml"]);
  assert.match(sheet1, /<pane ySplit="1"[^>]*state="frozen"/, "the header row is frozen");
  assert.doesNotMatch(sheet1, /<f>/, "no formula cells");
  const styles = strFromU8(files["xl/styles.xml"]);
  assert.match(styles, /formatCode="0\.0%"/);
  assert.match(styles, /formatCode="0\.00"/);
});

Deno.test("toXlsx writes one sheet of plain cells", async () => {
  const bytes = await toXlsx("抽查 [1]", ["a", "b"], [["x", 1], [null, 2.5]]);
  const [sheet] = await readExcelFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  assert.equal(sheet.sheet, "抽查 _1_");
  assert.deepEqual(sheet.data, [["a", "b"], ["x", 1], [null, 2.5]]);
});

Deno.test("sheetName keeps Excel's limits and stays unique", () => {
  const taken = new Set<string>();
  assert.equal(sheetName("a/b", taken), "a_b");
  assert.equal(sheetName("a/b", taken), "a_b_2");
  assert.equal(sheetName("x".repeat(40), taken).length, 31);
});

/** `pages` pages of `size` rows `[i, "行 i"]`, counting how many have been read. */
function counted(pages: number, size: number) {
  const state = { read: 0 };
  async function* gen() {
    for (let p = 0; p < pages; p++) {
      state.read++;
      await Promise.resolve();
      yield Array.from({ length: size }, (_, k) => [p * size + k, `行 ${p * size + k}`] as const);
    }
  }
  return { state, pages: gen() };
}

Deno.test("xlsxStream reads a page only when the reader wants more, and 10,000 rows read back", async () => {
  const { state, pages } = counted(20, 500);
  const stream = xlsxStream([{ name: "大表", columns: cellColumns(["序号", "名称"]), pages }]);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [(await reader.read()).value!];
  assert.ok(state.read < 20, `${state.read} of 20 pages read for the first chunk`);
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  assert.equal(state.read, 20);
  assert.ok(chunks.length > 2, `${chunks.length} chunks`);
  const [sheet] = await readExcelFile(new Blob(chunks as Uint8Array<ArrayBuffer>[]));
  assert.equal(sheet.data.length, 10_001);
  assert.deepEqual(sheet.data[0], ["序号", "名称"]);
  assert.deepEqual(sheet.data[1], [0, "行 0"]);
  assert.deepEqual(sheet.data[10_000], [9999, "行 9999"]);
});

Deno.test("xlsx text keeps markup and spaces, drops what XML cannot hold; columns go past Z", async () => {
  const header = Array.from({ length: 28 }, (_, i) => `c${i}`);
  const row = header.map((_, i) => (i === 27 ? "  <a & b>\n\u0001x\ud800 " : i));
  const bytes = await toXlsx("s", header, [row]);
  const [sheet] = await readExcelFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  assert.equal(sheet.data[1][27], "<a & b>\nx", "(read-excel-file trims)");
  const xml = strFromU8(unzipSync(bytes)["xl/worksheets/sheet1.xml"]);
  assert.ok(
    xml.includes('<c r="AB2" t="inlineStr"><is><t xml:space="preserve">  &lt;a &amp; b&gt;\nx </t></is></c>'),
  );
  assert.equal(sheet.data[1][26], 26);
  assert.equal(colName(0) + colName(25) + colName(26) + colName(701) + colName(702), "AZAAZZAAA");
});
