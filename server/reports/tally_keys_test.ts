import assert from "node:assert/strict";
import { shanghaiHour } from "./tally_keys.ts";

Deno.test("shanghaiHour is the UTC+08:00 hour of any instant, as Date's ISO text of it", () => {
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const from = Date.UTC(1900, 0, 1), to = Date.UTC(2300, 0, 1);
  for (let i = 0; i < 5000; i++) {
    const ms = Math.floor(from + next() * (to - from));
    assert.equal(shanghaiHour(ms), new Date(ms + 8 * 3600_000).toISOString().slice(0, 13), `${ms}`);
  }
  assert.equal(shanghaiHour(Date.UTC(2024, 9, 7, 16, 0, 0)), "2024-10-08T00");
  assert.equal(shanghaiHour(Date.UTC(2024, 9, 8, 15, 59, 59, 999)), "2024-10-08T23");
  assert.equal(shanghaiHour(-8 * 3600_000 - 1), "1969-12-31T23");
  assert.throws(() => shanghaiHour(NaN), RangeError);
});
