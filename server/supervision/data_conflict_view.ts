/**
 * What a supervisor sees before resolving a data conflict: the open conflict items of the case, and
 * each claimant with its account's name, the departments it claimed, and how many of its events of the
 * case are stored and how many held.
 *
 * @module
 */
import { inArray, sql } from "drizzle-orm";
import { rowsOf, type Tx } from "../../db/client.ts";
import { departments } from "../../db/schema.ts";
import { users } from "../../db/schema_auth.ts";
import type { Principal } from "../auth/principal.ts";
import { claimantsOf, openConflictItems } from "./data_conflict_resolve.ts";

/** One claimant as the resolution page lists it. */
export interface ClaimantView {
  sender: string;
  senderName: string | null;
  departments: { code: string; name: string | null }[];
  events: number;
  held: number;
}

/** A case's open data conflict. */
export interface ConflictView {
  caseId: string;
  /** The case's department now (the established claimant's). */
  department: string | null;
  departmentName: string | null;
  openedAt: number;
  claimants: ClaimantView[];
}

/** The open data conflict of a case in the caller's scope, or a 404. */
export async function loadConflict(tx: Tx, p: Principal, caseId: string): Promise<ConflictView> {
  const open = await openConflictItems(tx, p, caseId);
  const claimants = await claimantsOf(tx, caseId);
  const senders = claimants.map((c) => c.sender);
  const codes = [
    ...new Set([...claimants.flatMap((c) => c.departments), ...open.map((o) => o.department ?? "")]),
  ];
  const [counts, names, deptNames] = await Promise.all([
    tx.execute(sql`select sender, count(*)::int as n, count(quarantined)::int as held
      from events where case_id = ${caseId} group by sender`),
    senders.length
      ? tx.select({ u: users.username, name: users.displayName }).from(users).where(
        inArray(users.username, senders),
      )
      : [],
    tx.select({ code: departments.code, name: departments.name }).from(departments)
      .where(inArray(departments.code, codes)),
  ]);
  const count = new Map(
    rowsOf<{ sender: string; n: number; held: number }>(counts).map((r) => [r.sender, r]),
  );
  const userName = new Map(names.map((r) => [r.u, r.name]));
  const deptName = new Map(deptNames.map((d) => [d.code, d.name]));
  const department = open[0].department;
  return {
    caseId,
    department,
    departmentName: department ? deptName.get(department) ?? null : null,
    openedAt: Math.min(...open.map((o) => o.openedAt.getTime())),
    claimants: claimants.map((c) => ({
      sender: c.sender,
      senderName: userName.get(c.sender) ?? null,
      departments: c.departments.map((code) => ({ code, name: deptName.get(code) ?? null })),
      events: count.get(c.sender)?.n ?? 0,
      held: count.get(c.sender)?.held ?? 0,
    })),
  };
}
