import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import readExcelFile from "read-excel-file/universal";
import { sheetName, toWorkbook, toXlsx } from "./xlsx.ts";

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
