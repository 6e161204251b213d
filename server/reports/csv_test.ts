import assert from "node:assert/strict";
import { attachment, BOM, csvCell, toCsv } from "./csv.ts";

Deno.test("toCsv starts with a UTF-8 BOM and ends every line with CRLF", () => {
  const csv = toCsv(["部门", "办结件数"], [["郑州市市场监督管理局", 12]]);
  assert.equal(csv.charCodeAt(0), 0xfeff);
  assert.equal(csv, `${BOM}部门,办结件数\r\n郑州市市场监督管理局,12\r\n`);
  const bytes = new TextEncoder().encode(csv);
  assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
});

Deno.test("csvCell quotes commas, quotes and line breaks, doubling inner quotes", () => {
  assert.equal(csvCell('说"明"'), '"说""明"""');
  assert.equal(csvCell("甲,乙"), '"甲,乙"');
  assert.equal(csvCell("第一行\n第二行"), '"第一行\n第二行"');
  assert.equal(csvCell("a\r\nb"), '"a\r\nb"');
  assert.equal(csvCell("平常"), "平常");
});

Deno.test("csvCell leaves empty cells empty and writes numbers plainly", () => {
  assert.equal(csvCell(null), "");
  assert.equal(csvCell(undefined), "");
  assert.equal(csvCell(0.9375), "0.9375");
  assert.equal(csvCell(-3), "-3");
  assert.equal(csvCell(Number.NaN), "");
});

Deno.test("csvCell defuses text a spreadsheet would run as a formula", () => {
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell("+1"), "'+1");
  assert.equal(csvCell("-2"), "'-2");
  assert.equal(csvCell("@SUM(A1)"), "'@SUM(A1)");
  // After whitespace, line breaks and in the full-width forms too.
  assert.equal(csvCell(" =1+1"), "' =1+1");
  assert.equal(csvCell("\n=2+3"), `"'\n=2+3"`);
  assert.equal(csvCell("\r\n +1"), `"'\r\n +1"`);
  assert.equal(csvCell("\t-1"), "'\t-1");
  assert.equal(csvCell("\u3000＝1+1"), "'\u3000＝1+1");
  for (const s of ["＝1+1", "＋1", "－2", "＠SUM(A1)"]) assert.equal(csvCell(s), `'${s}`, s);
  // Ordinary text, and a minus inside, stay as they are.
  for (const s of ["郑州市", "2026-03-02", "a=b", "13800000000"]) assert.equal(csvCell(s), s);
});

Deno.test("a parsed CSV row gives back the original cells", () => {
  const cells = ['含"引号"', "含,逗号", "含\n换行", "普通"];
  const line = toCsv(cells, []).slice(1).replace(/\r\n$/, "");
  // A minimal RFC 4180 reader for one line.
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = "";
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') (v += '"', i += 2);
        else if (line[i] === '"') break;
        else v += line[i++];
      }
      out.push(v);
      i += 2;
    } else {
      const j = line.indexOf(",", i);
      out.push(line.slice(i, j < 0 ? line.length : j));
      i = j < 0 ? line.length + 1 : j + 1;
    }
  }
  assert.deepEqual(out, cells);
});

Deno.test("attachment names the file in UTF-8 with an ASCII fallback", () => {
  const h = attachment("效率排名-2026-11.csv");
  assert.match(h, /^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
  assert.ok(h.endsWith(encodeURIComponent("效率排名-2026-11.csv")));
});
