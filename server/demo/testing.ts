/**
 * The demo tests' setup: a test database with deps whose clock the test moves on, and pushing the
 * demo on by a number of ticks.
 *
 * @module
 */
import assert from "node:assert/strict";
import { openTestDatabase, type TestDatabase } from "../../db/testing.ts";
import { epochMs } from "../../rules/dates.ts";
import { openCalendarStore } from "../calendar_store.ts";
import type { AppDeps } from "../deps.ts";
import { pushOnce } from "./pusher.ts";
import type { Random } from "./random.ts";

/** The instant the demo tests start at: a Wednesday afternoon. */
export const DEMO_TEST_START = epochMs("2024-10-16T15:00:00+08:00");

/** A demo test's database (drop it at the end) and deps; `deps.clock()` answers `clock.now`. */
export interface DemoTest {
  database: TestDatabase;
  deps: AppDeps;
  clock: { now: number };
}

/** A fresh test database, demo mode on, the clock at {@linkcode DEMO_TEST_START}. */
export async function openDemoTest(): Promise<DemoTest> {
  const database = await openTestDatabase();
  const clock = { now: DEMO_TEST_START };
  const calendar = await openCalendarStore(database);
  return { database, clock, deps: { database, clock: () => clock.now, calendar, demo: true } };
}

/** Push `ticks` ticks 90 s apart (moving the clock on), none refusing anything: the events stored. */
export async function pushTicks(t: DemoTest, rng: Random, ticks: number): Promise<number> {
  let stored = 0;
  for (let tick = 0; tick < ticks; tick++) {
    t.clock.now += 90_000;
    const report = await pushOnce(t.deps, rng, tick);
    assert.deepEqual(report.refused, []);
    stored += report.stored;
  }
  return stored;
}
