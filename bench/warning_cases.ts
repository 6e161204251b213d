/**
 * Cases that raise exactly one 8.1 warning when accepted, for the event-to-screen latency bench and
 * the PostgreSQL fault drill: cases of a one-working-day Henan item, received at its department's hall
 * with complete data beforehand, so that the `accepted` event posted later (and timed) raises 8.1 at
 * once and nothing else.
 *
 * @module
 */
import { shanghaiInstant } from "../rules/dates.ts";
import { hallCode } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";

/** A Henan item promised in one working day. */
export const ONE_DAY_ITEM = HENAN_ITEMS.find((i) => i.promisedDays === 1)!;

/** Each case received at `at` (a named, reachable applicant) with all the item's required materials. */
export function receivedComplete(ids: readonly string[], at: string): unknown[] {
  const item = ONE_DAY_ITEM;
  const hall = hallCode(item.department.split("-")[0]);
  return ids.flatMap((c) => [
    {
      id: `${c}-r`,
      case: c,
      type: "received",
      at,
      item: item.code,
      channel: "hall",
      hall,
      applicant: { name: "张伟", contact: "13800000000", kind: "person" },
    },
    { id: `${c}-m`, case: c, type: "materials_submitted", at, materials: item.materials.required },
  ]);
}

/** Case `c` accepted now: its 8.1 warning. */
export function acceptedNow(c: string) {
  return { id: `${c}-a`, case: c, type: "accepted", at: shanghaiInstant(Date.now()), handler: "李娜" };
}
