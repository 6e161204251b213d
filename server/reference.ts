/**
 * Reference data: the item catalogue, departments, regions and service halls. Upserts validate every
 * element first (errors name the index and the field) and then write the whole list in one statement.
 *
 * @module
 */
import { asc, inArray, sql } from "drizzle-orm";
import type { z } from "zod";
import { departmentSchema, hallSchema, parseItem, parseWith, regionSchema } from "../rules/event_schema.ts";
import type { Item } from "../rules/types.ts";
import type { Tx } from "../db/client.ts";
import { departments, halls, items, regions } from "../db/schema.ts";
import { ValidationError } from "./errors.ts";
import { announceCredentialChange } from "./auth/key_cache.ts";

/** A department, region or hall as stored. */
export type Department = z.infer<typeof departmentSchema>;
/** A region (行政区划). */
export type Region = z.infer<typeof regionSchema>;
/** A service hall. */
export type Hall = z.infer<typeof hallSchema>;

/** The kinds of reference list, for routes. */
export type ReferenceKind = "items" | "departments" | "regions" | "halls";

/** Validate a JSON array of reference records; throws a ValidationError naming index and field. */
export function validateList<K extends ReferenceKind>(kind: K, body: unknown): ListOf<K> {
  if (!Array.isArray(body)) throw new ValidationError(`${kind}: the body must be a JSON array`);
  const errors: { index: number; field: string; error: string }[] = [];
  const out: unknown[] = [];
  const seen = new Set<string>();
  body.forEach((raw, index) => {
    const r = kind === "items"
      ? toParsed(parseItem(raw))
      : parseWith(SCHEMAS[kind as Exclude<ReferenceKind, "items">] as z.ZodType, raw);
    if (!r.ok) return errors.push({ index, field: r.field, error: r.error });
    const code = (r.value as { code: string }).code;
    if (seen.has(code)) return errors.push({ index, field: "code", error: `code ${code} appears twice` });
    seen.add(code);
    out.push(r.value);
  });
  if (errors.length) {
    const first = errors[0];
    throw new ValidationError(`${kind}[${first.index}].${first.field}: ${first.error}`, { errors });
  }
  return out as ListOf<K>;
}

type ListOf<K extends ReferenceKind> = K extends "items" ? Item[]
  : K extends "departments" ? Department[]
  : K extends "regions" ? Region[]
  : Hall[];

const SCHEMAS = { departments: departmentSchema, regions: regionSchema, halls: hallSchema } as const;

function toParsed(r: ReturnType<typeof parseItem>) {
  return r.ok ? { ok: true as const, value: r.item } : r;
}

/**
 * Insert or replace items; returns the codes of those new or changed. An item saved as it was stored
 * is left alone (a whole catalogue re-sent unchanged re-evaluates no case).
 */
export async function upsertItems(tx: Tx, list: Item[]): Promise<string[]> {
  const changed: string[] = [];
  for (let i = 0; i < list.length; i += 1000) {
    const rows = list.slice(i, i + 1000).map((it) => ({
      code: it.code,
      name: it.name,
      department: it.department,
      data: it,
    }));
    const saved = await tx.insert(items).values(rows).onConflictDoUpdate({
      target: items.code,
      set: {
        name: sql`excluded.name`,
        department: sql`excluded.department`,
        data: sql`excluded.data`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${items.data} is distinct from excluded.data`,
    }).returning({ code: items.code });
    for (const r of saved) changed.push(r.code);
  }
  return changed;
}

/** Whether API keys' scopes are resolved from lists of this kind (departments and regions). */
export function resolvesScopes(kind: ReferenceKind): boolean {
  return kind === "departments" || kind === "regions";
}

/**
 * Insert or replace departments, regions or halls. Departments and regions are what scopes are
 * resolved from: every instance forgets the API keys' principals it resolved (server/auth/key_cache.ts).
 */
export async function upsertReference(
  tx: Tx,
  kind: Exclude<ReferenceKind, "items">,
  list: (Department | Region | Hall)[],
): Promise<void> {
  if (list.length === 0) return;
  if (resolvesScopes(kind)) await announceCredentialChange(tx);
  const table = { departments, regions, halls }[kind];
  const set = kind === "regions"
    ? { name: sql`excluded.name`, parent: sql`excluded.parent` }
    : { name: sql`excluded.name`, region: sql`excluded.region` };
  for (let i = 0; i < list.length; i += 1000) {
    // deno-lint-ignore no-explicit-any
    await tx.insert(table).values(list.slice(i, i + 1000) as any).onConflictDoUpdate({
      target: table.code,
      set,
    });
  }
}

/** Every record of a reference list, by code. */
export async function listReference(tx: Tx, kind: ReferenceKind): Promise<unknown[]> {
  if (kind === "items") {
    const rows = await tx.select({ data: items.data }).from(items).orderBy(asc(items.code));
    return rows.map((r) => r.data);
  }
  const table = { departments, regions, halls }[kind];
  return await tx.select().from(table).orderBy(asc(table.code));
}

/** The items with the given codes, by code. */
export async function loadItems(tx: Tx, codes: Iterable<string>): Promise<Map<string, Item>> {
  const list = [...new Set(codes)];
  const out = new Map<string, Item>();
  if (list.length === 0) return out;
  const rows = await tx.select({ code: items.code, data: items.data }).from(items).where(
    inArray(items.code, list),
  );
  for (const r of rows) out.set(r.code, r.data as Item);
  return out;
}

/** The region of each department, by department code. */
export async function departmentRegions(tx: Tx, codes: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(codes)];
  const out = new Map<string, string>();
  if (list.length === 0) return out;
  const rows = await tx.select({ code: departments.code, region: departments.region }).from(departments)
    .where(inArray(departments.code, list));
  for (const r of rows) out.set(r.code, r.region);
  return out;
}
