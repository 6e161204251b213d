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
    out += (out.length > 1 ? "," : "") + JSON.stringify(key) + ":" + canonicalJson(v);
  }
  return out + "}";
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
