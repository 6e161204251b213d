import assert from "node:assert/strict";
import { maskName } from "./privacy.ts";

Deno.test("maskName keeps a person's first and last character with one asterisk between", () => {
  assert.equal(maskName("张三丰", "person"), "张*丰");
  assert.equal(maskName("欧阳娜娜", "person"), "欧*娜");
});

Deno.test("maskName shows only the surname of a two-character name", () => {
  assert.equal(maskName("张三", "person"), "张*");
});

Deno.test("maskName hides every middle character of an organisation", () => {
  assert.equal(maskName("郑州某科技公司", "organization"), "郑*****司");
});

Deno.test("maskName never returns a one-character name or an absent name in clear", () => {
  assert.equal(maskName("张"), "*");
  assert.equal(maskName(undefined), "");
  assert.equal(maskName(null), "");
});
