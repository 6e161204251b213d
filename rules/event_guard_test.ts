// guardEvent against the stack-based walk it replaced (kept here as the reference): the same refusal,
// field and message for every value, in document order.
import assert from "node:assert/strict";
import { guardEvent, type GuardRefusal, MAX_DEPTH, MAX_ENTRIES, MAX_NUMBER } from "./event_guard.ts";
import { mulberry32 } from "./gen.ts";

/** The walk as first written: an explicit stack of (value, path, depth), children pushed in reverse. */
function reference(raw: unknown): GuardRefusal | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const stack: { value: unknown; path: string[]; depth: number }[] = [{ value: raw, path: [], depth: 1 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string" || typeof value === "number") {
      // Leaves are judged by guardEvent itself on a one-field event of the same path.
      const bad = leaf(raw, value, path);
      if (bad) return bad;
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth > MAX_DEPTH) return { field: name(path), error: "depth" };
    const entries: [string, unknown][] = Array.isArray(value)
      ? value.map((v, i) => [String(i), v])
      : Object.entries(value as Record<string, unknown>);
    if (entries.length > MAX_ENTRIES) return { field: name(path), error: "entries" };
    if (!Array.isArray(value)) {
      for (const [k] of entries) {
        if (k.length > 64 || k.includes("\u0000") || !k.isWellFormed()) {
          return { field: name([...path, k]), error: "key" };
        }
      }
    }
    for (let i = entries.length - 1; i >= 0; i--) {
      stack.push({ value: entries[i][1], path: [...path, entries[i][0]], depth: depth + 1 });
    }
  }
  return null;
}

function leaf(raw: unknown, value: string | number, path: string[]): GuardRefusal | null {
  if (typeof value === "number") {
    return Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER
      ? null
      : { field: name(path), error: "number" };
  }
  const top = path.length === 1 ? path[0] : undefined;
  const type = (raw as { type?: unknown }).type;
  const limit = top === "id" || top === "case"
    ? 128
    : top === "item" || top === "hall"
    ? 64
    : top === "rule" && (type === "appeal" || type === "review")
    ? 64
    : 4000;
  if (value.includes("\u0000") || !value.isWellFormed() || value.length > limit) {
    return { field: name(path), error: "string" };
  }
  return null;
}

/** A path as refusals name it: NUL and lone surrogates replaced, parts cut at 64 characters. */
function name(path: string[]): string {
  return path.map((p) => {
    const shown = p.replaceAll("\u0000", "\uFFFD").toWellFormed();
    return shown.length > 64 ? `${shown.slice(0, 64)}…` : shown;
  }).join(".");
}

const kind = (r: GuardRefusal | null) => {
  if (r === null) return null;
  const e = r.error;
  const k = e.includes("嵌套过深")
    ? "depth"
    : e.includes("元素过多")
    ? "entries"
    : e.startsWith("字段名")
    ? "key"
    : e.includes("数值超出范围")
    ? "number"
    : "string";
  return { field: r.field, error: k };
};

function randomValue(rand: () => number, depth: number): unknown {
  const r = rand();
  const leaves: unknown[] = [
    "ok",
    "a\u0000b",
    "\ud800",
    "x".repeat(65),
    "y".repeat(4001),
    3,
    1e13,
    -Infinity,
    NaN,
    null,
    true,
  ];
  if (depth > 5 || r < 0.55) return leaves[Math.floor(rand() * leaves.length)];
  if (r < 0.7) {
    if (rand() < 0.02) return Array.from({ length: MAX_ENTRIES + 1 }, () => 1);
    return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  }
  const keys = ["id", "case", "item", "hall", "rule", "name", "k".repeat(65), "bad\u0000key", "\udc00", "0"];
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 5); i > 0; i--) {
    out[keys[Math.floor(rand() * keys.length)]] = randomValue(rand, depth + 1);
  }
  return out;
}

Deno.test("guardEvent refuses the same field for the same reason as the stack-based walk, on random hostile events", () => {
  const rand = mulberry32(31);
  let refused = 0;
  for (let i = 0; i < 20000; i++) {
    const event = randomValue(rand, 0);
    if (typeof event === "object" && event !== null && !Array.isArray(event) && rand() < 0.3) {
      (event as Record<string, unknown>).type = rand() < 0.5 ? "appeal" : "step";
    }
    const got = guardEvent(event);
    const expected = reference(event);
    if (JSON.stringify(kind(got)) !== JSON.stringify(expected)) {
      assert.fail(`${JSON.stringify(event)}: ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`);
    }
    if (got) refused++;
  }
  assert.ok(refused > 3000 && refused < 17000, `${refused} refused`);
});

Deno.test("guardEvent names the first bad field in document order, an object's keys before its values", () => {
  assert.equal(guardEvent({ a: "x\u0000", b: "\u0000" })?.field, "a");
  assert.equal(guardEvent({ a: { c: "\u0000" }, ["b\u0000"]: 1 })?.field, "b\uFFFD");
  assert.equal(guardEvent({ a: [1, [2, [3]]] })?.field, "a.1.1");
  let deep: unknown = "x";
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(guardEvent({ id: "E", deep })?.field, "deep.0.0");
});
