import assert from "node:assert/strict";
import { and, asc } from "drizzle-orm";
import { openTestDatabase } from "../../db/testing.ts";
import { cases } from "../../db/schema.ts";
import { NotFoundError } from "../errors.ts";
import { PERMISSIONS, type Role, roleCan, ROLES } from "./roles.ts";
import {
  assertCanDecideCase,
  assertCanSeeCase,
  assertFilterInScope,
  inScope,
  mayIngestFor,
  resolveScope,
  type Scoped,
  scopeWhere,
  seesFullApplicant,
} from "./scope.ts";
import { seedReference } from "./test_support.ts";

const database = await openTestDatabase();
const { db } = database;
await seedReference(db);

const sorted = (s: Set<string> | "all") => (s === "all" ? s : [...s].sort());
const principal = async (
  role: Role | "display",
  s: { departments?: string[]; region?: string; hall?: string } = {},
) => ({ role, scope: await resolveScope(db, { role, ...s }) }) satisfies Scoped;

const ZZ = { department: "410100-SCJGJ", region: "410100", hall: "410100-ZWFW" };
const JS = { department: "410105-SCJGJ", region: "410105", hall: "410105-ZWFW" };
const LY = { department: "410300-SCJGJ", region: "410300", hall: "410300-ZWFW" };

Deno.test("a region agency sees its region and every region below, with their departments and halls", async () => {
  const { scope } = await principal("region", { region: "410100" });
  assert.deepEqual(sorted(scope.regions), ["410100", "410105"]);
  assert.deepEqual(sorted(scope.departments), ["410100-SCJGJ", "410105-SCJGJ"]);
  assert.deepEqual(sorted(scope.halls), ["410100-ZWFW", "410105-ZWFW"]);
  const province = await principal("region", { region: "410000" });
  assert.equal((province.scope.departments as Set<string>).size, 3);
});

Deno.test("the province sees everything; administrators see no cases", async () => {
  const p = await principal("province");
  assert.equal(p.scope.departments, "all");
  assert.ok(inScope(p.scope, LY) && inScope(p.scope, { department: null }));
  const admin = await principal("admin");
  assert.throws(() => assertCanSeeCase(admin, ZZ), NotFoundError);
});

Deno.test("department staff see their own department's cases only; others' ids answer 404", async () => {
  const d = await principal("department", { departments: ["410100-SCJGJ"] });
  assertCanSeeCase(d, ZZ);
  assert.throws(() => assertCanSeeCase(d, JS), NotFoundError);
  assert.throws(
    () => assertCanSeeCase(d, { ...LY, hall: "410100-ZWFW" }),
    NotFoundError,
    "a shared hall is not enough",
  );
  assert.throws(() => assertCanDecideCase(d, ZZ), /监察处理/);
  assert.equal(seesFullApplicant(d, ZZ), true);
});

Deno.test("hall managers and display tokens see counts of their hall but no case", async () => {
  for (const role of ["hall_manager", "display"] as const) {
    const h = await principal(role, { hall: "410100-ZWFW" });
    assert.ok(inScope(h.scope, ZZ));
    assert.equal(inScope(h.scope, JS), false);
    assert.throws(() => assertCanSeeCase(h, ZZ), NotFoundError);
    assert.equal(seesFullApplicant(h, ZZ), false);
    assertFilterInScope(h, { hall: "410100-ZWFW" });
    assert.throws(() => assertFilterInScope(h, { hall: "410105-ZWFW" }), /超出权限范围/);
    assert.throws(() => assertFilterInScope(h, { region: "410100" }), /超出权限范围/);
  }
});

Deno.test("directors read their scope's cases with masked applicants and cannot decide", async () => {
  const d = await principal("director", { region: "410100" });
  assertCanSeeCase(d, JS);
  assert.throws(() => assertCanSeeCase(d, LY), NotFoundError);
  assert.throws(() => assertCanDecideCase(d, JS), /监察处理/);
  assert.equal(seesFullApplicant(d, JS), false);
  const region = await principal("region", { region: "410100" });
  assertCanDecideCase(region, JS);
});

Deno.test("ingest clients push only for their departments; an unknown department is held, not refused", async () => {
  const byDept = await principal("ingest", { departments: ["410105-SCJGJ"] });
  assert.equal(mayIngestFor(byDept, "410105-SCJGJ"), true);
  assert.equal(mayIngestFor(byDept, "410100-SCJGJ"), false);
  assert.equal(mayIngestFor(byDept, null), true);
  const byRegion = await principal("ingest", { region: "410100" });
  assert.equal(mayIngestFor(byRegion, "410105-SCJGJ"), true, "sub-regions' departments included");
  assert.equal(mayIngestFor(byRegion, "410300-SCJGJ"), false);
  const province = await principal("province");
  assert.equal(mayIngestFor(province, "410100-SCJGJ"), false, "only ingest accounts push events");
});

Deno.test("scopeWhere restricts a query to the scope", async () => {
  const row = (caseId: string, p: typeof ZZ) => ({
    caseId,
    status: "accepted",
    itemCode: "X",
    ...p,
    result: {},
    evaluatedAt: new Date(),
  });
  await db.insert(cases).values([row("C-ZZ", ZZ), row("C-JS", JS), row("C-LY", LY)]);
  const ids = async (s: Scoped) =>
    (await db.select({ id: cases.caseId }).from(cases)
      .where(
        and(scopeWhere(s.scope, { department: cases.department, region: cases.region, hall: cases.hall })),
      )
      .orderBy(asc(cases.caseId))).map((r) => r.id);
  assert.deepEqual(await ids(await principal("province")), ["C-JS", "C-LY", "C-ZZ"]);
  assert.deepEqual(await ids(await principal("region", { region: "410100" })), ["C-JS", "C-ZZ"]);
  assert.deepEqual(await ids(await principal("department", { departments: ["410300-SCJGJ"] })), ["C-LY"]);
  assert.deepEqual(await ids(await principal("display", { hall: "410105-ZWFW" })), ["C-JS"]);
  assert.deepEqual(await ids(await principal("admin")), []);
});

Deno.test("every permission names only known roles, and the audit trail is the province's alone", () => {
  for (const roles of Object.values(PERMISSIONS)) {
    for (const r of roles) assert.ok([...ROLES, "display"].includes(r), r);
  }
  assert.deepEqual(ROLES.filter((r) => roleCan(r, "audit:read")), ["province"]);
  assert.equal(roleCan("display", "cases:read"), false);
});

Deno.test.afterAll(async () => {
  await database.drop();
});
