import assert from "node:assert/strict";
import { toCsv } from "../reports/csv.ts";
import { csvStream, gather } from "./csv_stream.ts";

Deno.test("csvStream writes what toCsv writes, a chunk per page, reading a page only when asked", async () => {
  const rows = Array.from({ length: 5000 }, (_, i) => [i, `=名称 ${i}`, i % 7 ? "a,b" : null, 'say "x"']);
  let read = 0;
  async function* pages() {
    for (let i = 0; i < rows.length; i += 1000) {
      read++;
      await Promise.resolve();
      yield rows.slice(i, i + 1000);
    }
  }
  const reader = csvStream(["序号", "名称", "x", "y"], pages()).getReader();
  const first = (await reader.read()).value!;
  assert.equal(read, 0, "the header goes out before any page is read");
  const chunks = [first];
  for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
  assert.equal(read, 5);
  assert.equal(chunks.length, 6);
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
    await gather(new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream()),
  );
  assert.equal(text, toCsv(["序号", "名称", "x", "y"], rows));
});
