/**
 * Re-evaluating, in the background, the cases that migration 0010 listed in `tally_backfill`: cases
 * stored before the rankings' and the wall trend's counter keys existed (server/reports/tally_keys.ts),
 * whose monthly figures would otherwise be missing. Chunks of 500 through the same recalculation as a
 * calendar change; each chunk's ids are removed once done, so a restart resumes where it stopped and
 * two instances at worst evaluate a chunk twice (idempotent). On a fresh database there is nothing to do.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { query } from "../../db/client.ts";
import type { AppDeps } from "../deps.ts";
import { recalculateInChunks } from "../write/recalc.ts";

/** Cases per chunk. */
export const BACKFILL_CHUNK = 500;

/** Re-evaluate one chunk of listed cases; returns how many ids it took off the list. */
export async function backfillChunk(deps: AppDeps, chunk = BACKFILL_CHUNK): Promise<number> {
  const { db } = deps.database;
  const rows = await query<{ case_id: string }>(
    db,
    sql`select case_id from tally_backfill order by case_id limit ${chunk}`,
  );
  if (rows.length === 0) return 0;
  const ids = rows.map((r) => r.case_id);
  await recalculateInChunks(deps, ids, chunk);
  await db.execute(
    sql`delete from tally_backfill where case_id in (select jsonb_array_elements_text(${
      JSON.stringify(ids)
    }::jsonb))`,
  );
  return ids.length;
}

/** Work through the list in the background; `stop()` waits for the chunk in hand. */
export function startTallyBackfill(deps: AppDeps): { stop(): Promise<void>; done: Promise<number> } {
  let stopped = false;
  const done = (async () => {
    let total = 0;
    while (!stopped) {
      let n = 0;
      try {
        n = await backfillChunk(deps);
      } catch (err) {
        // The list stays: the next start resumes it. The server itself goes on.
        console.error(`补算排名计数失败，下次启动时继续 (tally backfill stopped): ${err}`);
        break;
      }
      if (n === 0) break;
      total += n;
      await new Promise((r) => setTimeout(r, 0));
    }
    return total;
  })();
  return {
    done,
    stop: async () => {
      stopped = true;
      await done;
    },
  };
}
