/**
 * Data conflicts (数据冲突, EXCHANGE.md "Order and identity"): two senders claiming one case number for
 * different departments. Every `received` stored is a claim (`case_claims`: case, sender, item); a
 * batch reads the claims of its cases once, by key.
 *
 * When a sender's claim names another department than the case's established one (the department the
 * evaluator derives from the events being evaluated — for a case already evaluated, the stored case
 * row's), that sender's events of the case are held: kept and acknowledged, never evaluated, listed on
 * the case page with the reason (`events.quarantined`, like events out of a sender's scope), and a
 * `data_conflict` item opens in the manual queue (one per case and claimant, `subject` = the claimant)
 * for the supervision agency to resolve. Nothing is refused or lost because of it, and the established
 * sender's events are never touched: no sender can hide, block or hold another's events by claiming
 * its case number late. (A sender that claims a case number before its owner does holds the owner's
 * events until a supervisor resolves the conflict — visible in the queue, never silent.)
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client.ts";
import { textArray } from "./bulk.ts";

/** The queue item kind of a data conflict. */
export const DATA_CONFLICT = "data_conflict";

/** One sender's claim of a case: the item its `received` named, and that item's department if known. */
export interface Claim {
  caseId: string;
  sender: string;
  item: string;
  department: string | null;
}

/** A claimant whose claim conflicts with the case's established department. */
export interface Conflict {
  caseId: string;
  sender: string;
  /** The department(s) the claimant named, comma-separated. */
  claimed: string;
  /** The case's established department. */
  established: string;
}

/**
 * The query of the cases' claims with their items' departments (one indexed read): columns case_id,
 * sender, item, department — {@linkcode loadClaims} runs it alone, ingestion with its other reads.
 */
export function claimsQuery(caseIds: readonly string[]): SQL {
  return sql`select c.case_id, c.sender, c.item, i.department
    from case_claims c left join items i on i.code = c.item
    where c.case_id = any(${textArray(caseIds)}::text[])`;
}

/** The claims of the cases (one indexed read), with their items' departments. */
export async function loadClaims(tx: Tx, caseIds: readonly string[]): Promise<Claim[]> {
  if (caseIds.length === 0) return [];
  const rows = rowsOf<{ case_id: string; sender: string; item: string; department: string | null }>(
    await tx.execute(claimsQuery(caseIds)),
  );
  return rows.map((r) => ({ caseId: r.case_id, sender: r.sender, item: r.item, department: r.department }));
}

/**
 * The claimants of a case in conflict with its established department: senders whose claims name
 * only other known departments. Pure.
 */
export function conflictsOf(
  caseId: string,
  established: string | null,
  claims: readonly Claim[],
): Conflict[] {
  if (established === null) return [];
  const bySender = new Map<string, Set<string>>();
  for (const c of claims) {
    if (c.caseId !== caseId || c.department === null) continue;
    const set = bySender.get(c.sender) ?? new Set<string>();
    set.add(c.department);
    bySender.set(c.sender, set);
  }
  const out: Conflict[] = [];
  for (const [sender, named] of bySender) {
    if (named.has(established)) continue;
    out.push({ caseId, sender, claimed: [...named].sort().join(","), established });
  }
  return out;
}

/** The reason stored with a held event of a conflicting claimant. */
export function conflictReason(c: Conflict): string {
  return `数据冲突：报送方 ${c.sender} 按其他部门报送了此办件编号，待监察机构裁定 ` +
    `(data conflict: sender ${c.sender} claims this case number for department ${c.claimed}; ` +
    `held for the supervision agency)`;
}

/**
 * Hold the conflicting claimants' events of their cases (those not set aside yet) and open one
 * `data_conflict` queue item per case and claimant that has none (open or closed: a resolved
 * conflict is not reopened by further events). Two statements for any number of conflicts. Returns
 * the cases whose events were held.
 */
export async function holdConflicts(
  tx: Tx,
  conflicts: readonly Conflict[],
  now: number,
): Promise<Set<string>> {
  if (conflicts.length === 0) return new Set();
  const json = JSON.stringify(conflicts.map((c) => ({
    case_id: c.caseId,
    sender: c.sender,
    reason: conflictReason(c),
    established: c.established,
  })));
  const held = rowsOf<{ case_id: string }>(
    await tx.execute(sql`update events e set quarantined = x.reason
      from jsonb_to_recordset(${json}::jsonb) as x(case_id text, sender text, reason text, established text)
      where e.case_id = x.case_id and e.sender = x.sender and e.quarantined is null
      returning e.case_id`),
  );
  await tx.execute(sql`insert into manual_queue (case_id, rule, kind, subject, opened_at, department, region)
    select x.case_id, '', ${DATA_CONFLICT}, x.sender, ${new Date(now).toISOString()}::timestamptz,
      x.established, d.region
    from jsonb_to_recordset(${json}::jsonb) as x(case_id text, sender text, reason text, established text)
    left join departments d on d.code = x.established
    where not exists (select 1 from manual_queue q
      where q.case_id = x.case_id and q.kind = ${DATA_CONFLICT} and q.subject = x.sender)
    on conflict do nothing`);
  return new Set(held.map((r) => r.case_id));
}
