import assert from "node:assert/strict";
import { openTestDatabase } from "../../db/testing.ts";
import { users } from "../../db/schema_auth.ts";
import { findApiKey } from "./api_keys.ts";
import { ensureBootstrapUsers } from "./bootstrap.ts";
import { DEMO_EVALUATION_KEY, DEMO_INGEST_KEY, DEMO_PASSWORD, DEMO_USERS } from "./demo_users.ts";
import { verifyPassword } from "./password.ts";
import { ROLES } from "./roles.ts";
import { seedReference, steppingClock } from "./test_support.ts";
import { userByName } from "./users.ts";

const database = await openTestDatabase();
const clock = steppingClock();
await seedReference(database.db);
const deps = { database, clock: clock.fn };

Deno.test("the first start creates admin with a generated password, printed once", async () => {
  const lines: string[] = [];
  const report = await ensureBootstrapUsers(deps, { log: (l) => lines.push(l) });
  const password = report.admin?.generatedPassword;
  assert.ok(password && password.length >= 16);
  assert.equal(lines.length, 1);
  assert.ok(lines[0].includes(password));
  const admin = await userByName(database.db, "admin");
  assert.equal(admin?.role, "admin");
  assert.equal(await verifyPassword(password, admin!.passwordHash!), true);
  const again: string[] = [];
  assert.deepEqual(await ensureBootstrapUsers(deps, { log: (l) => again.push(l) }), { demoUsers: [] });
  assert.deepEqual(again, [], "nothing printed or created on later starts");
});

Deno.test("demo mode adds one account per role with the demo password, and the demo ingest key", async () => {
  assert.deepEqual([...new Set(DEMO_USERS.map((u) => u.role))].sort(), [...ROLES].sort());
  const lines: string[] = [];
  const report = await ensureBootstrapUsers(deps, { demo: true, log: (l) => lines.push(l) });
  assert.deepEqual(report.demoUsers, DEMO_USERS.map((u) => u.username));
  assert.ok(lines.some((l) => l.includes(DEMO_PASSWORD)));
  const sheng = await userByName(database.db, "sheng");
  assert.equal(await verifyPassword(DEMO_PASSWORD, sheng!.passwordHash!), true);
  const key = await findApiKey(database.db, DEMO_INGEST_KEY, Date.now());
  assert.equal(key?.user.username, "jieru");
  assert.equal(key?.user.senderKind, "department");
  const platform = await findApiKey(database.db, DEMO_EVALUATION_KEY, Date.now());
  assert.deepEqual([platform?.user.username, platform?.user.senderKind], ["pingjia", "evaluation"]);
  assert.ok(lines.some((l) => l.includes(DEMO_INGEST_KEY) && l.includes(DEMO_EVALUATION_KEY)));
  assert.deepEqual((await ensureBootstrapUsers(deps, { demo: true, log: () => {} })).demoUsers, []);
  assert.equal((await database.db.select().from(users)).length, DEMO_USERS.length + 1);
});

Deno.test("ADMIN_PASSWORD is the administrator's password, not printed; demo accounts need no reference data yet", async () => {
  const fresh = await openTestDatabase();
  try {
    const lines: string[] = [];
    const report = await ensureBootstrapUsers({ database: fresh, clock: clock.fn }, {
      adminPassword: "from-the-environment",
      demo: true,
      log: (l) => lines.push(l),
    });
    assert.equal(report.admin?.generatedPassword, undefined);
    assert.equal(lines.join("\n").includes("from-the-environment"), false);
    const admin = await userByName(fresh.db, "admin");
    assert.equal(await verifyPassword("from-the-environment", admin!.passwordHash!), true);
    assert.equal(report.demoUsers.length, DEMO_USERS.length);
  } finally {
    await fresh.drop();
  }
});

Deno.test.afterAll(async () => {
  await database.drop();
});

Deno.test("every demo account's scope names demo reference data that exists", async () => {
  const { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } = await import("../demo/henan.ts");
  for (const u of DEMO_USERS) {
    for (const d of u.departments) assert.ok(HENAN_DEPARTMENTS.some((x) => x.code === d), d);
    if (u.region) assert.ok(HENAN_REGIONS.some((x) => x.code === u.region), u.region);
    if (u.hall) assert.ok(HENAN_HALLS.some((x) => x.code === u.hall), u.hall);
  }
});
