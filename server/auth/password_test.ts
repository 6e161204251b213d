import assert from "node:assert/strict";
import { hashPassword, PBKDF2_ITERATIONS, verifyPassword } from "./password.ts";

Deno.test("hashPassword stores PBKDF2-SHA256 with at least 310,000 iterations and a random salt", async () => {
  const a = await hashPassword("correct horse");
  const b = await hashPassword("correct horse");
  const [prefix, iterations] = a.split("$");
  assert.equal(prefix, "pbkdf2-sha256");
  assert.equal(Number(iterations), PBKDF2_ITERATIONS);
  assert.ok(PBKDF2_ITERATIONS >= 310_000);
  assert.notEqual(a, b, "two hashes of one password differ by salt");
});

Deno.test("verifyPassword accepts the password and refuses any other", async () => {
  const stored = await hashPassword("演示密码-2026");
  assert.equal(await verifyPassword("演示密码-2026", stored), true);
  assert.equal(await verifyPassword("演示密码-2027", stored), false);
  assert.equal(await verifyPassword("", stored), false);
});

Deno.test("verifyPassword refuses malformed or weakened hashes", async () => {
  const stored = await hashPassword("pw-123456789");
  const [p, , salt, hash] = stored.split("$");
  assert.equal(await verifyPassword("pw-123456789", `${p}$1000$${salt}$${hash}`), false);
  assert.equal(await verifyPassword("pw-123456789", "plain"), false);
  assert.equal(await verifyPassword("pw-123456789", `md5$${salt}`), false);
});

Deno.test("hashPassword refuses an iteration count below the floor", async () => {
  await assert.rejects(() => hashPassword("x", 10_000), RangeError);
});
