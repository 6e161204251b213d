/**
 * Event ingestion: validate a batch, store the new events durably (one transaction, committed before
 * the answer), recognise duplicates (same sender, id and content) and refuse conflicts (same sender and
 * id, other content), and re-evaluate exactly the affected cases in the same transaction. Every bad
 * value is refused for its event alone, naming index, id and field; the rest of the batch is stored.
 *
 * The database and the process take turns as little as possible: one transaction per batch, whatever
 * its size, whose statements are sent ahead of the work that does not need their answers (see
 * storeBatch below). It sends the case locks and every read for what the events as sent name
 * (server/write/ingest_facts.ts: the locks with the items, halls and regions, then the cases'
 * departments and claims — and, from a second attempt on, the sender's known ids: the first counts on
 * new events and finds a re-send from its insert; server/write/recalc.ts: the cases' stored state), and
 * validates the events (server/write/ingest_validate.ts) while the database runs them; after the checks
 * (server/write/ingest_checks.ts) it sends the insert of keys, events and claims and evaluates the cases
 * (rules/) while the database inserts, part by part, each part's writes (server/write/apply.ts) sent
 * before the next part is evaluated; then the counters, one wait, commit. A transaction that lost a race
 * for an id or its connection runs again (server/write/retry.ts).
 *
 * @module
 */
import { sql } from "drizzle-orm";
import type { Evaluation } from "../../rules/evaluate.ts";
import type { CaseEvent, EventType } from "../../rules/types.ts";
import { letStatementsGo, rowsOf, type Tx } from "../../db/client.ts";
import type { SenderKind } from "../auth/sender_kinds.ts";
import { holdConflicts } from "./data_conflicts.ts";
import type { AppDeps } from "../deps.ts";
import { PayloadTooLargeError } from "../errors.ts";
import { type Candidate, checkBatch, type IngestAuthorizer } from "./ingest_checks.ts";
import { quarantineForeignEvents } from "./quarantine.ts";
import { textArray } from "./bulk.ts";
import { type FactsWanted, readBatchFacts } from "./ingest_facts.ts";
import {
  conflict,
  covers,
  readBody,
  type Refusal,
  type Validated,
  validateEvents,
  wantedBy,
  wantedOf,
} from "./ingest_validate.ts";
import { loadRecalcInputs, recalculateCases } from "./recalc.ts";
import { RetryBatch, retryTransaction } from "./retry.ts";

export type { IngestAuthorizer } from "./ingest_checks.ts";
export type { Refusal } from "./ingest_validate.ts";

/** Most events accepted in one batch (the one definition; server/security.ts re-exports it). */
export const MAX_BATCH_EVENTS = 5000;
/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

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
  const now = deps.clock();
  const { raws, refused } = readBody(body);
  if (raws.length + refused.length > MAX_BATCH_EVENTS) {
    throw new PayloadTooLargeError(
      `一批最多 ${MAX_BATCH_EVENTS} 个事件 (at most ${MAX_BATCH_EVENTS} events per batch)`,
    );
  }
  // Validated once, inside the first attempt's transaction while its locks and reads run (storeBatch).
  let validated: Validated | undefined;
  const validate = () => validated ??= validateEvents(raws, opts, now);
  const wanted: Wanted = { facts: wantedOf(raws), attempts: 0 };
  const nothing: StoreOutcome = { stored: 0, duplicates: 0, refused: [], warnings: [] };
  // No case id that a valid event could have: nothing to store, no transaction.
  const outcome = wanted.facts.caseIds.length === 0 ? nothing : await retryTransaction(() =>
    // What the transaction adds to the answer counts only once it committed: a retried attempt
    // (server/write/retry.ts: another instance stored one of the ids meanwhile, a lost connection)
    // starts over.
    deps.database.db.transaction((tx) => storeBatch(deps, tx, validate, wanted, sender, opts, now))
      // A batch with no valid event answers as it would without a database.
      .catch((err) => {
        if (validate().candidates.length === 0) return nothing;
        throw err;
      })
  );
  const { duplicates, warnings } = outcome;
  refused.push(...validate().refused, ...outcome.refused);
  refused.sort((a, b) => a.index - b.index);
  warnings.sort((a, b) => a.index - b.index);
  return {
    stored: outcome.stored,
    duplicates: validate().duplicates + duplicates,
    refused,
    ...(warnings.length ? { warnings } : {}),
  };
}

/** What the attempts at storing a batch read, and how many were made. */
interface Wanted {
  facts: FactsWanted;
  attempts: number;
}

/** What one attempt at storing a batch decided. */
interface StoreOutcome {
  stored: number;
  duplicates: number;
  refused: Refusal[];
  warnings: IngestWarning[];
}

/**
 * Store the valid events of a batch and re-evaluate their cases, in the caller's transaction, in this
 * order — each wait of the database overlapping work of the process:
 *
 * 1. send the case locks and every read the checks and the evaluation need, for what the events as
 *    sent name (`wanted`, a superset of the valid events');
 * 2. validate and hash the events meanwhile (`validate`: once for all attempts); wait for the reads;
 * 3. the checks (server/write/ingest_checks.ts), in memory;
 * 4. send the insert of the events, then evaluate the cases part by part, each part's writes sent
 *    before the next is evaluated (server/write/recalc.ts, server/write/apply.ts); the counters and the
 *    NOTIFY last; wait for all. Events to be set aside first (rare) are inserted and set aside before
 *    the evaluation, which then reads their cases afresh.
 *
 * Throws {@linkcode RetryBatch} when one of the ids was stored before: by another writer in between, or
 * — the first attempt does not read the sender's known ids — a re-send, answered by the next attempt
 * (a duplicate or a conflict before any other check, as that attempt reads the known ids first).
 */
async function storeBatch(
  deps: AppDeps,
  tx: Tx,
  validate: () => Validated,
  wanted: Wanted,
  sender: string,
  opts: IngestOptions,
  now: number,
): Promise<StoreOutcome> {
  const out: StoreOutcome = { stored: 0, duplicates: 0, refused: [], warnings: [] };
  // Lock the cases first (with the reference data, one statement), then read what the checks need
  // (one statement) and the cases' stored state: the checks and the quarantine see every committed
  // event of the cases.
  const want = wanted.facts;
  // The sender's known ids are read from the second attempt on: the first counts on a batch of new
  // events (the usual case) and finds out from its insert and `alsoKnown` whether one was known.
  const optimistic = ++wanted.attempts === 1;
  const reading = Promise.all([
    readBatchFacts(tx, sender, optimistic ? { ...want, eventIds: [] } : want),
    loadRecalcInputs(tx, want.caseIds, want.items),
  ]);
  reading.catch(() => {}); // awaited below, after the validation
  await letStatementsGo();
  const { candidates } = validate();
  if (candidates.length === 0) return out;
  if (!covers(want, candidates)) {
    // Validation changed a code it kept (it does not): lock and read exactly the valid events' instead.
    wanted.facts = wantedBy(candidates);
    throw new RetryBatch("the events as sent named other cases than the valid events");
  }
  const [facts, inputs] = await reading;
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
  // Without the known ids read, an event refused by the checks may be a re-send: a duplicate or a
  // conflict, which the next attempt reads first.
  const known = optimistic ? alsoKnown(tx, sender, checked.refused.map((r) => r.id)) : Promise.resolve(false);
  known.catch(() => {}); // awaited before answering
  const fresh = checked.kept;
  if (fresh.length === 0) {
    if (await known) throw new RetryBatch("a refused event was sent before");
    return out;
  }
  const added = new Map<string, CaseEvent[]>();
  for (const c of fresh) {
    const list = added.get(c.event.case);
    if (list) list.push(c.event);
    else added.set(c.event.case, [c.event]);
  }
  const inserted = new Set<string>();
  const insert = async () => {
    for (const id of await insertEvents(tx, fresh, sender)) inserted.add(id);
    // An id this sender stored meanwhile from another instance: a duplicate or a conflict after all,
    // which the next attempt's read sees.
    if (inserted.size < fresh.length) throw new RetryBatch();
  };
  // Set aside what must not be evaluated: conflicting claimants' events, and — for cases whose
  // department this batch makes known — events of senders out of scope for it. Both change stored
  // events after the insert: the evaluation then waits for them and reads its cases afresh (rare).
  const recheck = checked.recheck.filter((id) => added.has(id));
  const setAside = checked.conflicts.length > 0 || recheck.length > 0;
  const reload = new Set<string>();
  let storing: Promise<void>;
  if (setAside) {
    await (storing = insert());
    for (const id of await holdConflicts(tx, checked.conflicts, now)) reload.add(id);
    if (recheck.length && await quarantineForeignEvents(tx, recheck, new Map(), { now }) > 0) {
      for (const id of recheck) reload.add(id);
    }
  } else {
    // Sent before evaluating: the database stores the events while the cases are evaluated.
    storing = insert();
    storing.catch(() => {}); // awaited below, after the evaluation's writes
    await letStatementsGo();
  }
  const { evaluations } = await recalculateCases(deps, tx, [...new Set([...added.keys(), ...reload])], now, {
    locked: true,
    added,
    reload,
    ...(setAside ? {} : { inputs }),
  });
  await storing;
  if (await known) throw new RetryBatch("a refused event was sent before");
  out.stored = inserted.size;
  for (const w of checked.warnings) {
    if (inserted.has(w.id)) out.warnings.push({ index: w.index, id: w.id, field: w.field, warning: w.text });
  }
  if (opts.inTransaction) await opts.inTransaction(tx, inserted, evaluations);
  return out;
}

/** Whether the sender stored any of these event ids before (false at once for none). */
async function alsoKnown(tx: Tx, sender: string, ids: readonly string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const rows = await tx.execute(sql`select 1 from event_keys
    where sender = ${sender} and event_id = any(${textArray(ids)}::text[]) limit 1`);
  return rowsOf(rows).length > 0;
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
  // Each event travels once, as its payload: its id, case, type and instant are read from it.
  const json = JSON.stringify(list.map((c) => ({ payload: c.event, content_hash: c.hash })));
  const result = await tx.execute(
    sql`with x as (
      select r.payload->>'id' as id, r.payload->>'case' as case_id, r.payload->>'type' as type,
        (r.payload->>'at')::timestamptz as at, r.payload, r.content_hash
      from jsonb_to_recordset(${json}::jsonb) as r(payload jsonb, content_hash text)
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
