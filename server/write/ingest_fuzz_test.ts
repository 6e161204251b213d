/**
 * Fuzzing the real ingestion path (`POST /api/v1/events`, JSON arrays and NDJSON): seeded batches of
 * random JSON values, hostile values (NUL and unpaired surrogates in values and keys, nesting thousands
 * deep, huge numbers, over-long ids, codes and texts, future and offset-less instants, unknown halls,
 * types the sender may not send, malformed lines) mixed with valid events of several cases. It must
 * never answer 5xx; every valid event is stored and readable; every refusal names index, id and field;
 * every hostile event is refused. Deterministic (fixed seeds) and bounded.
 */
import assert from "node:assert/strict";
import type { IngestReport } from "./ingest.ts";
import { openTestApp, receivedEvent } from "../testing.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);

/** mulberry32: a small seeded generator. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  return { next, int, pick };
}
type Rng = ReturnType<typeof generator>;

type Expect = "stored" | "refused" | "either";
interface Record {
  value: unknown;
  expect: Expect;
  /** NDJSON only: the raw line (a malformed one). */
  line?: string;
}

const AT = ["2026-02-25T09:00:00+08:00", "2026-02-26T10:30:00+08:00", "2026-02-27T14:00:00+08:00"];

function nest(depth: number): unknown {
  let v: unknown = "底";
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { n: v };
  return v;
}

function randomJson(rng: Rng, depth = 0): unknown {
  const r = rng.int(0, depth > 2 ? 4 : 6);
  switch (r) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return rng.pick([0, -1, 3.5, 1e300, -1e-300, 2 ** 53 + 1]);
    case 3:
      return rng.pick(["", "x", "审查", "\u0007\u001b", "\ud800", "a\u0000b", "x".repeat(rng.int(1, 5000))]);
    case 4:
      return rng.pick(["2026-02-27T09:00:00+08:00", "received", "step", "410000-TEST-0001"]);
    case 5:
      return Array.from({ length: rng.int(0, 3) }, () => randomJson(rng, depth + 1));
    default: {
      const o: { [k: string]: unknown } = {};
      for (let i = rng.int(0, 4); i > 0; i--) {
        o[rng.pick(["id", "case", "type", "at", "name", "x\u0000", "\udc00k", "k".repeat(70), "extra"])] =
          randomJson(rng, depth + 1);
      }
      return o;
    }
  }
}

/** A valid event of a case; `n` makes its id unique. Texts may hold harmless control characters. */
function validEvent(rng: Rng, caseId: string, n: number): { [k: string]: unknown } {
  const at = rng.pick(AT);
  const id = `${caseId}-${n}`;
  switch (rng.int(0, 4)) {
    case 0:
      return {
        id,
        case: caseId,
        type: "step",
        at,
        name: rng.pick(["审查", "决定\u0007", "送达\t"]),
        handler: "李四",
      };
    case 1:
      return { id, case: caseId, type: "accepted", at, handler: "王五", meta: { source: { v: 2 } } };
    case 2:
      return { id, case: caseId, type: "fee", at, kind: "charge", amount: rng.int(0, 10_000) };
    case 3:
      return {
        id,
        case: caseId,
        type: "amended",
        at,
        steps: [{ name: "审查", handler: "赵六" }],
        reason: "补录".repeat(rng.int(1, 100)),
      };
    default:
      return { id, case: caseId, type: "materials_submitted", at, materials: ["申请书", "营业执照"] };
  }
}

/** A valid event made hostile in one way: it must be refused. */
function hostile(rng: Rng, caseId: string, n: number): { [k: string]: unknown } {
  const base = validEvent(rng, caseId, n);
  base.id = `${caseId}-bad-${n}`;
  switch (rng.int(0, 17)) {
    case 0:
      return { ...base, type: "step", name: "审\u0000查" };
    case 1:
      return { ...base, ["x\u0000y"]: 1 };
    case 2:
      return { ...base, type: "accepted", handler: "\ud800" };
    case 3:
      return { ...base, extra: { a: "ok\udfff" } };
    case 4:
      return { ...base, extra: nest(rng.int(3, 3000)) };
    case 5:
      return { ...base, type: "fee", kind: "charge", amount: 1e300 };
    case 6:
      return { ...base, counter: rng.pick([1e16, -1e20, 2 ** 60]) };
    case 7:
      return { ...base, id: "i".repeat(rng.int(129, 400)) };
    case 8:
      return { ...base, case: "c".repeat(rng.int(129, 400)) };
    case 9:
      return { ...receivedEvent(base.id as string, caseId, AT[0]), item: "I".repeat(rng.int(65, 300)) };
    case 10:
      return { ...base, type: "step", name: "长".repeat(rng.int(4001, 6000)) };
    case 11:
      return { ...base, at: "2026-03-02T09:10:00+08:00" }; // 10 minutes ahead of NOW
    case 12:
      return { ...base, at: "2026-02-27T09:00:00" };
    case 13:
      return { ...receivedEvent(base.id as string, caseId, AT[0]), hall: "NO-SUCH-HALL" };
    case 14:
      return { ...base, type: "review", action: "void", rule: "8.1", reason: "伪造", by: "sheng" };
    case 15:
      return { ...base, type: "evaluation", satisfied: true };
    case 16:
      return { ...base, ["\ud83d"]: "lone high surrogate key" };
    default:
      return { ...base, ["k".repeat(rng.int(65, 200))]: 1 };
  }
}

const CASES = Array.from({ length: 8 }, (_, i) => `FZ${i}`);
/** Every valid event id sent, by case. */
const sentValid = new Map<string, Set<string>>(CASES.map((c) => [c, new Set()]));

function batch(rng: Rng, serial: number, ndjson: boolean): Record[] {
  const out: Record[] = [];
  for (let i = rng.int(20, 60); i > 0; i--) {
    const caseId = rng.pick(CASES);
    const n = serial * 1000 + i;
    const r = rng.next();
    if (r < 0.45) out.push({ value: validEvent(rng, caseId, n), expect: "stored" });
    else if (r < 0.8) out.push({ value: hostile(rng, caseId, n), expect: "refused" });
    else if (r < 0.95 || !ndjson) out.push({ value: randomJson(rng), expect: "either" });
    else out.push({ value: null, expect: "refused", line: `{"id": "${caseId}-cut-${n}", "case": ` });
  }
  // Each case's received arrives in some batch, in any order relative to its other events.
  if (serial < CASES.length) {
    const c = CASES[serial];
    out.splice(rng.int(0, out.length), 0, { value: receivedEvent(`${c}-r`, c, AT[0]), expect: "stored" });
  }
  return out;
}

async function post(records: Record[], ndjson: boolean): Promise<[number, IngestReport]> {
  const body = ndjson
    ? records.map((r) => r.line ?? JSON.stringify(r.value)).join("\n")
    : JSON.stringify(records.map((r) => r.value));
  const res = await t.send("POST", "/api/v1/events", body, {
    "content-type": ndjson ? "application/x-ndjson" : "application/json",
    authorization: t.auth.ingest,
  });
  const text = await res.text();
  assert.ok(res.status < 500, `HTTP ${res.status}: ${text.slice(0, 300)}`);
  return [res.status, JSON.parse(text)];
}

const SEEDS = [1, 2, 3];
const fuzzed = new Map<number, Promise<void>>();
/** Sends seed's six batches once per file (a later test that needs them runs them if no test did). */
function fuzzOnce(seed: number): Promise<void> {
  if (!fuzzed.has(seed)) fuzzed.set(seed, fuzz(seed));
  return fuzzed.get(seed)!;
}

async function fuzz(seed: number) {
  const rng = generator(seed);
  for (let serial = 0; serial < 6; serial++) {
    const ndjson = serial % 2 === 1;
    const records = batch(rng, (seed - 1) * 6 + serial, ndjson);
    const [status, report] = await post(records, ndjson);
    assert.ok([200, 207, 400].includes(status), `status ${status}`);
    const refusedAt = new Map(report.refused.map((r) => [r.index, r]));
    for (const r of report.refused) {
      assert.ok(Number.isInteger(r.index) && r.index >= 0 && r.index < records.length, `index ${r.index}`);
      assert.ok("id" in r && (r.id === null || typeof r.id === "string"), "id named");
      assert.equal(typeof r.field, "string", "field named");
      assert.match(r.error, /^[\u3000-\u9fff].*\(.+\)$/s, `Chinese first, English in brackets: ${r.error}`);
      const value = records[r.index].value as { id?: unknown } | null;
      if (typeof value?.id === "string" && value.id.length <= 128 && value.id.isWellFormed()) {
        assert.equal(r.id, value.id.replaceAll("\u0000", "\uFFFD"));
      }
    }
    records.forEach((r, index) => {
      const e = r.value as { id: string; case: string };
      if (r.expect === "stored") {
        assert.equal(
          refusedAt.get(index),
          undefined,
          `valid event ${e.id} refused: ${refusedAt.get(index)?.error}`,
        );
        sentValid.get(e.case)!.add(e.id);
      }
      if (r.expect === "refused") assert.ok(refusedAt.has(index), `hostile record ${index} not refused`);
    });
    assert.equal(report.stored + report.duplicates + report.refused.length, records.length);
  }
}

for (const seed of SEEDS) {
  Deno.test(`fuzzed batches (seed ${seed}) never answer 5xx, store every valid event, refuse every hostile one naming index, id and field`, async () => {
    await fuzzOnce(seed);
  });
}

Deno.test("after fuzzing: every valid event is stored and readable in its case", async () => {
  for (const seed of SEEDS) await fuzzOnce(seed);
  for (const [caseId, ids] of sentValid) {
    assert.ok(ids.size > 0, caseId);
    const res = await t.send("GET", `/api/v1/cases/${caseId}`);
    assert.equal(res.status, 200, caseId);
    await res.body?.cancel();
    const view = await (await t.send("GET", `/api/v1/cases/${caseId}/view`)).json();
    const seen = new Set(view.timeline.map((e: { id: string }) => e.id));
    for (const id of ids) assert.ok(seen.has(id), `${id} stored and readable`);
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
