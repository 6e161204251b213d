import assert from "node:assert/strict";
import { FeedOrder } from "./feed_order.ts";

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const ids = (xs: { id: number }[]) => xs.map((x) => x.id);

Deno.test("FeedOrder delivers consecutive rows and moves the position to the last", () => {
  const order = new FeedOrder(1000, () => 0);
  order.startAt(10);
  assert.deepEqual(ids(order.take(rows(11, 12, 13))), [11, 12, 13]);
  assert.equal(order.position, 13);
  assert.equal(order.waiting, false);
});

Deno.test("FeedOrder stops at a gap and waits for the missing id while within the wait", () => {
  let now = 0;
  const order = new FeedOrder(1000, () => now);
  order.startAt(10);
  assert.deepEqual(ids(order.take(rows(11, 13, 14))), [11]);
  assert.equal(order.position, 11);
  assert.equal(order.waiting, true);
  now = 999;
  assert.deepEqual(order.take(rows(13, 14)), []);
  // The held id commits: everything after it follows in order.
  assert.deepEqual(ids(order.take(rows(12, 13, 14))), [12, 13, 14]);
  assert.equal(order.waiting, false);
});

Deno.test("FeedOrder skips a gap once it is older than the wait (a rolled-back insert)", () => {
  let now = 0;
  const order = new FeedOrder(1000, () => now);
  order.startAt(10);
  assert.deepEqual(order.take(rows(12)), []);
  now = 1000;
  assert.deepEqual(ids(order.take(rows(12, 13))), [12, 13]);
  assert.equal(order.waiting, false);
});

Deno.test("FeedOrder times each gap from when that id went missing", () => {
  let now = 0;
  const order = new FeedOrder(1000, () => now);
  order.startAt(10);
  assert.deepEqual(order.take(rows(12)), []); // 11 missing since 0
  now = 1500;
  assert.deepEqual(ids(order.take(rows(12, 14))), [12]); // 11 skipped; 13 missing since 1500
  now = 2000;
  assert.deepEqual(order.take(rows(14)), []);
  now = 2500;
  assert.deepEqual(ids(order.take(rows(14))), [14]);
});

Deno.test("counts ids follow the position and restart their sequence at every new row", () => {
  const order = new FeedOrder(1000, () => 0);
  order.startAt(7);
  assert.equal(order.nextCountsId(), "7.000001");
  assert.equal(order.nextCountsId(), "7.000002");
  order.take(rows(8));
  assert.equal(order.nextCountsId(), "8.000001");
  assert.ok(Number("8.000001") > Number("7.000002"));
});
