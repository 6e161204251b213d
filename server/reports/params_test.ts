import assert from "node:assert/strict";
import { ValidationError } from "../errors.ts";
import { monthPeriod, parsePeriod, parseRankingsQuery, wholeMonth } from "./params.ts";

const fieldOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValidationError);
    return (err.details as { field: string }).field;
  }
  assert.fail("no validation error");
};

Deno.test("monthPeriod gives the first and last day, leap Februaries included", () => {
  assert.deepEqual(monthPeriod("2026-11"), { from: "2026-11-01", to: "2026-11-30" });
  assert.deepEqual(monthPeriod("2024-02"), { from: "2024-02-01", to: "2024-02-29" });
  assert.deepEqual(monthPeriod("2026-12"), { from: "2026-12-01", to: "2026-12-31" });
});

Deno.test("parseRankingsQuery defaults the level to departments and rejects bad months by name", () => {
  assert.deepEqual(parseRankingsQuery({ month: "2026-11" }), {
    month: "2026-11",
    level: "department",
    from: "2026-11-01",
    to: "2026-11-30",
  });
  assert.equal(parseRankingsQuery({ month: "2026-11", level: "region" }).level, "region");
  assert.equal(fieldOf(() => parseRankingsQuery({})), "month");
  assert.equal(fieldOf(() => parseRankingsQuery({ month: "2026-13" })), "month");
  assert.equal(fieldOf(() => parseRankingsQuery({ month: "2026-1" })), "month");
  assert.equal(fieldOf(() => parseRankingsQuery({ month: "2026-11", level: "hall" })), "level");
});

Deno.test("parsePeriod requires real dates, from before to, at most a year", () => {
  assert.deepEqual(parsePeriod({ from: "2026-11-01", to: "2026-11-30" }), {
    from: "2026-11-01",
    to: "2026-11-30",
  });
  assert.equal(fieldOf(() => parsePeriod({ to: "2026-11-30" })), "from");
  assert.equal(fieldOf(() => parsePeriod({ from: "2026-02-30", to: "2026-03-01" })), "from");
  assert.equal(fieldOf(() => parsePeriod({ from: "2026-11-02", to: "2026-11-01" })), "to");
  assert.deepEqual(parsePeriod({ from: "2025-01-01", to: "2026-01-01" }).to, "2026-01-01");
  assert.equal(fieldOf(() => parsePeriod({ from: "2025-01-01", to: "2026-01-02" })), "to");
  assert.equal(fieldOf(() => parsePeriod({ from: "2026-11-01", to: "20261130" })), "to");
});

Deno.test("wholeMonth recognises exactly one calendar month", () => {
  assert.equal(wholeMonth({ from: "2026-11-01", to: "2026-11-30" }), "2026-11");
  assert.equal(wholeMonth({ from: "2026-11-01", to: "2026-11-29" }), null);
  assert.equal(wholeMonth({ from: "2026-11-02", to: "2026-12-01" }), null);
});
