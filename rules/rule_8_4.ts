/**
 * Rule 8.4 收费(税)监察: a red card at every fee event that charges without a fee standard
 * (无依据收费) or without a stated basis, charges above the item's maximum (乱收费), or reduces or
 * exempts without a basis (不符合规定减免). Subject: the fee event's id.
 *
 * @module
 */
import type { ProjectedAlert, Rule } from "./projection.ts";
import { ofType, type TimedOf } from "./timeline.ts";
import type { Item } from "./types.ts";

/** Why a fee event breaks article 8(四); null when it does not. */
export type FeeOffence = "no_standard" | "no_basis" | "over_max" | "unfounded_relief";

/** The offence of one fee event against the item's fee standard, or null. */
export function feeOffence(item: Item, fee: TimedOf<"fee">): FeeOffence | null {
  const hasBasis = (fee.basis ?? "").trim() !== "";
  if (fee.kind !== "charge") return hasBasis ? null : "unfounded_relief";
  // The item charges nothing: any charge, whatever its stated basis, has no standard behind it.
  if (item.fee === null) return "no_standard";
  if (!hasBasis) return "no_basis";
  if (fee.amount > item.fee.max) return "over_max";
  return null;
}

/** Rule 8.4: one red card per offending fee event, at its instant. */
export const rule84: Rule = ({ item, timeline }) => {
  const alerts: ProjectedAlert[] = ofType(timeline, "fee")
    .filter((fee) => feeOffence(item, fee) !== null)
    .map((fee) => ({ rule: "8.4", level: "red", subject: fee.id, raisedAt: fee.ms, resolvedAt: null }));
  return { alerts };
};
