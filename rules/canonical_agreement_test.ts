// canonicalJson's quicker writing and sameCanonical against the definition written plainly: stored
// content hashes are compared with those of re-sent events, so the text must never change.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { canonicalJson, eventContentHash, sameCanonical } from "./canonical.ts";
import { generateCases, mulberry32 } from "./gen.ts";

/** The definition: keys sorted, undefined members left out, everything else as JSON.stringify writes it. */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  const object = value as Record<string, unknown>;
  const members = Object.keys(object).sort().filter((k) => object[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${reference(object[k])}`);
  return `{${members.join(",")}}`;
}

const STRINGS = [
  "",
  "C1",
  "受理",
  'a"b',
  "back\\slash",
  "line\nbreak",
  "\u0000",
  "\u001f\u007f",
  "\u2028\u2029",
  "\ud842\udfb7", // 𠮷, a surrogate pair
  "\ud842", // a lone surrogate
  "x\udc00y",
  "2024-10-08T09:30:00+08:00",
  "__proto__",
  "10",
  "2",
  "é",
];
const NUMBERS = [0, -0, 1, -1.5, 1e21, 1.5e-7, 123456789012, NaN, Infinity, 0.1 + 0.2];

/** A random JSON-like value (with undefined, NaN and the other leaves JSON.stringify treats specially). */
function randomValue(rand: () => number, depth: number): unknown {
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const r = rand();
  if (depth > 3 || r < 0.45) {
    return pick<unknown>([pick(STRINGS), pick(NUMBERS), true, false, null, undefined]);
  }
  if (r < 0.65) return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) out[pick(STRINGS)] = randomValue(rand, depth + 1);
  return out;
}

/** The same value with every object's keys in another order (as JSON text parsed back). */
function reordered(value: unknown, rand: () => number): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => reordered(v, rand));
  const entries = Object.entries(value).sort(() => rand() - 0.5);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, k, { value: reordered(v, rand), enumerable: true });
  }
  return out;
}

Deno.test("canonicalJson writes every generated event exactly as the definition, and the hash is its SHA-256", () => {
  const { events } = generateCases({ seed: 8, cases: 400, from: "2024-09-02", to: "2024-12-20" });
  assert.ok(events.length > 2000);
  for (const e of events) {
    const text = reference(e);
    assert.equal(canonicalJson(e), text);
    assert.equal(eventContentHash(e), createHash("sha256").update(text).digest("hex"));
    const back = JSON.parse(JSON.stringify(e));
    assert.equal(canonicalJson(back), text);
    assert.ok(sameCanonical(e, back));
  }
});

Deno.test("canonicalJson agrees with the definition on escapes, surrogates, odd numbers, undefined and integer-like keys", () => {
  const rand = mulberry32(2028);
  for (let i = 0; i < 5000; i++) {
    const value = randomValue(rand, 0);
    assert.equal(canonicalJson(value), reference(value), String(i));
  }
  // Keys written by a sender that JSON.parse keeps as own fields.
  const parsed = JSON.parse('{"__proto__":{"a":1},"b":"\\u0000","c":["\\ud800",null]}');
  assert.equal(canonicalJson(parsed), reference(parsed));
  assert.equal(canonicalJson(parsed), '{"__proto__":{"a":1},"b":"\\u0000","c":["\\ud800",null]}');
});

Deno.test("sameCanonical is true exactly when the canonical texts are equal", () => {
  const rand = mulberry32(77);
  let same = 0;
  for (let i = 0; i < 5000; i++) {
    const a = randomValue(rand, 0);
    const b = rand() < 0.5 ? reordered(a, rand) : randomValue(rand, 0);
    const expected = reference(a) === reference(b);
    assert.equal(sameCanonical(a, b), expected, `${reference(a)} vs ${reference(b)}`);
    if (expected) same++;
  }
  assert.ok(same > 1000, `${same} equal pairs`);
  assert.equal(sameCanonical({ a: undefined, b: 1 }, { b: 1 }), true);
  assert.equal(sameCanonical({ a: null }, { a: undefined }), false);
  assert.equal(sameCanonical([undefined], [null]), true);
  assert.equal(sameCanonical({ a: NaN }, { a: null }), true);
  assert.equal(sameCanonical(new Date(0), {}), true);
  assert.equal(sameCanonical([], {}), false);
  assert.equal(sameCanonical({ a: [1] }, { a: [1, 2] }), false);
  assert.equal(sameCanonical(Object.create({ b: 1 }), { b: 1 }), false);
});
