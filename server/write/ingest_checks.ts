/**
 * The checks of a batch against what is stored, before anything is written: the case's department
 * (scope), the claims of other senders (data conflicts), the item and the hall of each `received`.
 * Pure: the reads (cases, claims, items, halls with their regions' ancestors) are made for the whole
 * batch at once by server/write/ingest_facts.ts.
 *
 * - An event of a case whose department is known and outside the sender's scope is refused (field
 *   `case`; the message does not name the department), unless the sender itself claims the case for
 *   another department: then it is a data conflict (server/write/data_conflicts.ts), stored and held.
 * - A `received` naming an item of a department outside the scope is refused (field `item`); one
 *   naming an item not in the catalogue, or of a department not registered, is stored with a warning.
 * - A `received`'s `hall` must exist and lie in the region of the item's department or a region above
 *   it (field `hall`): a case is never placed in another city's hall.
 *
 * @module
 */
import { caseDepartment } from "../../rules/case_department.ts";
import type { CaseEvent, EventOf } from "../../rules/types.ts";
import { type Claim, type Conflict, conflictsOf } from "./data_conflicts.ts";
import type { BatchFacts } from "./ingest_facts.ts";

/** A validated event of the batch with its position and content hash. */
export interface Candidate {
  index: number;
  event: CaseEvent;
  hash: string;
}

/** Whether the sender may push for a department (`null`: not known yet). */
export type IngestAuthorizer = (department: string | null) => boolean;

/** A refusal or a warning about one event. */
export interface Remark {
  index: number;
  id: string;
  field: string;
  text: string;
}

/** What the checks decided. */
export interface CheckOutcome {
  kept: Candidate[];
  refused: Remark[];
  warnings: Remark[];
  /** Cases stored before with an unknown department that this batch makes known: check every sender. */
  recheck: string[];
  /** Claimants (this sender or others) in conflict with a case's established department. */
  conflicts: Conflict[];
}

type Received = EventOf<"received">;

/**
 * Run the checks of a batch from one sender over what was read of the database (server/write/ingest_facts.ts,
 * read with the cases locked). Pure.
 */
export function checkBatch(
  list: readonly Candidate[],
  sender: string,
  authorize: IngestAuthorizer | undefined,
  facts: BatchFacts,
): CheckOutcome {
  const out: CheckOutcome = { kept: [], refused: [], warnings: [], recheck: [], conflicts: [] };
  if (list.length === 0) return out;
  const caseIds = [...new Set(list.map((c) => c.event.case))];
  const receiveds = list.filter((c): c is Candidate & { event: Received } => c.event.type === "received");
  const { cases: rows, items } = facts;
  const claimsOf = (id: string) => facts.claims.get(id) ?? [];

  // Per case: the established department (the stored row's), else the one this batch's `received`s give.
  const byCase = new Map<string, Received[]>();
  for (const c of receiveds) byCase.set(c.event.case, [...byCase.get(c.event.case) ?? [], c.event]);
  const department = new Map<string, string | null>();
  for (const id of caseIds) {
    const stored = rows.get(id);
    department.set(
      id,
      stored ?? caseDepartment(byCase.get(id) ?? [], (code) => items.get(code)?.department),
    );
  }
  const ownClaims = new Set(
    caseIds.filter((id) => claimsOf(id).some((c) => c.sender === sender && c.department)),
  );

  const receivedKept: Claim[] = [];
  for (const c of list) {
    const e = c.event;
    const remark = (field: string, text: string) => ({ index: c.index, id: e.id, field, text });
    if (e.type === "received") {
      const info = items.get(e.item);
      if (info && authorize && !authorize(info.department)) {
        out.refused.push(remark(
          "item",
          `无权报送部门 ${info.department} 的办件事件 (sender may not push events for department ${info.department})`,
        ));
        continue;
      }
      if (e.hall !== undefined) {
        const region = facts.halls.get(e.hall);
        if (region === undefined) {
          out.refused.push(remark("hall", `大厅编码 ${e.hall} 未登记 (unknown hall ${e.hall})`));
          continue;
        }
        if (info?.region && !facts.above.get(info.region)?.has(region)) {
          out.refused.push(remark(
            "hall",
            `大厅 ${e.hall} 不在办件所属部门的地区或其上级地区 ` +
              `(hall ${e.hall} is not in the region of the case's department or a region above it)`,
          ));
          continue;
        }
      }
      if (!info) {
        out.warnings.push(remark(
          "item",
          "事项编码未登记，办件暂列为信息不全 (item code not registered; the case is listed as incomplete)",
        ));
      } else if (!info.region) {
        out.warnings.push(remark(
          "item",
          `事项所属部门 ${info.department} 未登记，办件暂不计入任何部门 ` +
            `(the item's department ${info.department} is not registered; the case counts for no department yet)`,
        ));
      }
    }
    const d = department.get(e.case) ?? null;
    if (authorize && d !== null && !authorize(d)) {
      // Out of scope — unless the sender claims this case number for another department (a conflict).
      const claimsOther = ownClaims.has(e.case) ||
        (byCase.get(e.case) ?? []).some((r) => items.get(r.item) && authorize(items.get(r.item)!.department));
      if (!claimsOther) {
        out.refused.push(remark(
          "case",
          `办件 ${e.case} 不属于本报送方可报送的部门 (case ${e.case} is not in a department this sender may push for)`,
        ));
        continue;
      }
    }
    out.kept.push(c);
    if (e.type === "received") {
      receivedKept.push({
        caseId: e.case,
        sender,
        item: e.item,
        department: items.get(e.item)?.department ?? null,
      });
    }
  }

  const keptByCase = new Map<string, Claim[]>();
  for (const c of receivedKept) keptByCase.set(c.caseId, [...keptByCase.get(c.caseId) ?? [], c]);
  for (const id of caseIds) {
    const established = rows.get(id);
    if (rows.has(id) && established === null) {
      if (byCase.has(id) && department.get(id) !== null) out.recheck.push(id);
      continue;
    }
    if (!established) continue;
    const all = [...claimsOf(id), ...(keptByCase.get(id) ?? [])];
    out.conflicts.push(...conflictsOf(id, established, all));
  }
  for (const conflict of out.conflicts) {
    if (conflict.sender !== sender) continue;
    for (const c of out.kept) {
      if (c.event.case !== conflict.caseId || c.event.type !== "received") continue;
      out.warnings.push({
        index: c.index,
        id: c.event.id,
        field: "case",
        text: `办件编号 ${c.event.case} 已由其他部门报送，已转监察机构核处，本报送方的事件暂不计算 ` +
          `(case number ${c.event.case} was received for another department; referred to the supervision ` +
          `agency, this sender's events of it are held)`,
      });
    }
  }
  return out;
}
