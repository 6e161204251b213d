import assert from "node:assert/strict";
import { dateIn } from "../rules/dates.ts";
import { testClock } from "./harness.ts";

const at = (iso: string) => () => Date.parse(iso);

Deno.test("the browser tests' clock moves the first minutes after midnight to 01:00 of the same day", () => {
  const clock = testClock(at("2024-10-15T00:03:00+08:00"));
  assert.equal(clock(), Date.parse("2024-10-15T01:00:00+08:00"));
  assert.equal(dateIn(clock() - 15 * 60_000), "2024-10-15", "a quarter of an hour ago is still today");
});

Deno.test("the browser tests' clock moves the last hour of the day back to 23:00 and is real time otherwise", () => {
  assert.equal(testClock(at("2024-10-15T23:50:00+08:00"))(), Date.parse("2024-10-15T23:00:00+08:00"));
  assert.equal(testClock(at("2024-10-15T14:20:00+08:00"))(), Date.parse("2024-10-15T14:20:00+08:00"));
});
