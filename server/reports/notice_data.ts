/**
 * Everything a notice shows, loaded for a caller: the red cards of the period in scope, grouped, and
 * the generated text naming the caller's area.
 *
 * @module
 */
import { eq } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { regions } from "../../db/schema.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { type DepartmentCards, groupByDepartment, type NoticeText, noticeText } from "./notice.ts";
import type { Period } from "./params.ts";
import { loadRedCards } from "./red_cards_query.ts";

/** A loaded notice. */
export interface Notice {
  period: Period;
  area: string;
  total: number;
  groups: DepartmentCards[];
  text: NoticeText;
}

/** How the notice names the caller's area: 全省, the region's name, or 本辖区. */
export async function areaName(tx: Tx, p: Pick<Principal, "scope" | "region">): Promise<string> {
  if (p.scope.departments === "all") return "全省";
  if (p.region) {
    const [r] = await tx.select({ name: regions.name }).from(regions).where(eq(regions.code, p.region));
    if (r) return r.name;
  }
  return "本辖区";
}

/** The notice of a period for the caller. */
export async function loadNotice(deps: AppDeps, tx: Tx, p: Principal, period: Period): Promise<Notice> {
  const [cards, area] = await Promise.all([loadRedCards(deps, tx, p.scope, period), areaName(tx, p)]);
  const groups = groupByDepartment(cards);
  return { period, area, total: cards.length, groups, text: noticeText(period, area, groups) };
}
