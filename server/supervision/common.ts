/**
 * What the supervision modules share: who acted (login and office name), zod input parsing that
 * names the bad field, date fields, the regions a principal may pick.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { query, type Tx } from "../../db/client.ts";
import { isIsoDate } from "../../rules/dates.ts";
import type { Principal } from "../auth/principal.ts";
import { parseOrThrow, ValidationError } from "../errors.ts";

/** Who acted: the login (`by`) and the account's office name (`byOffice`, its display name). */
export interface Actor {
  by: string;
  byOffice: string;
}

/** The actor of a request. */
export function actorOf(p: Principal): Actor {
  return { by: p.name, byOffice: p.displayName || p.name };
}

/** `省政务服务监察处（sheng）`: an actor as pages show it. */
export function actorLabel(a: { by: string; byOffice?: string | null }): string {
  return a.byOffice && a.byOffice !== a.by ? `${a.byOffice}（${a.by}）` : a.by;
}

/** A calendar date `YYYY-MM-DD`. */
export const DateField = z.string({ error: "必填，格式 YYYY-MM-DD (required date)" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "日期格式应为 YYYY-MM-DD (must be a date YYYY-MM-DD)")
  .refine(isIsoDate, "不是有效日期 (not a calendar date)");

/** A required text of at most `max` characters, trimmed. */
export const TextField = (max = 4000) =>
  z.string({ error: "必填 (required)" }).trim().min(1, "不能为空 (must not be empty)")
    .max(max, `不能超过 ${max} 个字符 (too long)`);

/** Validate `raw` against `schema`; throws a ValidationError naming the first bad field (errors.ts). */
export const parseInput = parseOrThrow;

/** A request's JSON body, or a 400 naming the body. */
export async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError("(body): 请求体必须是 JSON 对象 (must be a JSON object)", { field: "(body)" });
  }
}

/** A positive integer id from a path parameter, or a 404. */
export function idParam(raw: string | undefined, notFound: () => Error): number {
  if (!raw || !/^[1-9]\d{0,15}$/.test(raw)) throw notFound();
  return Number(raw);
}

/** The regions a principal may pick (their region tree; every region for the province), by code. */
export async function visibleRegions(tx: Tx, p: Principal): Promise<{ code: string; name: string }[]> {
  const rows = await query<{ code: string; name: string }>(
    tx,
    sql`select code, name from regions order by code`,
  );
  const set = p.scope.regions;
  return p.scope.departments === "all" ? rows : rows.filter((r) => set !== "all" && set.has(r.code));
}
