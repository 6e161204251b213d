/**
 * Canonical JSON (object keys sorted, recursively) and its SHA-256: an event's content identity, so
 * that a re-sent event is recognised whatever order its sender wrote the keys in.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CaseEvent } from "./types.ts";

/**
 * JSON text with every object's keys in sorted order (UTF-16 code unit order), undefined members left
 * out, as `JSON.stringify` writes everything else. Built by concatenation (every event's identity is
 * hashed at ingestion: no arrays of entries per object).
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i ? "," : "") + canonicalJson(value[i]);
    return out + "]";
  }
  const object = value as Record<string, unknown>;
  let out = "{";
  for (const key of Object.keys(object).sort()) {
    const v = object[key];
    if (v === undefined) continue;
    out += (out.length > 1 ? "," : "") + quoteKey(key) + ":" + canonicalJson(v);
  }
  return out + "}";
}

/** What `JSON.stringify` escapes in a string: quote, backslash, control characters, surrogates. */
// deno-lint-ignore no-control-regex -- exactly the characters JSON.stringify escapes
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `JSON.stringify(s)`, without its call for the strings that need no escape (nearly all). */
function quote(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** Field names, quoted once: events repeat a few dozen of them. */
const QUOTED_KEYS = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (QUOTED_KEYS.size < 4096) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/**
 * `canonicalJson(a) === canonicalJson(b)`, without writing either text: the same tree (objects by
 * their own enumerable keys with defined values, in any order; arrays by position), leaves compared as
 * the text `JSON.stringify` gives them.
 */
export function sameCanonical(a: unknown, b: unknown): boolean {
  const aObject = a !== null && typeof a === "object", bObject = b !== null && typeof b === "object";
  if (!aObject || !bObject) {
    if (aObject !== bObject) return false;
    return a === b || canonicalJson(a) === canonicalJson(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameCanonical(a[i], b[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>, y = b as Record<string, unknown>;
  let defined = 0;
  for (const key of Object.keys(x)) {
    const v = x[key];
    if (v === undefined) continue;
    defined++;
    const w = y[key];
    if (w === undefined || !Object.prototype.propertyIsEnumerable.call(y, key) || !sameCanonical(v, w)) {
      return false;
    }
  }
  for (const key of Object.keys(y)) if (y[key] !== undefined) defined--;
  return defined === 0;
}

/** Hex SHA-256 of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(canonicalJson(value)).digest("hex");
}

/**
 * An event's content identity — the one definition, used by ingestion and by `deno task evaluate`:
 * the SHA-256 of the canonical JSON of the event as validated (rules/event_schema.ts `parseEvent`), so
 * that key order and optional fields sent as `null` (read as absent) do not make a re-sent event
 * "different content". Two events with the same sender and id are duplicates iff these are equal.
 */
export function eventContentHash(event: CaseEvent): string {
  return contentHash(event);
}
