/**
 * Random spot checks (随机抽查, RULES.md §5): draw a reproducible sample of one scope's cases of a
 * period, record a result per sampled case, and summarise. The sample is the scope's cases received
 * in [from, to], ordered by the hex SHA-256 of `seed + ":" + caseId` (ascending, byte order), first
 * `size`. PostgreSQL computes the hashes over an index range: the department's entries of
 * (department, status, received_on, case_id), the period checked in the index, or (region, received_on);
 * so a draw costs in proportion to the scope's cases, never the province's.
 *
 * @module
 */
import { asc, desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { query, type Tx } from "../../db/client.ts";
import { departments, regions } from "../../db/schema.ts";
import { spotCheckCases, spotCheckResults, spotChecks } from "../../db/schema_supervision.ts";
import { dayNumber } from "../../rules/dates.ts";
import { recordAudit } from "../audit.ts";
import type { Principal } from "../auth/principal.ts";
import { assertFilterInScope, inScope, regionTree } from "../auth/scope.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { actorOf, DateField, parseInput } from "./common.ts";

/** The largest sample a spot check may draw. */
export const MAX_SAMPLE = 1000;
/** The longest period, in days. */
export const MAX_SPOT_CHECK_DAYS = 366;

/** What a supervisor asks for: a department or a region, a period of received dates, a size, a seed. */
export const SpotCheckInput = z.object({
  department: z.string().trim().min(1).max(64).optional(),
  region: z.string().trim().min(1).max(64).optional(),
  from: DateField,
  to: DateField,
  size: z.number({ error: "必填，整数 (required integer)" }).int("必须是整数 (must be an integer)")
    .min(1, "至少 1 件 (at least 1)").max(MAX_SAMPLE, `最多 ${MAX_SAMPLE} 件 (at most ${MAX_SAMPLE})`),
  seed: z.string().trim().max(128, "不能超过 128 个字符 (too long)").optional()
    .transform((s) => (s ? s : undefined)),
}).strict().superRefine((v, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if ((v.department === undefined) === (v.region === undefined)) {
    issue("department", "请指定一个部门或一个地区 (give exactly one of department, region)");
  }
  try {
    const span = dayNumber(v.to) - dayNumber(v.from);
    if (span < 0) issue("to", "结束日期不能早于开始日期 (must not be before from)");
    else if (span >= MAX_SPOT_CHECK_DAYS) {
      issue("to", `期间不能超过 ${MAX_SPOT_CHECK_DAYS} 天 (period too long)`);
    }
  } catch {
    // A bad date is reported by its own field.
  }
});
/** A validated spot-check request. */
export type SpotCheckInput = z.infer<typeof SpotCheckInput>;

/** A recorded result. */
export const SpotCheckResultInput = z.object({
  case: z.string({ error: "必填 (required)" }).trim().min(1, "必填 (required)").max(128),
  result: z.enum(["conforming", "nonconforming"], { error: "应为 conforming 或 nonconforming" }),
  note: z.string().trim().max(4000, "不能超过 4000 个字符 (too long)").default(""),
}).strict().superRefine((v, ctx) => {
  if (v.result === "nonconforming" && v.note === "") {
    ctx.addIssue({ code: "custom", path: ["note"], message: "不合格须写明问题 (a note is required)" });
  }
});
/** A validated result. */
export type SpotCheckResultInput = z.infer<typeof SpotCheckResultInput>;

/** A proposed seed: 12 random hex digits. */
export function proposeSeed(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The hex SHA-256 of `seed:caseId`, as the sample orders by it (for re-drawing and tests). */
export async function sampleHash(seed: string, caseId: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${seed}:${caseId}`));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Where a spot check draws from. */
export interface Population {
  kind: "department" | "region";
  code: string;
  /** The region the spot check is filed under (visibility). */
  region: string | null;
  where: ReturnType<typeof sql>;
}

/** The cases a spot check draws from (exported for the index test). */
export async function population(tx: Tx, p: Principal, input: SpotCheckInput): Promise<Population> {
  const period = sql`received_on between ${input.from}::date and ${input.to}::date`;
  if (input.department !== undefined) {
    const [d] = await tx.select().from(departments).where(eq(departments.code, input.department));
    if (!d) {
      throw new ValidationError(`department: 没有此部门 (unknown department ${input.department})`, {
        field: "department",
      });
    }
    assertFilterInScope(p, { department: d.code });
    return {
      kind: "department",
      code: d.code,
      region: d.region,
      where: sql`department = ${d.code} and ${period}`,
    };
  }
  const code = input.region!;
  const [r] = await tx.select().from(regions).where(eq(regions.code, code));
  if (!r) throw new ValidationError(`region: 没有此地区 (unknown region ${code})`, { field: "region" });
  assertFilterInScope(p, { region: code });
  const tree = await regionTree(tx, code);
  const list = sql.join([...tree].map((c) => sql`${c}`), sql`, `);
  return { kind: "region", code, region: code, where: sql`region in (${list}) and ${period}` };
}

/** The sample of a population: case ids with their hashes, in sample order. */
export async function draw(tx: Tx, pop: Population, seed: string, size: number) {
  return await query<{ case_id: string; hash: string; department: string | null; region: string | null }>(
    tx,
    sql`select * from (select case_id, department, region,
          encode(sha256(convert_to(${seed}::text || ':' || case_id, 'UTF8')), 'hex') as hash
        from cases where ${pop.where}) s
        order by hash collate "C" limit ${size}`,
  );
}

/** Draw and record a spot check (audited); returns it as {@linkcode loadSpotCheck} would. */
export async function createSpotCheck(
  tx: Tx,
  p: Principal,
  raw: unknown,
  now: number,
  ip: string | null,
): Promise<SpotCheckView> {
  const input = parseInput(SpotCheckInput, raw);
  const seed = input.seed ?? proposeSeed();
  const id = await tx.transaction(async (t) => {
    const pop = await population(t, p, input);
    const [{ n }] = await query<{ n: number | string }>(
      t,
      sql`select count(*) as n from cases where ${pop.where}`,
    );
    const sample = await draw(t, pop, seed, input.size);
    const actor = actorOf(p);
    const [row] = await t.insert(spotChecks).values({
      scopeKind: pop.kind,
      scopeCode: pop.code,
      fromOn: input.from,
      toOn: input.to,
      size: input.size,
      seed,
      population: Number(n),
      createdBy: actor.by,
      createdByOffice: actor.byOffice,
      createdAt: new Date(now),
      region: pop.region,
    }).returning({ id: spotChecks.id });
    if (sample.length) {
      await t.insert(spotCheckCases).values(sample.map((s, i) => ({
        spotCheckId: row.id,
        position: i + 1,
        caseId: s.case_id,
        hash: s.hash,
        department: s.department,
        region: s.region,
      })));
    }
    await recordAudit(t, {
      actor: actor.by,
      role: p.role,
      action: "spotcheck.create",
      target: `spot-check:${row.id}`,
      detail: { ...input, seed, office: actor.byOffice, population: Number(n), sampled: sample.length },
      ip,
      at: new Date(now),
    });
    return row.id;
  });
  return await loadSpotCheck(tx, p, id);
}

/** One sampled case with its latest result. */
export interface SampledCase {
  position: number;
  case: string;
  hash: string;
  department: string | null;
  departmentName: string | null;
  result: "conforming" | "nonconforming" | null;
  note: string | null;
  by: string | null;
  byOffice: string | null;
  at: string | null;
  /** Every result recorded for the case, oldest first (a correction is a new result). */
  history: { result: string; note: string; by: string; byOffice: string; at: string }[];
}

/** A spot check with its sample, results and summary. */
export interface SpotCheckView {
  id: number;
  scope: { kind: "department" | "region"; code: string; name: string | null };
  department: string | null;
  region: string | null;
  from: string;
  to: string;
  size: number;
  seed: string;
  population: number;
  createdBy: string;
  createdByOffice: string;
  createdAt: string;
  cases: string[];
  sample: SampledCase[];
  summary: SpotCheckSummary;
}

/** The summary of a spot check (RULES.md §5). */
export interface SpotCheckSummary {
  sampled: number;
  checked: number;
  conforming: number;
  nonconforming: number;
  byDepartment: {
    department: string | null;
    name: string | null;
    sampled: number;
    checked: number;
    nonconforming: number;
  }[];
}

const notFound = () => new NotFoundError("没有此抽查 (no such spot check)");

/** Whether the principal may see a spot check: its department or region lies in their scope. */
export function seesSpotCheck(
  p: Principal,
  row: { scopeKind: string; scopeCode: string; region: string | null },
) {
  if (p.scope.departments === "all") return true;
  if (row.scopeKind === "department") {
    return inScope(p.scope, { department: row.scopeCode, region: row.region });
  }
  return p.scope.regions !== "all" && row.region !== null && p.scope.regions.has(row.region);
}

/** Load a spot check; 404 when unknown or out of the principal's scope. */
export async function loadSpotCheck(tx: Tx, p: Principal, id: number): Promise<SpotCheckView> {
  const [row] = await tx.select().from(spotChecks).where(eq(spotChecks.id, id));
  if (!row || !seesSpotCheck(p, row)) throw notFound();
  const [sample, results] = await Promise.all([
    tx.select({
      position: spotCheckCases.position,
      caseId: spotCheckCases.caseId,
      hash: spotCheckCases.hash,
      department: spotCheckCases.department,
      departmentName: departments.name,
    }).from(spotCheckCases).leftJoin(departments, eq(departments.code, spotCheckCases.department))
      .where(eq(spotCheckCases.spotCheckId, id)).orderBy(asc(spotCheckCases.position)),
    tx.select().from(spotCheckResults).where(eq(spotCheckResults.spotCheckId, id))
      .orderBy(asc(spotCheckResults.id)),
  ]);
  const scopeName = row.scopeKind === "department"
    ? (await tx.select({ name: departments.name }).from(departments)
      .where(eq(departments.code, row.scopeCode)))[0]?.name
    : (await tx.select({ name: regions.name }).from(regions).where(eq(regions.code, row.scopeCode)))[0]?.name;
  const byCase = new Map<string, SampledCase["history"]>();
  for (const r of results) {
    const list = byCase.get(r.caseId) ?? [];
    list.push({ result: r.result, note: r.note, by: r.by, byOffice: r.byOffice, at: r.at.toISOString() });
    byCase.set(r.caseId, list);
  }
  const rows: SampledCase[] = sample.map((s) => {
    const history = byCase.get(s.caseId) ?? [];
    const last = history.at(-1);
    return {
      position: s.position,
      case: s.caseId,
      hash: s.hash,
      department: s.department,
      departmentName: s.departmentName,
      result: (last?.result ?? null) as SampledCase["result"],
      note: last?.note ?? null,
      by: last?.by ?? null,
      byOffice: last?.byOffice ?? null,
      at: last?.at ?? null,
      history,
    };
  });
  return {
    id: row.id,
    scope: { kind: row.scopeKind as "department" | "region", code: row.scopeCode, name: scopeName ?? null },
    department: row.scopeKind === "department" ? row.scopeCode : null,
    region: row.scopeKind === "region" ? row.scopeCode : null,
    from: row.fromOn,
    to: row.toOn,
    size: row.size,
    seed: row.seed,
    population: row.population,
    createdBy: row.createdBy,
    createdByOffice: row.createdByOffice,
    createdAt: row.createdAt.toISOString(),
    cases: rows.map((r) => r.case),
    sample: rows,
    summary: summarise(rows),
  };
}

/** The summary of a sample with its latest results. */
export function summarise(rows: readonly SampledCase[]): SpotCheckSummary {
  const by = new Map<string, SpotCheckSummary["byDepartment"][number]>();
  let checked = 0, nonconforming = 0;
  for (const r of rows) {
    const key = r.department ?? "";
    let d = by.get(key);
    if (!d) {
      by.set(
        key,
        d = { department: r.department, name: r.departmentName, sampled: 0, checked: 0, nonconforming: 0 },
      );
    }
    d.sampled++;
    if (r.result) {
      d.checked++;
      checked++;
    }
    if (r.result === "nonconforming") {
      d.nonconforming++;
      nonconforming++;
    }
  }
  return {
    sampled: rows.length,
    checked,
    conforming: checked - nonconforming,
    nonconforming,
    byDepartment: [...by.values()].sort((a, b) => (a.department ?? "").localeCompare(b.department ?? "")),
  };
}

/** Record the result of one sampled case (audited); returns the stored result's id. */
export async function recordSpotCheckResult(
  tx: Tx,
  p: Principal,
  id: number,
  raw: unknown,
  now: number,
  ip: string | null,
): Promise<{ id: number; case: string; view: SpotCheckView }> {
  const input = parseInput(SpotCheckResultInput, raw);
  const view = await loadSpotCheck(tx, p, id);
  if (!view.cases.includes(input.case)) {
    throw new ValidationError(`case: 该办件不在本次抽查样本中 (case ${input.case} is not in the sample)`, {
      field: "case",
    });
  }
  const actor = actorOf(p);
  const resultId = await tx.transaction(async (t) => {
    const [row] = await t.insert(spotCheckResults).values({
      spotCheckId: id,
      caseId: input.case,
      result: input.result,
      note: input.note,
      by: actor.by,
      byOffice: actor.byOffice,
      at: new Date(now),
    }).returning({ id: spotCheckResults.id });
    await recordAudit(t, {
      actor: actor.by,
      role: p.role,
      action: "spotcheck.result",
      target: input.case,
      detail: { spotCheck: id, resultId: row.id, ...input, office: actor.byOffice },
      ip,
      at: new Date(now),
    });
    return row.id;
  });
  return { id: resultId, case: input.case, view: await loadSpotCheck(tx, p, id) };
}

/** A stored result by id, with its spot check (for orders opened from a result). */
export async function spotCheckResultById(tx: Tx, resultId: number) {
  const [row] = await tx.select().from(spotCheckResults).where(eq(spotCheckResults.id, resultId));
  return row ?? null;
}

/** The latest spot checks the principal may see, newest first. */
export async function listSpotChecks(tx: Tx, p: Principal, limit = 100) {
  const rows = await tx.select().from(spotChecks).orderBy(desc(spotChecks.id)).limit(limit * 5);
  const visible = rows.filter((r) => seesSpotCheck(p, r)).slice(0, limit);
  if (visible.length === 0) return [];
  const ids = visible.map((r) => r.id);
  const counts = await query<
    { id: number | string; sampled: number | string; checked: number | string; bad: number | string }
  >(
    tx,
    sql`select c.spot_check_id as id, count(*) as sampled,
          count(r.result) as checked, count(*) filter (where r.result = 'nonconforming') as bad
        from spot_check_cases c
        left join lateral (select result from spot_check_results x
          where x.spot_check_id = c.spot_check_id and x.case_id = c.case_id order by x.id desc limit 1) r on true
        where c.spot_check_id in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})
        group by c.spot_check_id`,
  );
  const byId = new Map(counts.map((c) => [Number(c.id), c]));
  const names = new Map<string, string>();
  const deptCodes = visible.filter((r) => r.scopeKind === "department").map((r) => r.scopeCode);
  const regionCodes = visible.filter((r) => r.scopeKind === "region").map((r) => r.scopeCode);
  if (deptCodes.length) {
    for (const d of await tx.select().from(departments).where(inArray(departments.code, deptCodes))) {
      names.set(`department:${d.code}`, d.name);
    }
  }
  if (regionCodes.length) {
    for (const r of await tx.select().from(regions).where(inArray(regions.code, regionCodes))) {
      names.set(`region:${r.code}`, r.name);
    }
  }
  return visible.map((r) => {
    const c = byId.get(r.id);
    return {
      id: r.id,
      scope: {
        kind: r.scopeKind,
        code: r.scopeCode,
        name: names.get(`${r.scopeKind}:${r.scopeCode}`) ?? null,
      },
      from: r.fromOn,
      to: r.toOn,
      size: r.size,
      seed: r.seed,
      population: r.population,
      createdBy: r.createdBy,
      createdByOffice: r.createdByOffice,
      createdAt: r.createdAt.toISOString(),
      sampled: Number(c?.sampled ?? 0),
      checked: Number(c?.checked ?? 0),
      nonconforming: Number(c?.bad ?? 0),
    };
  });
}

/** A listed spot check. */
export type SpotCheckListRow = Awaited<ReturnType<typeof listSpotChecks>>[number];
