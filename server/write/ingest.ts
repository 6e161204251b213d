/**
 * Event ingestion: validate a batch, store the new events durably (one transaction, committed before
 * the answer), recognise duplicates (same sender, id and content) and refuse conflicts (same sender and
 * id, other content), and re-evaluate exactly the affected cases in the same transaction. Every bad
 * value is refused for its event alone, naming index, id and field; the rest of the batch is stored.
 *
 * Round trips per batch, whatever its size: begin; one wait for the reads (server/write/ingest_facts.ts:
 * the case locks with the items, halls and regions, then the sender's known ids, the cases' departments
 * and claims; server/write/recalc.ts: the cases' stored state); the checks and the evaluation in memory
 * (server/write/ingest_checks.ts, rules/); one wait for the insert of keys, events and claims together
 * with the evaluation's writes (server/write/apply.ts); commit. A transaction that lost a race for an
 * id or its connection runs again (server/write/retry.ts).
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { eventContentHash } from "../../rules/canonical.ts";
import { parseEvent } from "../../rules/event_schema.ts";
import { MAX_ID } from "../../rules/event_guard.ts";
import type { Evaluation } from "../../rules/evaluate.ts";
import { type CaseEvent, EVENT_TYPES, type EventType } from "../../rules/types.ts";
import { rowsOf, type Tx } from "../../db/client.ts";
import { DEFAULT_SENDER_KIND, type SenderKind, typeRefusal } from "../auth/sender_kinds.ts";
import { holdConflicts } from "./data_conflicts.ts";
import type { AppDeps } from "../deps.ts";
import { PayloadTooLargeError } from "../errors.ts";
import { type Candidate, checkBatch, type IngestAuthorizer } from "./ingest_checks.ts";
import { bilingual } from "./ingest_messages.ts";
import { quarantineForeignEvents } from "./quarantine.ts";
import { readBatchFacts } from "./ingest_facts.ts";
import { loadRecalcInputs, recalculateCases } from "./recalc.ts";
import { RetryBatch, retryTransaction } from "./retry.ts";

export type { IngestAuthorizer } from "./ingest_checks.ts";

/** Most events accepted in one batch (the one definition; server/security.ts re-exports it). */
export const MAX_BATCH_EVENTS = 5000;
/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** One refused event: its position in the batch (NDJSON: line number − 1), its id if readable, why. */
export interface Refusal {
  index: number;
  id: string | null;
  field: string;
  error: string;
}

/** An event stored with a remark (an unknown item, a case number another sender also claims). */
export interface IngestWarning {
  index: number;
  id: string;
  field: string;
  warning: string;
}

/** The answer to a batch (EXCHANGE.md "Ingestion response"); `warnings` only when there are any. */
export interface IngestReport {
  stored: number;
  duplicates: number;
  refused: Refusal[];
  warnings?: IngestWarning[];
}

/** The HTTP status of a report: 200 all read, 207 some refused, 400 none could be read. */
export function reportStatus(r: IngestReport): 200 | 207 | 400 {
  if (r.refused.length === 0) return 200;
  return r.stored + r.duplicates === 0 ? 400 : 207;
}

/** Options of {@linkcode ingestEvents}. */
export interface IngestOptions {
  /** Check each event against its case's department (see below). */
  authorize?: IngestAuthorizer;
  /**
   * The event types the sender may push (server/auth/sender_kinds.ts); any other is refused with field
   * `type`. Absent: every type (the product's own writers: supervisors' reviews, the demo).
   */
  types?: ReadonlySet<EventType>;
  /** The sender's kind, for the refusal message of a type it may not push. */
  senderKind?: SenderKind;
  /**
   * Runs inside the storing transaction after the events are stored and their cases re-evaluated, with
   * the ids actually stored and those cases' evaluations — for writes that must commit together with
   * them (an audit record), and for callers that report how an event applied without evaluating again.
   */
  inTransaction?: (
    tx: Tx,
    stored: ReadonlySet<string>,
    evaluations: ReadonlyMap<string, Evaluation>,
  ) => Promise<void>;
}

/**
 * Ingest a batch: a JSON array already parsed, or NDJSON text. `sender` is recorded with each stored
 * event. Throws {@linkcode PayloadTooLargeError} for more than {@linkcode MAX_BATCH_EVENTS} events.
 * With `opts.authorize`, each event is checked against its case's department — the stored case's, else the
 * item of the case's `received` in this batch — and refused (field `case`, or `item` for a `received`)
 * when the sender may not push for it; the others are still stored. Once stored, the affected cases'
 * events from ingest senders out of scope for a now-known department are quarantined (server/write/quarantine.ts)
 * before the cases are re-evaluated.
 */
export async function ingestEvents(
  deps: AppDeps,
  body: unknown[] | string,
  sender: string,
  opts: IngestOptions = {},
): Promise<IngestReport> {
  const { types } = opts;
  const now = deps.clock();
  const refused: Refusal[] = [];
  const raws: { index: number; raw: unknown }[] = [];
  if (typeof body === "string") {
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
  } else {
    body.forEach((raw, index) => raws.push({ index, raw }));
  }
  if (raws.length + refused.length > MAX_BATCH_EVENTS) {
    throw new PayloadTooLargeError(
      `一批最多 ${MAX_BATCH_EVENTS} 个事件 (at most ${MAX_BATCH_EVENTS} events per batch)`,
    );
  }

  // Validate; within the batch, the first event of an id wins and later ones are duplicates or conflicts.
  const candidates = new Map<string, Candidate>();
  let duplicates = 0;
  for (const { index, raw } of raws) {
    // A known type the sender may not push is refused on `type` before its fields are looked at: a
    // `review` (no sender's kind) without `by` is refused for its type, not for the missing `by`.
    const type = (raw as { type?: unknown } | null)?.type;
    if (types && typeof type === "string" && isEventType(type) && !types.has(type)) {
      refused.push({
        index,
        id: idOf(raw),
        field: "type",
        error: typeRefusal(type, opts.senderKind ?? DEFAULT_SENDER_KIND),
      });
      continue;
    }
    const r = parseEvent(raw, { now });
    if (!r.ok) {
      refused.push({ index, id: idOf(raw), field: r.field, error: bilingual(r.field, r.error) });
      continue;
    }
    const hash = eventContentHash(r.event);
    const first = candidates.get(r.event.id);
    if (!first) candidates.set(r.event.id, { index, event: r.event, hash });
    else if (first.hash === hash) duplicates++;
    else refused.push(conflict(index, r.event.id));
  }

  let stored = 0;
  const warnings: IngestWarning[] = [];
  if (candidates.size > 0) {
    // What the transaction adds to the answer counts only once it committed: a retried attempt
    // (server/write/retry.ts: another instance stored one of the ids meanwhile, a lost connection)
    // starts over.
    const outcome = await retryTransaction(() =>
      deps.database.db.transaction((tx) => storeBatch(deps, tx, [...candidates.values()], sender, opts, now))
    );
    stored = outcome.stored;
    duplicates += outcome.duplicates;
    refused.push(...outcome.refused);
    warnings.push(...outcome.warnings);
  }
  refused.sort((a, b) => a.index - b.index);
  warnings.sort((a, b) => a.index - b.index);
  return { stored, duplicates, refused, ...(warnings.length ? { warnings } : {}) };
}

/** What one attempt at storing a batch decided. */
interface StoreOutcome {
  stored: number;
  duplicates: number;
  refused: Refusal[];
  warnings: IngestWarning[];
}

/**
 * Store the validated events of a batch and re-evaluate their cases, in the caller's transaction. Three
 * waits before the commit: the locks with every read the checks and the evaluation need; the insert of
 * the events sent together with the writes of their evaluation (events to be set aside first — rare —
 * cost more). Throws {@linkcode RetryBatch} when another writer stored one of the ids in between.
 */
async function storeBatch(
  deps: AppDeps,
  tx: Tx,
  candidates: readonly Candidate[],
  sender: string,
  opts: IngestOptions,
  now: number,
): Promise<StoreOutcome> {
  const out: StoreOutcome = { stored: 0, duplicates: 0, refused: [], warnings: [] };
  // Lock the cases first (with the reference data, one statement), then read what the checks need
  // (one statement) and the cases' stored state: the checks and the quarantine see every committed
  // event of the cases.
  const caseIds = [...new Set(candidates.map((c) => c.event.case))];
  const receiveds = candidates.flatMap((c) => (c.event.type === "received" ? [c.event] : []));
  const items = [...new Set(receiveds.map((e) => e.item))];
  const [facts, inputs] = await Promise.all([
    readBatchFacts(tx, sender, {
      caseIds,
      eventIds: candidates.map((c) => c.event.id),
      items,
      halls: [...new Set(receiveds.flatMap((e) => (e.hall ? [e.hall] : [])))],
    }),
    loadRecalcInputs(tx, caseIds, items),
  ]);
  // This sender's own earlier events: duplicates (acknowledged again, also when since held) or
  // conflicts — before any other check, so that a re-send after a lost answer is acknowledged
  // whatever happened to the case since.
  const unknown = candidates.filter((c) => {
    const hash = facts.known.get(c.event.id);
    if (hash === undefined) return true;
    if (hash === c.hash) out.duplicates++;
    else out.refused.push(conflict(c.index, c.event.id));
    return false;
  });
  const checked = checkBatch(unknown, sender, opts.authorize, facts);
  for (const r of checked.refused) {
    out.refused.push({ index: r.index, id: r.id, field: r.field, error: r.text });
  }
  const fresh = checked.kept;
  if (fresh.length === 0) return out;
  const added = new Map<string, CaseEvent[]>();
  for (const c of fresh) {
    const list = added.get(c.event.case);
    if (list) list.push(c.event);
    else added.set(c.event.case, [c.event]);
  }
  const inserted = new Set<string>();
  let sent = false;
  const insert = async () => {
    sent = true;
    for (const id of await insertEvents(tx, fresh, sender)) inserted.add(id);
    // An id this sender stored meanwhile from another instance: a duplicate or a conflict after all,
    // which the next attempt's read sees.
    if (inserted.size < fresh.length) throw new RetryBatch();
  };
  // Set aside what must not be evaluated: conflicting claimants' events, and — for cases whose
  // department this batch makes known — events of senders out of scope for it. Both change stored
  // events after the insert: the evaluation then waits for them and reads its cases afresh.
  const recheck = checked.recheck.filter((id) => added.has(id));
  const setAside = checked.conflicts.length > 0 || recheck.length > 0;
  const reload = new Set<string>();
  if (setAside) {
    await insert();
    for (const id of await holdConflicts(tx, checked.conflicts, now)) reload.add(id);
    if (recheck.length && await quarantineForeignEvents(tx, recheck, new Map(), { now }) > 0) {
      for (const id of recheck) reload.add(id);
    }
  }
  // Events set aside leave the kept timelines: those cases are read from `events` (rare).
  const { evaluations } = await recalculateCases(deps, tx, [...new Set([...added.keys(), ...reload])], now, {
    locked: true,
    added,
    reload,
    ...(setAside ? {} : { inputs, writeFirst: insert }),
  });
  if (!sent) await insert(); // the evaluation wrote nothing (it always does; kept safe)
  out.stored = inserted.size;
  for (const w of checked.warnings) {
    if (inserted.has(w.id)) out.warnings.push({ index: w.index, id: w.id, field: w.field, warning: w.text });
  }
  if (opts.inTransaction) await opts.inTransaction(tx, inserted, evaluations);
  return out;
}

/**
 * Claim the (sender, id) identities, insert the events of those claimed and record the case claims of
 * their `received`s (server/write/data_conflicts.ts), in one statement; returns the ids actually inserted (an
 * id this sender stored meanwhile is left out).
 */
async function insertEvents(
  tx: Tx,
  list: Candidate[],
  sender: string,
): Promise<string[]> {
  const json = JSON.stringify(list.map((c) => ({
    id: c.event.id,
    case_id: c.event.case,
    type: c.event.type,
    at: c.event.at,
    payload: c.event,
    content_hash: c.hash,
  })));
  const result = await tx.execute(
    sql`with x as (
      select * from jsonb_to_recordset(${json}::jsonb)
        as x(id text, case_id text, type text, at timestamptz, payload jsonb, content_hash text)
    ), k as (
      insert into event_keys (sender, event_id, content_hash, case_id)
      select ${sender}, x.id, x.content_hash, x.case_id from x
      on conflict do nothing
      returning event_id
    ), c as (
      insert into case_claims (case_id, sender, item)
      select x.case_id, ${sender}, x.payload->>'item' from x join k on k.event_id = x.id
      where x.type = 'received'
      on conflict do nothing
    )
    insert into events (id, case_id, type, at, payload, content_hash, sender)
    select x.id, x.case_id, x.type, x.at, x.payload, x.content_hash, ${sender}
    from x join k on k.event_id = x.id
    returning id`,
  );
  return rowsOf<{ id: string }>(result).map((r) => r.id);
}

function conflict(index: number, id: string): Refusal {
  return {
    index,
    id,
    field: "id",
    error: `本报送方已用此 id 报送过内容不同的事件，更正请作为新事件报送 ` +
      `(id ${id} was already received from this sender with different content; send corrections as new events)`,
  };
}

/** The id of a refused event as the answer can show it: shortened, with what cannot be shown replaced. */
const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  if (typeof id !== "string") return null;
  const shown = id.replaceAll("\u0000", "\uFFFD").toWellFormed();
  return shown.length > MAX_ID ? `${shown.slice(0, MAX_ID)}…` : shown;
}
