/**
 * Event ingestion: validate a batch, store the new events durably (one transaction, committed before
 * the answer), recognise duplicates (same id and content) and refuse conflicts (same id, other
 * content), and re-evaluate exactly the affected cases in the same transaction.
 *
 * @module
 */
import { and, eq, sql } from "drizzle-orm";
import { parseEvent } from "../rules/event_schema.ts";
import type { Evaluation } from "../rules/evaluate.ts";
import type { CaseEvent, EventType } from "../rules/types.ts";
import { rowsOf, type Tx } from "../db/client.ts";
import { cases, eventKeys } from "../db/schema.ts";
import { DEFAULT_SENDER_KIND, type SenderKind, typeRefusal } from "./auth/sender_kinds.ts";
import { inList } from "./bulk.ts";
import { eventContentHash } from "../rules/canonical.ts";
import type { AppDeps } from "./deps.ts";
import { PayloadTooLargeError } from "./errors.ts";
import { itemDepartments, quarantineForeignEvents, storedReceived } from "./quarantine.ts";
import { lockCases, recalculateCases } from "./recalc.ts";

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

interface Candidate {
  index: number;
  event: CaseEvent;
  hash: string;
}

/**
 * Whether the sender may push an event of a case whose item belongs to `department` (`null`: not known
 * yet). The events route passes the principal's check (server/auth/scope.ts `mayIngestFor`).
 */
export type IngestAuthorizer = (department: string | null) => boolean;

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
 * events from ingest senders out of scope for a now-known department are quarantined (server/quarantine.ts)
 * before the cases are re-evaluated.
 */
export async function ingestEvents(
  deps: AppDeps,
  body: unknown[] | string,
  sender: string,
  opts: IngestOptions = {},
): Promise<IngestReport> {
  const { authorize, inTransaction, types } = opts;
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
    const r = parseEvent(raw, { now });
    if (!r.ok) {
      refused.push({ index, id: idOf(raw), field: r.field, error: r.error });
      continue;
    }
    if (types && !types.has(r.event.type)) {
      refused.push({
        index,
        id: r.event.id,
        field: "type",
        error: typeRefusal(r.event.type, opts.senderKind ?? DEFAULT_SENDER_KIND),
      });
      continue;
    }
    const hash = eventContentHash(r.event);
    const first = candidates.get(r.event.id);
    if (!first) candidates.set(r.event.id, { index, event: r.event, hash });
    else if (first.hash === hash) duplicates++;
    else refused.push(conflict(index, r.event.id));
  }

  let stored = 0;
  if (candidates.size > 0) {
    await deps.database.db.transaction(async (tx) => {
      let fresh = [...candidates.values()];
      // Lock the cases first: the checks below and the quarantine then see every committed event of them.
      await lockCases(tx, fresh.map((c) => c.event.case));
      // This sender's own earlier events: duplicates (acknowledged again, also when since quarantined)
      // or conflicts — before any authorization check, so that a re-send after a lost answer is
      // acknowledged whatever happened to the case since.
      const known = await knownHashes(tx, sender, fresh.map((c) => c.event.id));
      fresh = fresh.filter((c) => {
        const hash = known.get(c.event.id);
        if (hash === undefined) return true;
        if (hash === c.hash) duplicates++;
        else refused.push(conflict(c.index, c.event.id));
        return false;
      });
      if (authorize) fresh = await keepAuthorized(tx, fresh, authorize, sender, refused);
      if (fresh.length === 0) return;
      const inserted = new Set(await insertEvents(tx, fresh, sender));
      let evaluations: ReadonlyMap<string, Evaluation> = new Map();
      // Ids this sender stored meanwhile from another instance: duplicates or conflicts after all.
      const raced = fresh.filter((c) => !inserted.has(c.event.id));
      if (raced.length) {
        const hashes = await knownHashes(tx, sender, raced.map((c) => c.event.id));
        for (const c of raced) {
          if (hashes.get(c.event.id) === c.hash) duplicates++;
          else refused.push(conflict(c.index, c.event.id));
        }
      }
      stored = inserted.size;
      const affected = [...new Set(fresh.filter((c) => inserted.has(c.event.id)).map((c) => c.event.case))];
      if (affected.length) {
        const setAside = await quarantineForeignEvents(tx, affected, new Map(), {
          singleSenderChecked: true,
        });
        const added = new Map<string, CaseEvent[]>();
        for (const c of fresh) {
          if (!inserted.has(c.event.id)) continue;
          const list = added.get(c.event.case);
          if (list) list.push(c.event);
          else added.set(c.event.case, [c.event]);
        }
        // Events set aside leave the kept timelines: read those cases from `events` (rare).
        const recalculated = await recalculateCases(deps, tx, affected, now, {
          locked: true,
          ...(setAside > 0 ? { reload: true } : { added }),
        });
        evaluations = recalculated.evaluations;
      }
      if (inTransaction) await inTransaction(tx, inserted, evaluations);
    });
  }
  refused.sort((a, b) => a.index - b.index);
  return { stored, duplicates, refused };
}

/** The content hashes this sender already stored under these event ids (one indexed read). */
async function knownHashes(tx: Tx, sender: string, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: eventKeys.eventId, hash: eventKeys.contentHash }).from(eventKeys)
    .where(and(eq(eventKeys.sender, sender), inList(eventKeys.eventId, ids)));
  return new Map(rows.map((r) => [r.id, r.hash]));
}

/**
 * Drop (and list in `refused`) the candidates whose case lies in a department the sender may not push
 * for. A case's department: the stored projection's, else that of the item named by the case's first
 * `received` in this batch; unknown (null) when neither is known yet. Also refused (field `case`): a
 * `received` for a case that already has a stored `received` from another sender naming another
 * department's item — the first to claim a case id keeps it.
 */
async function keepAuthorized(
  tx: Tx,
  list: Candidate[],
  authorize: IngestAuthorizer,
  sender: string,
  refused: Refusal[],
): Promise<Candidate[]> {
  const caseIds = [...new Set(list.map((c) => c.event.case))];
  const stored = await tx.select({ caseId: cases.caseId, department: cases.department }).from(cases)
    .where(inList(cases.caseId, caseIds));
  const department = new Map<string, string>();
  for (const r of stored) if (r.department) department.set(r.caseId, r.department);
  const batchItem = new Map<string, string>();
  for (const c of list) {
    if (c.event.type === "received" && !batchItem.has(c.event.case)) {
      batchItem.set(c.event.case, c.event.item);
    }
  }
  const claims = await storedReceived(tx, [...batchItem.keys()]);
  const named = list.flatMap((c) => (c.event.type === "received" ? [c.event.item] : []));
  const itemDepartment = await itemDepartments(tx, [...named, ...claims.map((r) => r.event.item)]);
  // The departments other senders already received each case for.
  const claimed = new Map<string, Set<string>>();
  for (const r of claims) {
    const d = itemDepartment.get(r.event.item);
    if (r.sender === sender || !d) continue;
    claimed.set(r.caseId, new Set([...claimed.get(r.caseId) ?? [], d]));
  }
  for (const [caseId, code] of batchItem) {
    const d = itemDepartment.get(code);
    if (!department.has(caseId) && d) department.set(caseId, d);
  }
  const kept: Candidate[] = [];
  for (const c of list) {
    const d = department.get(c.event.case) ?? null;
    // A `received` naming an item of a department outside the scope is refused even for a known case.
    const own = c.event.type === "received" ? itemDepartment.get(c.event.item) ?? null : null;
    const taken = own === null ? undefined : [...claimed.get(c.event.case) ?? []].find((x) => x !== own);
    if (taken !== undefined && authorize(own)) {
      refused.push({
        index: c.index,
        id: c.event.id,
        field: "case",
        error: `办件 ${c.event.case} 已由其他报送方按部门 ${taken} 报送 (case ${c.event.case} was already ` +
          `received for department ${taken} from another sender)`,
      });
      continue;
    }
    if (authorize(d) && authorize(own)) {
      kept.push(c);
      continue;
    }
    const field = own !== null && !authorize(own) ? "item" : "case";
    refused.push({
      index: c.index,
      id: c.event.id,
      field,
      error: `无权报送部门 ${
        field === "item" ? own : d
      } 的办件事件 (sender may not push events for department ${field === "item" ? own : d})`,
    });
  }
  return kept;
}

/**
 * Claim the (sender, id) identities and insert the events of those claimed, in one statement; returns
 * the ids actually inserted (an id this sender stored meanwhile is left out).
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

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
}
