/**
 * Checking the database after the kill: every acknowledged event stored exactly once and unaltered,
 * and the stored alerts of every case equal to a fresh evaluation (the one evaluator, on the stored
 * events, with the items and the calendar from the database), and to what `GET /api/v1/cases/:case`
 * answers for a sample of cases.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { openDatabase, query } from "../db/client.ts";
import { canonicalJson, contentHash } from "../rules/canonical.ts";
import { evaluateCase } from "../rules/evaluate.ts";
import type { Alert, CaseEvent } from "../rules/types.ts";
import { openCalendarStore } from "../server/calendar_store.ts";
import { loadItems } from "../server/reference.ts";
import { call, sleep } from "./faults_env.ts";

/** The stored events compared with what was sent and acknowledged. */
export interface StorageCheck {
  stored: number;
  lost: number;
  duplicated: number;
  /** Stored with other content than was sent. */
  altered: number;
  /** Stored but never sent (should be none). */
  unexpected: number;
}

/** Count stored rows per id of the scenario's cases and compare with the sent events. */
export async function checkStorage(
  dbUrl: string,
  prefix: string,
  sent: readonly CaseEvent[],
  acknowledged: ReadonlySet<string>,
): Promise<StorageCheck> {
  const database = await openDatabase({ url: dbUrl, migrate: false, max: 2 });
  try {
    const rows = await query<{ id: string; n: number; hash: string }>(
      database.db,
      sql`select id, count(*)::int as n, min(content_hash) as hash from events
          where case_id like ${prefix + "%"} group by id`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const sentIds = new Set(sent.map((e) => e.id));
    let lost = 0, altered = 0;
    for (const e of sent) {
      const row = byId.get(e.id);
      if (!row) {
        if (acknowledged.has(e.id)) lost++;
      } else if (row.hash !== contentHash(e)) altered++;
    }
    return {
      stored: rows.reduce((n, r) => n + Number(r.n), 0),
      lost,
      duplicated: rows.reduce((n, r) => n + Number(r.n) - 1, 0),
      altered,
      unexpected: rows.filter((r) => !sentIds.has(r.id)).length,
    };
  } finally {
    await database.close();
  }
}

/** Alerts compared. */
export interface AlertCheck {
  cases: number;
  /** Cases whose stored (non-withdrawn) alerts differ from a fresh evaluation. */
  mismatches: number;
  /** Cases asked through GET /api/v1/cases/:case, and how many answered other alerts. */
  apiChecked: number;
  apiMismatches: number;
  alerts: number;
  examples: string[];
}

const key = (a: Alert) => canonicalJson({ ...a, subject: a.subject ?? null, voided: a.voided ?? null });
const sortedKeys = (list: readonly Alert[]) => list.map(key).sort().join("\n");

/**
 * Evaluate every case of the scenario afresh and compare with the alerts table. A case that differs
 * is looked at again after a pause (up to three times): the scheduler may be applying a change that
 * fell due a moment ago. `apiEvery`: ask the server for every n-th case as well.
 */
export async function checkAlerts(
  dbUrl: string,
  prefix: string,
  api: { url: string; auth: Record<string, string>; every: number },
): Promise<AlertCheck> {
  const database = await openDatabase({ url: dbUrl, migrate: false, max: 2 });
  try {
    const store = await openCalendarStore(database);
    await store.close();
    const { calendar } = store;
    const rows = await query<{ case_id: string; payload: CaseEvent }>(
      database.db,
      sql`select case_id, payload from events where case_id like ${prefix + "%"} and quarantined is null
        order by case_id, seq`,
    );
    const byCase = new Map<string, CaseEvent[]>();
    for (const r of rows) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r.payload]);
    const codes = new Set(rows.flatMap((r) => r.payload.type === "received" ? [r.payload.item] : []));
    const items = await loadItems(database.db, codes);
    const fresh = (caseId: string, asOf: number) =>
      evaluateCase({ caseId, events: byCase.get(caseId)!, item: (c) => items.get(c), calendar, asOf })
        .result.alerts;

    const storedAlerts = async (ids: string[]) => {
      const list = await query<
        {
          case_id: string;
          rule: string;
          subject: string;
          level: string;
          on: string;
          resolved_on: string | null;
          voided_on: string | null;
        }
      >(
        database.db,
        sql`select case_id, rule, subject, level, "on"::text as "on", resolved_on::text as resolved_on,
              voided_on::text as voided_on
            from alerts where withdrawn_at is null and case_id like ${prefix + "%"}`,
      );
      const out = new Map<string, Alert[]>(ids.map((id) => [id, []]));
      for (const a of list) {
        out.get(a.case_id)?.push({
          rule: a.rule,
          level: a.level as Alert["level"],
          on: a.on,
          subject: a.subject === "" ? null : a.subject,
          resolved: a.resolved_on,
          ...(a.voided_on ? { voided: a.voided_on } : {}),
        });
      }
      return out;
    };

    let pending = [...byCase.keys()].sort();
    const cases = pending.length;
    let alerts = 0;
    const examples: string[] = [];
    for (let round = 0; round < 4 && pending.length > 0; round++) {
      if (round > 0) await sleep(3000);
      const now = Date.now();
      const stored = await storedAlerts(pending);
      const differ: string[] = [];
      alerts = 0;
      for (const id of pending) {
        const want = fresh(id, now);
        alerts += want.length;
        const have = stored.get(id)!;
        if (sortedKeys(want) !== sortedKeys(have)) {
          differ.push(id);
          if (round === 3 && examples.length < 5) {
            examples.push(`${id}: stored ${sortedKeys(have)} ≠ fresh ${sortedKeys(want)}`);
          }
        }
      }
      pending = differ;
    }

    // The server's own fresh evaluation, for a sample (the API's rate limit applies).
    const sample = [...byCase.keys()].sort().filter((_, i) => i % api.every === 0);
    let apiMismatches = 0;
    for (let i = 0; i < sample.length; i += 8) {
      await Promise.all(
        sample.slice(i, i + 8).map(async (id) => {
          const r = await call(`${api.url}/api/v1/cases/${id}`, { headers: api.auth });
          const got = r.status === 200 ? (r.body as { alerts: Alert[] }).alerts : null;
          if (!got || sortedKeys(got) !== sortedKeys(fresh(id, Date.now()))) {
            apiMismatches++;
            if (examples.length < 8) examples.push(`GET ${id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
          }
        }),
      );
    }
    return { cases, mismatches: pending.length, apiChecked: sample.length, apiMismatches, alerts, examples };
  } finally {
    await database.close();
  }
}
