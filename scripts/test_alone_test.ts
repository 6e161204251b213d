import assert from "node:assert/strict";
import { exactFilter, sample, testNames } from "./test_alone.ts";

// Built from parts so that this file's own sources do not seem to register these tests.
const TEST = ["Deno", "test"].join(".");
const BROWSER = ["browser", "Test"].join("");

Deno.test("testNames() reads plain, object, template and browserTest names in source order", () => {
  const src = [
    `${TEST}("remaining() skips the \\"National Day\\" holiday", () => {});`,
    `${TEST}({\n  name: 'a case (paused) stays',\n  fn() {},\n});`,
    `${TEST}(\`matrix: \${name} answers\`, () => {});`,
    `export function ${BROWSER}(name: string, fn: () => Promise<void>): void {}`,
    `${BROWSER}("the desk counts down in the browser", async () => {});`,
  ].join("\n");
  assert.deepEqual(testNames(src), [
    `remaining() skips the "National Day" holiday`,
    "a case (paused) stays",
    "matrix: ${name} answers",
    "the desk counts down in the browser",
  ]);
});

Deno.test("exactFilter() matches only the whole name, with template parts matching anything", () => {
  const re = (f: string) => new RegExp(f.slice(1, -1));
  assert.ok(re(exactFilter("a (b) 8.1?")).test("a (b) 8.1?"));
  assert.ok(!re(exactFilter("a (b) 8.1?")).test("a (b) 8.1? and more"));
  assert.ok(!re(exactFilter("a (b) 8.1?")).test("a (b) 801?"));
  assert.ok(re(exactFilter("matrix: ${name} answers")).test("matrix: GET /x answers"));
});

Deno.test("sample() draws distinct items and repeats the same draw for the same seed", () => {
  const list = Array.from({ length: 50 }, (_, i) => i);
  const a = sample(list, 10, 42);
  assert.equal(new Set(a).size, 10);
  assert.deepEqual(sample(list, 10, 42), a);
});
