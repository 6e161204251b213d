import assert from "node:assert/strict";
import { msToMidnight, timeLeftToday } from "./desk_time.ts";

Deno.test("msToMidnight() counts to 00:00 in Asia/Shanghai, not UTC", () => {
  assert.equal(msToMidnight(Date.parse("2024-10-08T23:00:00+08:00")), 3_600_000);
  assert.equal(msToMidnight(Date.parse("2024-10-08T00:00:00+08:00")), 86_400_000);
});

Deno.test("timeLeftToday() says hours and minutes until the end of the day", () => {
  assert.equal(timeLeftToday(Date.parse("2024-10-08T18:47:30+08:00")), "剩 5 小时 12 分");
  assert.equal(timeLeftToday(Date.parse("2024-10-08T23:45:00+08:00")), "剩 15 分");
  assert.equal(timeLeftToday(Date.parse("2024-10-08T23:59:30+08:00")), "剩不足 1 分");
});
