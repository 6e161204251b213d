/**
 * Canonical JSON (object keys sorted, recursively) and its SHA-256: an event's content identity, so
 * that a re-sent event is recognised whatever order its sender wrote the keys in.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CaseEvent } from "./types.ts";

/** JSON text with every object's keys in sorted order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
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
