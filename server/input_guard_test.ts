import assert from "node:assert/strict";
import { badText, checkJson, checkUrl, isDataException } from "./input_guard.ts";
import { safeNext } from "./safe_redirect.ts";

Deno.test("checkUrl refuses malformed encoding, control characters and over-long parts, and names where", () => {
  const u = (p: string) => checkUrl(`http://x${p}`)?.field ?? null;
  assert.equal(u("/api/v1/cases/C1?department=410100-SCJGJ"), null);
  assert.equal(u("/cases/%E4%B8%AD%E6%96%87?q=a+b%20c"), null);
  assert.equal(u("/hall/%zz"), "path");
  assert.equal(u("/cases/%00"), "path");
  assert.equal(u("/cases/%ED%A0%80"), "path");
  assert.equal(u("/cases/a%0Ab"), "path");
  assert.equal(u(`/cases/${"x".repeat(300)}`), "path");
  assert.equal(u("/api/v1/stream?hall=%00"), "query.hall");
  assert.equal(u("/x?next=%zz"), "query.next");
  assert.equal(u("/x?q=line%0Aline%09tab"), null, "whitespace controls are text in a query value");
  assert.equal(u("/x?q=%01"), "query.q");
  assert.equal(u(`/x?q=${"y".repeat(2001)}`), "query.q");
  assert.equal(u(`/x?${"a=b&".repeat(3000)}`), "query");
});

Deno.test("badText finds NUL, controls and unpaired surrogates, and accepts pairs", () => {
  assert.match(badText("a\u0000", { whitespace: true })!, /NUL/);
  assert.match(badText("\ud800", { whitespace: true })!, /surrogate/);
  assert.match(badText("x\udc00", { whitespace: true })!, /surrogate/);
  assert.equal(badText("😀 中文\t\n", { whitespace: true }), null);
  assert.match(badText("\t", { whitespace: false })!, /控制字符/);
});

Deno.test("checkJson walks keys and strings without recursion, and limits nesting", () => {
  assert.equal(checkJson({ a: ["b", { c: "d" }] }), null);
  assert.equal(checkJson({ a: [{ c: "d\u0000" }] })?.field, "body.a[0].c");
  assert.equal(checkJson({ "k\u0000": 1 })?.field, "body");
  let deep: unknown = "x";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.match(checkJson(deep)!.error, /嵌套过深/);
});

Deno.test("isDataException recognises SQLSTATE class 22 through drizzle's wrapping", () => {
  assert.equal(isDataException({ cause: { code: "22021" } }), true);
  assert.equal(isDataException({ code: "22P02" }), true);
  assert.equal(isDataException({ code: "23505" }), false);
  assert.equal(isDataException(new Error("x")), false);
});

Deno.test("safeNext keeps same-origin paths and turns everything else into /", () => {
  assert.equal(safeNext("/cases/C1?x=1#a"), "/cases/C1?x=1#a");
  assert.equal(safeNext("/%2F%2Fevil.example"), "/%2F%2Fevil.example");
  assert.equal(safeNext("/中文"), "/%E4%B8%AD%E6%96%87");
  for (
    const bad of [
      "//evil.example",
      "/\t/evil.example/x",
      "/\\evil.example",
      "/\r\n/evil",
      "https://evil.example",
      "evil",
      "",
      null,
      42,
      "/" + "a".repeat(3000),
    ]
  ) assert.equal(safeNext(bad), "/", JSON.stringify(bad));
});
