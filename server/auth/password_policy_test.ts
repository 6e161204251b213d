import assert from "node:assert/strict";
import { isCommonPassword, MIN_PASSWORD, passwordProblem } from "./password_policy.ts";

Deno.test("passwordProblem refuses short, blank, one-character, user-name and common passwords", () => {
  const refused: [string, RegExp][] = [
    ["x".repeat(MIN_PASSWORD - 1) + "", /至少 12 个字符/],
    ["Abc-12345", /至少 12 个字符/],
    [" ".repeat(12), /空白/],
    ["\t\t\t\t\t\t\t\t\t\t\t\t", /空白/],
    ["aaaaaaaaaaaa", /同一个字符/],
    ["111111111111111", /同一个字符/],
    ["Zhang.San.Feng", /用户名/],
    [" zhang.san.feng ", /用户名/],
    ["qwerty123456", /常见/],
    ["iloveyou2026!!", /常见/],
    ["1q2w3e4r5t6y", /常见/],
  ];
  for (const [password, why] of refused) {
    assert.match(passwordProblem(password, "zhang.san.feng") ?? "", why, JSON.stringify(password));
  }
});

Deno.test("passwordProblem accepts a long unusual password, and the demo and test passwords", () => {
  for (const ok of ["demo-jct-2026", "test-password-1", "郑州市民之家-大屏-2026", "correct horse battery"]) {
    assert.equal(passwordProblem(ok, "zhang.san.feng"), null, ok);
  }
});

Deno.test("the common-password list comes from the package and is compared ignoring case", () => {
  assert.equal(isCommonPassword("PASSWORD"), true);
  assert.equal(isCommonPassword("password"), true);
  assert.equal(isCommonPassword("dragon"), true);
  assert.equal(isCommonPassword("zq8#Lw2!vR0p"), false);
});
