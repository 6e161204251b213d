/**
 * Ingestion's first step, which needs no database: the events of a body (a JSON array or NDJSON lines),
 * each validated at the edge (rules/event_schema.ts) and hashed, the first event of an id in the batch
 * winning; and, read from the events as sent, what the batch's transaction must lock and read
 * ({@linkcode wantedOf}), so that server/write/ingest.ts sends the locks and reads before validating.
 *
 * @module
 */
import { eventContentHash } from "../../rules/canonical.ts";
import { parseEvent } from "../../rules/event_schema.ts";
import { MAX_CODE, MAX_ID } from "../../rules/event_guard.ts";
import { EVENT_TYPES, type EventType } from "../../rules/types.ts";
import { DEFAULT_SENDER_KIND, type SenderKind, typeRefusal } from "../auth/sender_kinds.ts";
import type { Candidate } from "./ingest_checks.ts";
import type { FactsWanted } from "./ingest_facts.ts";
import { bilingual } from "./ingest_messages.ts";

/** One refused event: its position in the batch (NDJSON: line number − 1), its id if readable, why. */
export interface Refusal {
  index: number;
  id: string | null;
  field: string;
  error: string;
}

/** One event of a body as sent, with its position. */
export interface RawEvent {
  index: number;
  raw: unknown;
}

/** The events of a body, and the NDJSON lines that are not JSON (refused). */
export function readBody(body: unknown[] | string): { raws: RawEvent[]; refused: Refusal[] } {
  const raws: RawEvent[] = [], refused: Refusal[] = [];
  if (typeof body !== "string") {
    body.forEach((raw, index) => raws.push({ index, raw }));
    return { raws, refused };
  }
  body.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    try {
      raws.push({ index, raw: JSON.parse(line) });
    } catch (err) {
      refused.push({
        index,
        id: null,
        field: "",
        error: `第 ${index + 1} 行不是有效的 JSON (malformed JSON: ${(err as Error).message})`,
      });
    }
  });
  return { raws, refused };
}

/** A batch validated: the events to check against the database, and what was decided already. */
export interface Validated {
  candidates: Candidate[];
  /** Repeats of an earlier event of the batch (same id and content). */
  duplicates: number;
  refused: Refusal[];
}

/**
 * Validate each event: a type the sender may not push is refused on `type` before its fields are
 * looked at (a `review` without `by` is refused for its type); within the batch, the first event of an
 * id wins and later ones are duplicates or conflicts.
 */
export function validateEvents(
  raws: readonly RawEvent[],
  opts: { types?: ReadonlySet<EventType>; senderKind?: SenderKind },
  now: number,
): Validated {
  const { types } = opts;
  const candidates = new Map<string, Candidate>();
  const out: Validated = { candidates: [], duplicates: 0, refused: [] };
  for (const { index, raw } of raws) {
    const type = (raw as { type?: unknown } | null)?.type;
    if (types && typeof type === "string" && isEventType(type) && !types.has(type)) {
      out.refused.push({
        index,
        id: idOf(raw),
        field: "type",
        error: typeRefusal(type, opts.senderKind ?? DEFAULT_SENDER_KIND),
      });
      continue;
    }
    const r = parseEvent(raw, { now });
    if (!r.ok) {
      out.refused.push({ index, id: idOf(raw), field: r.field, error: bilingual(r.field, r.error) });
      continue;
    }
    const hash = eventContentHash(r.event);
    const first = candidates.get(r.event.id);
    if (!first) candidates.set(r.event.id, { index, event: r.event, hash });
    else if (first.hash === hash) out.duplicates++;
    else out.refused.push(conflict(index, r.event.id));
  }
  out.candidates = [...candidates.values()];
  return out;
}

/**
 * What to lock and read for the events as sent, before they are validated: the case ids, event ids,
 * and the items and halls of `received`s. A superset of what the valid events name — validation keeps
 * these strings as they are — with the values no valid event can hold left out (not a string, empty,
 * too long, a NUL or an unpaired surrogate): they never reach the database.
 */
export function wantedOf(raws: readonly RawEvent[]): FactsWanted {
  const caseIds = new Set<string>(), eventIds = new Set<string>();
  const items = new Set<string>(), halls = new Set<string>();
  for (const { raw } of raws) {
    if (typeof raw !== "object" || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const id = code(e.id, MAX_ID), caseId = code(e.case, MAX_ID);
    if (id === null || caseId === null) continue;
    eventIds.add(id);
    caseIds.add(caseId);
    if (e.type !== "received") continue;
    const item = code(e.item, MAX_CODE), hall = code(e.hall, MAX_CODE);
    if (item !== null) items.add(item);
    if (hall !== null) halls.add(hall);
  }
  return { caseIds: [...caseIds], eventIds: [...eventIds], items: [...items], halls: [...halls] };
}

/** Exactly what the validated events name (see {@linkcode wantedOf}). */
export function wantedBy(candidates: readonly Candidate[]): FactsWanted {
  const receiveds = candidates.flatMap((c) => (c.event.type === "received" ? [c.event] : []));
  return {
    caseIds: [...new Set(candidates.map((c) => c.event.case))],
    eventIds: candidates.map((c) => c.event.id),
    items: [...new Set(receiveds.map((e) => e.item))],
    halls: [...new Set(receiveds.flatMap((e) => (e.hall ? [e.hall] : [])))],
  };
}

/** Whether `wanted` names everything the validated events name. */
export function covers(wanted: FactsWanted, candidates: readonly Candidate[]): boolean {
  const exact = wantedBy(candidates);
  return (["caseIds", "eventIds", "items", "halls"] as const).every((k) => {
    const have = new Set(wanted[k]);
    return exact[k].every((v) => have.has(v));
  });
}

/** The refusal of an event whose id this sender already used for other content. */
export function conflict(index: number, id: string): Refusal {
  return {
    index,
    id,
    field: "id",
    error: `本报送方已用此 id 报送过内容不同的事件，更正请作为新事件报送 ` +
      `(id ${id} was already received from this sender with different content; send corrections as new events)`,
  };
}

const code = (v: unknown, max: number): string | null =>
  typeof v === "string" && v.length > 0 && v.length <= max && !v.includes("\u0000") && v.isWellFormed()
    ? v
    : null;

const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

/** The id of a refused event as the answer can show it: shortened, with what cannot be shown replaced. */
function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return null;
  const shown = id.replaceAll("\u0000", "\uFFFD").toWellFormed();
  return shown.length > MAX_ID ? `${shown.slice(0, MAX_ID)}…` : shown;
}
