/**
 * What ingestion reads before deciding about a batch, in two statements whatever the batch's size,
 * sent at once (pipelined on PostgreSQL: one wait):
 *
 * 1. the cases' locks (server/write/recalc.ts `caseLocksQuery`), together with the reference data the checks
 *    need — the `received`s' items with their departments' regions, the halls named, and every region
 *    above those regions;
 * 2. a new statement (so that its snapshot sees every batch committed while this one waited for the
 *    locks): the sender's event ids already stored (event_keys), the stored cases' departments, and
 *    the cases' claims (case_claims) with their items' departments.
 *
 * Each statement is a `union all` of tagged text rows, read back into maps.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client.ts";
import { textArray } from "./bulk.ts";
import { type Claim, claimsQuery } from "./data_conflicts.ts";
import { caseLocksQuery } from "./recalc.ts";

/** An item's department and that department's region (null when the department is not registered). */
export interface ItemInfo {
  department: string;
  region: string | null;
}

/** What the checks of a batch know of the database. */
export interface BatchFacts {
  /** The content hash of each of the batch's event ids that this sender already stored. */
  known: Map<string, string>;
  /** Each stored case's department (null: not known yet); cases not stored are absent. */
  cases: Map<string, string | null>;
  /** The claims of the batch's cases, by case. */
  claims: Map<string, Claim[]>;
  items: Map<string, ItemInfo>;
  /** Each named hall's region. */
  halls: Map<string, string>;
  /** Each item department's region with itself and every region above it (only when halls are named). */
  above: Map<string, Set<string>>;
}

/** What to read: the batch's case ids, event ids, the items and halls its `received`s name. */
export interface FactsWanted {
  caseIds: readonly string[];
  eventIds: readonly string[];
  items: readonly string[];
  halls: readonly string[];
}

type Row = { k: string; a: string; b: string | null; c: string | null; d: string | null };

/** Lock the batch's cases and read what its checks need (two statements). */
export async function readBatchFacts(tx: Tx, sender: string, want: FactsWanted): Promise<BatchFacts> {
  const facts: BatchFacts = {
    known: new Map(),
    cases: new Map(),
    claims: new Map(),
    items: new Map(),
    halls: new Map(),
    above: new Map(),
  };
  // Sent together: on PostgreSQL the two are pipelined on the transaction's connection (one wait), and
  // the second still starts only after the first has taken every lock.
  const ids = textArray(want.caseIds);
  const [, first, second] = (await Promise.all([
    // The rest of the transaction runs serial plans: its reads are a few thousand index probes, for which
    // starting parallel workers costs more than it saves (2× slower measured on a busy 2-core server).
    tx.execute(sql`set local max_parallel_workers_per_gather = 0`),
    tx.execute(sql`with recursive locked as (${caseLocksQuery(want.caseIds)}),
      it as (select i.code, i.department, d.region from items i left join departments d on d.code = i.department
        where i.code = any(${textArray(want.items)}::text[])),
      up(start, code) as (
        select code, code from regions
        where ${want.halls.length > 0} and code in (select region from it where region is not null)
        union
        select up.start, r.parent from up join regions r on r.code = up.code where r.parent is not null)
      select 'lock' as k, n::text as a, null::text as b, null::text as c, null::text as d from locked
      union all select 'item', code, department, region, null from it
      union all select 'hall', code, region, null, null from halls
        where code = any(${textArray(want.halls)}::text[])
      union all select 'above', start, code, null, null from up`),
    tx.execute(sql`select 'key' as k, event_id as a, content_hash as b, null::text as c, null::text as d
        from event_keys where sender = ${sender} and event_id = any(${textArray(want.eventIds)}::text[])
      union all select 'case', case_id, department, null, null from cases where case_id = any(${ids}::text[])
      union all select 'claim', q.* from (${claimsQuery(want.caseIds)}) q`),
  ])).map((result) => rowsOf<Row>(result));
  for (const r of first) {
    if (r.k === "item") facts.items.set(r.a, { department: r.b!, region: r.c });
    else if (r.k === "hall") facts.halls.set(r.a, r.b!);
    else if (r.k === "above") facts.above.set(r.a, (facts.above.get(r.a) ?? new Set()).add(r.b!));
  }
  for (const r of second) {
    if (r.k === "key") facts.known.set(r.a, r.b!);
    else if (r.k === "case") facts.cases.set(r.a, r.b);
    else if (r.k === "claim") {
      const claim: Claim = { caseId: r.a, sender: r.b!, item: r.c!, department: r.d };
      const list = facts.claims.get(r.a);
      if (list) list.push(claim);
      else facts.claims.set(r.a, [claim]);
    }
  }
  return facts;
}
