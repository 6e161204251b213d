import assert from "node:assert/strict";
import { clockOffset } from "./WallClock.tsx";

Deno.test("clockOffset() corrects a display clock that is minutes off, not network latency", () => {
  assert.equal(clockOffset(1_000_000, 1_000_300), 0);
  assert.equal(clockOffset(1_000_000, 880_000), 120_000);
  assert.equal(clockOffset(1_000_000, 1_600_000), -600_000);
});
