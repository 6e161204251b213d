/**
 * Quarantine (隔离) of events pushed before their case's department was known.
 *
 * EXCHANGE.md allows any arrival order, so an ingest client may push a case's events before its
 * `received`: the department is unknown, the events are accepted and held. Once a `received` makes the
 * department known, the events of every ingest account whose scope does not cover that department are
 * set aside: `events.quarantined` gets the reason. They stay stored and acknowledged (a re-send is
 * still a duplicate), are listed on the case view, and are never evaluated (server/write/recalc.ts
 * `loadCaseEvents` skips them). Senders that are not ingest accounts — supervisors' reviews stored under
 * their usernames, the demo, system senders — are never quarantined.
 *
 * The case's department is the one the evaluator uses: the item of its first `received` in timeline
 * order among the events not set aside.
 *
 * @module
 */
import { and, asc, eq, inArray, isNotNull, isNull } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { events, items } from "../../db/schema.ts";
import { users } from "../../db/schema_auth.ts";
import { caseDepartment } from "../../rules/case_department.ts";
import type { CaseEvent } from "../../rules/types.ts";
import { mayIngestFor, resolveScope, type Scope } from "../auth/scope.ts";
import { inList } from "./bulk.ts";
import { conflictsOf, holdConflicts, loadClaims } from "./data_conflicts.ts";

type Received = Extract<CaseEvent, { type: "received" }>;

/** Ingest senders' scopes by username, `null` for senders that are not ingest accounts; one per batch. */
export type SenderScopes = Map<string, Scope | null>;

/** The reason stored with a quarantined event. */
export function quarantineReason(sender: string, department: string): string {
  return `报送方 ${sender} 无权报送部门 ${department} 的办件 (sender ${sender} may not push for department ${department})`;
}

/** The department of each item code that is in the catalogue. */
export async function itemDepartments(tx: Tx, codes: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(codes)];
  if (list.length === 0) return new Map();
  const rows = await tx.select({ code: items.code, department: items.department }).from(items)
    .where(inArray(items.code, list));
  return new Map(rows.map((r) => [r.code, r.department]));
}

/** The stored `received` events (not set aside) of the cases, with their senders, in arrival order. */
export async function storedReceived(
  tx: Tx,
  caseIds: readonly string[],
): Promise<{ caseId: string; sender: string; event: Received }[]> {
  if (caseIds.length === 0) return [];
  const rows = await tx.select({ caseId: events.caseId, sender: events.sender, payload: events.payload })
    .from(events)
    .where(and(inList(events.caseId, caseIds), eq(events.type, "received"), isNull(events.quarantined)))
    .orderBy(asc(events.seq));
  return rows.map((r) => ({ caseId: r.caseId, sender: r.sender, event: r.payload as Received }));
}

/**
 * The department of each case whose first `received` (timeline order) names a catalogue item — the
 * evaluator's definition (rules/case_department.ts), over the stored events not set aside.
 */
async function caseDepartments(tx: Tx, caseIds: readonly string[]): Promise<Map<string, string>> {
  const byCase = new Map<string, CaseEvent[]>();
  for (const r of await storedReceived(tx, caseIds)) {
    byCase.set(r.caseId, [...byCase.get(r.caseId) ?? [], r.event]);
  }
  const departments = await itemDepartments(tx, [...byCase.values()].flat().map((e) => (e as Received).item));
  const out = new Map<string, string>();
  for (const [caseId, list] of byCase) {
    const d = caseDepartment(list, (code) => departments.get(code));
    if (d) out.set(caseId, d);
  }
  return out;
}

/** Fill `cache` with the scopes of the senders not in it yet. */
async function loadSenderScopes(tx: Tx, senders: Iterable<string>, cache: SenderScopes): Promise<void> {
  const missing = [...new Set(senders)].filter((s) => !cache.has(s));
  if (missing.length === 0) return;
  const rows = await tx.select({
    username: users.username,
    role: users.role,
    departments: users.departments,
    region: users.region,
    senderKind: users.senderKind,
  }).from(users).where(inArray(users.username, missing));
  for (const s of missing) cache.set(s, null);
  for (const r of rows) {
    if (r.role !== "ingest") continue;
    cache.set(
      r.username,
      await resolveScope(tx, {
        role: "ingest",
        departments: r.departments,
        region: r.region,
        senderKind: r.senderKind,
      }),
    );
  }
}

/**
 * Set aside the events of the cases whose senders are ingest accounts out of scope for the case's
 * department (only events not set aside yet). Call with the cases locked, after storing a batch and
 * before evaluating it. Senders claiming the case for another department (server/write/data_conflicts.ts)
 * are held as a data conflict (`opts.now` dates the queue item). With `singleSenderChecked`, cases with
 * a single sender are skipped. Repeats while setting aside changes a case's first `received` (which
 * happens only when an item's department changed after its `received` was accepted). Returns how many
 * events (or, for conflicts, cases) were set aside.
 */
export async function quarantineForeignEvents(
  tx: Tx,
  caseIds: readonly string[],
  cache: SenderScopes,
  opts: { singleSenderChecked?: boolean; now: number },
): Promise<number> {
  let total = 0;
  let pending = [...new Set(caseIds)];
  for (let round = 0; round < 4 && pending.length > 0; round++) {
    const changed = new Set<string>();
    const all = await tx.selectDistinct({ caseId: events.caseId, sender: events.sender }).from(events)
      .where(and(inList(events.caseId, pending), isNull(events.quarantined)));
    // At ingestion (`singleSenderChecked`), a case all of whose events come from one sender needs no
    // check: a department known now came from that sender's `received`, itself checked against its
    // item's department (the usual case, and the fast path). Not so when an item arrives late.
    const senders = new Map<string, number>();
    for (const p of all) senders.set(p.caseId, (senders.get(p.caseId) ?? 0) + 1);
    const least = opts.singleSenderChecked ? 2 : 1;
    const shared = [...senders].filter(([, n]) => n >= least).map(([caseId]) => caseId);
    if (shared.length === 0) break;
    const departments = await caseDepartments(tx, shared);
    if (departments.size === 0) break;
    // Senders claiming a case for another department than its own: a data conflict, held as such.
    const claims = await loadClaims(tx, [...departments.keys()]);
    const conflicts = [...departments].flatMap(([caseId, d]) => conflictsOf(caseId, d, claims));
    const held = conflicts.length ? await holdConflicts(tx, conflicts, opts.now) : new Set<string>();
    total += held.size;
    for (const c of conflicts) if (held.has(c.caseId)) changed.add(c.caseId);
    const pairs = all.filter((p) => departments.has(p.caseId));
    await loadSenderScopes(tx, pairs.map((p) => p.sender), cache);
    for (const { caseId, sender } of pairs) {
      const scope = cache.get(sender);
      const department = departments.get(caseId)!;
      if (!scope || mayIngestFor({ role: "ingest", scope }, department)) continue;
      const rows = await tx.update(events).set({ quarantined: quarantineReason(sender, department) })
        .where(and(eq(events.caseId, caseId), eq(events.sender, sender), isNull(events.quarantined)))
        .returning({ type: events.type });
      total += rows.length;
      if (rows.some((r) => r.type === "received")) changed.add(caseId);
    }
    pending = [...changed];
  }
  return total;
}

/** One event set aside, as the case view lists it. */
export interface QuarantinedEvent {
  id: string;
  type: string;
  at: string;
  sender: string;
  reason: string;
  storedAt: Date;
  event: CaseEvent;
}

/** The quarantined events of a case, in arrival order. */
export async function loadQuarantinedEvents(tx: Tx, caseId: string): Promise<QuarantinedEvent[]> {
  const rows = await tx.select({
    sender: events.sender,
    reason: events.quarantined,
    storedAt: events.storedAt,
    payload: events.payload,
  }).from(events)
    .where(and(eq(events.caseId, caseId), isNotNull(events.quarantined)))
    .orderBy(asc(events.seq));
  return rows.map((r) => {
    const event = r.payload as CaseEvent;
    return {
      id: event.id,
      type: event.type,
      at: event.at,
      sender: r.sender,
      reason: r.reason!,
      storedAt: r.storedAt,
      event,
    };
  });
}
