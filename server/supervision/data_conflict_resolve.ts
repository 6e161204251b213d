/**
 * Resolving a data conflict (数据冲突, server/write/data_conflicts.ts): two senders claim one case number for
 * different departments; the supervision agency decides which sender the case belongs to.
 *
 * In one transaction, under the case's lock: the rightful sender's events held for the conflict are
 * released (its events held for another reason — outside its scope — stay held); every other
 * claimant's events of the case are held with a reason naming the decision (the case's former owner
 * included, when the supervisor rules for the late claimant); the case is evaluated afresh from its
 * stored events; every open `data_conflict` item of the case closes, and each losing claimant gets a
 * closed item, so its further events are held without reopening the conflict; the decision is audited
 * with the account and its office name.
 *
 * @module
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, type Tx } from "../../db/client.ts";
import { manualQueue } from "../../db/schema.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import { scopeWhere } from "../auth/scope.ts";
import { DATA_CONFLICT, loadClaims } from "../write/data_conflicts.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { lockCases, recalculateCases } from "../write/recalc.ts";
import { actorLabel, actorOf, parseInput, TextField } from "./common.ts";

/** How every reason of an event held for a data conflict begins (server/write/data_conflicts.ts `conflictReason`). */
const CONFLICT_PREFIX = "数据冲突";

/** A resolution as posted: the rightful sender and why. */
export const ResolveConflictInput = z.object({
  sender: z.string({ error: "必填：裁定的报送方 (required: the rightful sender)" }).trim().min(1, "必填")
    .max(128),
  reason: TextField(2000),
});
/** A validated resolution. */
export type ResolveConflictInput = z.infer<typeof ResolveConflictInput>;

/** Validate a posted resolution; the error names the field. */
export function parseResolveConflict(raw: unknown): ResolveConflictInput {
  return parseInput(ResolveConflictInput, raw);
}

/** One claimant of a case in conflict: the sender and the departments its `received`s named. */
export interface Claimant {
  sender: string;
  departments: string[];
}

/** The claimants of a case (from `case_claims`), by sender. */
export async function claimantsOf(tx: Tx, caseId: string): Promise<Claimant[]> {
  const by = new Map<string, Set<string>>();
  for (const c of await loadClaims(tx, [caseId])) {
    const set = by.get(c.sender) ?? new Set<string>();
    set.add(c.department ?? c.item);
    by.set(c.sender, set);
  }
  return [...by].sort(([a], [b]) => a.localeCompare(b)).map(([sender, d]) => ({
    sender,
    departments: [...d].sort(),
  }));
}

/** The open `data_conflict` items of a case in the caller's scope; a 404 when there are none. */
export async function openConflictItems(tx: Tx, p: Principal, caseId: string) {
  const open = await tx.select().from(manualQueue).where(and(
    eq(manualQueue.caseId, caseId),
    eq(manualQueue.kind, DATA_CONFLICT),
    isNull(manualQueue.closedAt),
    scopeWhere(p.scope, { department: manualQueue.department, region: manualQueue.region }),
  ));
  if (open.length === 0) throw new NotFoundError("此办件没有待裁定的数据冲突 (no open data conflict)");
  return open;
}

/** What a resolution did. */
export interface ConflictResolution {
  caseId: string;
  sender: string;
  /** Events of the rightful sender released for evaluation. */
  released: number;
  /** Events of the other claimants held (newly or with the decision as their reason). */
  held: number;
  /** Queue items closed. */
  closed: number[];
  /** The case's department after the decision. */
  department: string | null;
  auditId: number;
}

/** The reason held events of a losing claimant carry after the decision. */
export function resolvedReason(loser: string, winner: string, by: string, reason: string): string {
  return `${CONFLICT_PREFIX}已裁定：${by} 裁定此办件编号属于报送方 ${winner}，报送方 ${loser} 的数据不予采用（${reason}）` +
    ` (data conflict resolved: the case belongs to sender ${winner}; events of ${loser} stay held)`;
}

/** Resolve the open data conflict of a case in favour of one claimant (see the module doc). */
export async function resolveDataConflict(
  deps: AppDeps,
  p: Principal,
  caseId: string,
  input: ResolveConflictInput,
  ip: string | null,
): Promise<ConflictResolution> {
  const now = deps.clock();
  const actor = actorOf(p);
  return await deps.database.db.transaction(async (tx) => {
    await lockCases(tx, [caseId]);
    const open = await openConflictItems(tx, p, caseId);
    const claimants = await claimantsOf(tx, caseId);
    if (!claimants.some((c) => c.sender === input.sender)) {
      throw new ValidationError(
        `sender: ${input.sender} 未报送此办件的受理信息 (not a claimant of this case: ${
          claimants.map((c) => c.sender).join(", ")
        })`,
        { field: "sender" },
      );
    }
    const losers = claimants.map((c) => c.sender).filter((s) => s !== input.sender);
    const released = rowsOf<{ seq: unknown }>(
      await tx.execute(sql`update events set quarantined = null
        where case_id = ${caseId} and sender = ${input.sender} and quarantined like ${CONFLICT_PREFIX + "%"}
        returning seq`),
    ).length;
    let held = 0;
    for (const loser of losers) {
      const why = resolvedReason(loser, input.sender, actorLabel(actor), input.reason);
      held += rowsOf<{ seq: unknown }>(
        await tx.execute(sql`update events set quarantined = ${why}
          where case_id = ${caseId} and sender = ${loser}
            and (quarantined is null or quarantined like ${CONFLICT_PREFIX + "%"})
          returning seq`),
      ).length;
    }
    const closed = await tx.update(manualQueue).set({ closedAt: new Date(now) })
      .where(
        and(
          eq(manualQueue.caseId, caseId),
          eq(manualQueue.kind, DATA_CONFLICT),
          isNull(manualQueue.closedAt),
        ),
      )
      .returning({ id: manualQueue.id });
    // A closed item per losing claimant: its further events are held without reopening the conflict.
    const place = open[0];
    for (const loser of losers) {
      await tx.execute(sql`insert into manual_queue
          (case_id, rule, kind, subject, opened_at, closed_at, department, region)
        select ${caseId}, '', ${DATA_CONFLICT}, ${loser}, ${new Date(now).toISOString()}::timestamptz,
          ${new Date(now).toISOString()}::timestamptz, ${place.department}, ${place.region}
        where not exists (select 1 from manual_queue q
          where q.case_id = ${caseId} and q.kind = ${DATA_CONFLICT} and q.subject = ${loser})
        on conflict do nothing`);
    }
    await recalculateCases(deps, tx, [caseId], now, { reload: new Set([caseId]), locked: true });
    const [row] = rowsOf<{ department: string | null }>(
      await tx.execute(sql`select department from cases where case_id = ${caseId}`),
    );
    const audit = await recordAudit(tx, {
      actor: actor.by,
      role: p.role,
      action: "queue.resolve_conflict",
      target: caseId,
      detail: {
        sender: input.sender,
        reason: input.reason,
        office: actor.byOffice,
        released,
        held,
        losers,
        items: closed.map((c) => c.id),
      },
      ip,
      at: new Date(now),
    });
    return {
      caseId,
      sender: input.sender,
      released,
      held,
      closed: closed.map((c) => c.id),
      department: row?.department ?? null,
      auditId: audit.id,
    };
  });
}
