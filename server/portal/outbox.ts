/**
 * Reading and re-queuing the work portal's outbox for the admin page: the latest messages by state,
 * and a retry that puts an unsent message (a dead letter, or one waiting for its backoff) back in line
 * now, with a fresh count of attempts; audited.
 *
 * @module
 */
import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { departments, notificationsOutbox } from "../../db/schema.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import { ConflictError, NotFoundError } from "../errors.ts";

/** The page's filters. */
export const OUTBOX_STATES = ["pending", "failed", "sent", "all"] as const;
/** A filter. */
export type OutboxState = typeof OUTBOX_STATES[number];

/** One message as the page shows it. */
export interface OutboxRow {
  id: number;
  case: string;
  rule: string;
  kind: string;
  text: string;
  department: string | null;
  departmentName: string | null;
  state: "pending" | "failed" | "sent";
  attempts: number;
  createdAt: Date;
  lastAttemptAt: Date | null;
  nextAttemptAt: Date;
  sentAt: Date | null;
  lastError: string | null;
}

/** The latest `limit` messages in a state, newest first. */
export async function listOutbox(tx: Tx, state: OutboxState, limit = 200): Promise<OutboxRow[]> {
  const o = notificationsOutbox;
  const where: Record<OutboxState, SQL | undefined> = {
    pending: and(isNull(o.sentAt), isNull(o.deadAt)),
    failed: and(isNull(o.sentAt), isNotNull(o.deadAt)),
    sent: isNotNull(o.sentAt),
    all: undefined,
  };
  const rows = await tx.select({ o, name: departments.name }).from(o)
    .leftJoin(departments, eq(departments.code, o.department))
    .where(where[state]).orderBy(desc(o.id)).limit(limit);
  return rows.map(({ o: r, name }) => {
    const p = r.payload as { kind?: string; text?: string };
    return {
      id: r.id,
      case: r.caseId,
      rule: r.rule,
      kind: p.kind ?? "",
      text: p.text ?? "",
      department: r.department,
      departmentName: name,
      state: r.sentAt ? "sent" : r.deadAt ? "failed" : "pending",
      attempts: r.attempts,
      createdAt: r.createdAt,
      lastAttemptAt: r.lastAttemptAt,
      nextAttemptAt: r.nextAttemptAt,
      sentAt: r.sentAt,
      lastError: r.lastError,
    };
  });
}

/** Put an unsent message back in line now (attempts from 0 again); audited. */
export async function retryOutbox(
  tx: Tx,
  p: Principal,
  id: number,
  now: number,
  ip: string | null,
): Promise<void> {
  await tx.transaction(async (t) => {
    const [r] = await t.select().from(notificationsOutbox).where(eq(notificationsOutbox.id, id)).for(
      "update",
    );
    if (!r) throw new NotFoundError("没有此消息 (no such message)");
    if (r.sentAt) throw new ConflictError("该消息已发送，无需重试 (already sent)");
    await t.update(notificationsOutbox).set({ deadAt: null, attempts: 0, nextAttemptAt: new Date(now) })
      .where(eq(notificationsOutbox.id, id));
    await recordAudit(t, {
      actor: p.name,
      role: p.role,
      action: "portal.retry",
      target: `outbox:${id}`,
      detail: {
        case: r.caseId,
        rule: r.rule,
        attempts: r.attempts,
        lastError: r.lastError,
        wasDead: r.deadAt !== null,
      },
      ip,
      at: new Date(now),
    });
  });
}
