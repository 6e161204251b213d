import assert from "node:assert/strict";
import { Cadence } from "./cadence.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fail = (err: unknown) => {
  throw err;
};

/** Wait until `done()` holds (at most 5 s). */
async function until(done: () => boolean): Promise<void> {
  const deadline = performance.now() + 5000;
  while (!done() && performance.now() < deadline) await sleep(5);
  assert.ok(done(), "condition not reached within 5 s");
}

Deno.test("a request after a quiet spell runs at once; requests within the interval coalesce into one run after it", async () => {
  const runs: number[] = [];
  const cadence = new Cadence(300, () => Promise.resolve(void runs.push(performance.now())), fail);
  try {
    cadence.request();
    await until(() => runs.length === 1);
    for (let i = 0; i < 5; i++) cadence.request();
    assert.equal(runs.length, 1, "later requests wait for the interval");
    await until(() => runs.length === 2);
    assert.ok(runs[1] - runs[0] >= 299, `the second run started ${runs[1] - runs[0]} ms after the first`);
    await sleep(400);
    assert.equal(runs.length, 2, "five requests, one run");
  } finally {
    await cadence.stop();
  }
});

Deno.test("a request during a run gives one more run after it; runs never overlap", async () => {
  let active = 0, most = 0, runs = 0;
  const cadence = new Cadence(10, async () => {
    runs++;
    most = Math.max(most, ++active);
    await sleep(40);
    active--;
  }, fail);
  try {
    const first = cadence.run();
    const second = cadence.run();
    cadence.request();
    cadence.request();
    await Promise.all([first, second]);
    await until(() => runs === 3);
    await until(() => active === 0);
    await sleep(100);
    assert.equal(runs, 3, "two direct runs and one for the two requests made during them");
    assert.equal(most, 1);
  } finally {
    await cadence.stop();
  }
});

Deno.test("a failed run goes to onError and the next request runs again; stop() ends requests", async () => {
  const errors: unknown[] = [];
  let runs = 0;
  const cadence = new Cadence(1, () => {
    runs++;
    return Promise.reject(new Error("boom"));
  }, (err) => errors.push(err));
  await cadence.run();
  await cadence.run();
  assert.equal(runs, 2);
  assert.equal(errors.length, 2);
  await cadence.stop();
  cadence.request();
  await sleep(30);
  await cadence.run();
  assert.equal(runs, 2, "no run after stop()");
});
