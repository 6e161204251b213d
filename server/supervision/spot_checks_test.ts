import assert from "node:assert/strict";
import { eq, sql } from "drizzle-orm";
import { auditLog } from "../../db/schema_auth.ts";
import { createPerson } from "../auth/test_support.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { population, sampleHash } from "./spot_checks.ts";

const t = await openTestApp("2024-10-15T10:00:00+08:00");
const { db } = t.database;

// SC01–SC08 received 2024-10-08..10 by 郑州市场监管, SC09 after the period, and SC10 of another city.
const events = [];
for (let i = 1; i <= 8; i++) {
  const id = `SC${String(i).padStart(2, "0")}`;
  events.push(receivedEvent(`${id}-r`, id, `2024-10-${String(8 + (i % 3)).padStart(2, "0")}T09:00:00+08:00`));
}
events.push(receivedEvent("SC09-r", "SC09", "2024-10-14T09:00:00+08:00"));
assert.equal(
  (await t.send("PUT", "/api/v1/regions", [{ code: "410300", name: "洛阳市", parent: "410000" }])).status,
  200,
);
assert.equal(
  (await t.send("PUT", "/api/v1/departments", [{
    code: "410300-SCJGJ",
    name: "洛阳市市场监管局",
    region: "410300",
  }]))
    .status,
  200,
);
const res0 = await t.send("POST", "/api/v1/events", events);
assert.equal(res0.status, 200, await res0.text());

async function keyOf(role: "region" | "department", scope: { region?: string; departments?: string[] }) {
  const user = await createPerson(
    db,
    `sc-${role}-${scope.region ?? scope.departments?.[0]}`,
    role,
    scope,
    Date.now(),
    role === "region" ? "洛阳市电子监察室" : "窗口",
  );
  return t.authOf(user.id);
}

const draw = (body: unknown, authorization = t.auth.province) =>
  t.send("POST", "/api/v1/spot-checks", body, { authorization });

Deno.test("a spot check with a fixed seed samples exactly the cases a hand computation gives", async () => {
  // printf 'SC-2024:SC05' | sha256sum → 0eddf091…, then SC02 48c5dbfc…, SC07 4a481d24… (SC01–SC08).
  const res = await draw({
    department: "410100-SCJGJ",
    from: "2024-10-08",
    to: "2024-10-10",
    size: 3,
    seed: "SC-2024",
  });
  assert.equal(res.status, 201, await res.clone().text());
  const out = await res.json();
  assert.equal(out.seed, "SC-2024");
  assert.deepEqual(out.cases, ["SC05", "SC02", "SC07"]);
  assert.equal(out.sample[0].hash, "0eddf091c109e8e4745e1ea0ef62d0424b27037a9b1a3422db5fc63310944239");
  assert.equal(out.population, 8, "SC09 lies outside the period");
  assert.deepEqual(out.summary, {
    sampled: 3,
    checked: 0,
    conforming: 0,
    nonconforming: 0,
    byDepartment: [{
      department: "410100-SCJGJ",
      name: "郑州市市场监督管理局",
      sampled: 3,
      checked: 0,
      nonconforming: 0,
    }],
  });
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.target, `spot-check:${out.id}`));
  assert.equal(audit.action, "spotcheck.create");
  assert.equal((audit.detail as { seed: string }).seed, "SC-2024");
});

Deno.test("the database's order of a Chinese seed agrees with SHA-256 over its UTF-8 bytes", async () => {
  const seed = "二〇二四年十月抽查";
  const res = await draw({ region: "410100", from: "2024-10-01", to: "2024-10-31", size: 9, seed });
  assert.equal(res.status, 201);
  const out = await res.json();
  const ids = ["SC01", "SC02", "SC03", "SC04", "SC05", "SC06", "SC07", "SC08", "SC09"];
  const hashed = await Promise.all(ids.map(async (id) => [await sampleHash(seed, id), id] as const));
  hashed.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  assert.deepEqual(out.cases, hashed.map(([, id]) => id));
  assert.equal(out.scope.kind, "region");
});

Deno.test("without a seed one is proposed and recorded, and the same seed re-draws the same sample", async () => {
  const first =
    await (await draw({ department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 4 }))
      .json();
  assert.match(first.seed, /^[0-9a-f]{12}$/);
  const again = await (await draw({
    department: "410100-SCJGJ",
    from: "2024-10-01",
    to: "2024-10-31",
    size: 4,
    seed: first.seed,
  })).json();
  assert.deepEqual(again.cases, first.cases);
  assert.deepEqual((await (await t.send("GET", `/api/v1/spot-checks/${first.id}`)).json()).seed, first.seed);
});

Deno.test("bad spot-check requests name the field", async () => {
  const cases: [unknown, string][] = [
    [{ from: "2024-10-01", to: "2024-10-31", size: 3 }, "department"],
    [
      { department: "410100-SCJGJ", region: "410100", from: "2024-10-01", to: "2024-10-31", size: 3 },
      "department",
    ],
    [{ department: "410100-SCJGJ", from: "2024-10-32", to: "2024-10-31", size: 3 }, "from"],
    [{ department: "410100-SCJGJ", from: "2024-10-31", to: "2024-10-01", size: 3 }, "to"],
    [{ department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 0 }, "size"],
    [{ department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 2.5 }, "size"],
    [{ department: "NOPE", from: "2024-10-01", to: "2024-10-31", size: 3 }, "department"],
    [{ department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 3, extra: 1 }, "(body)"],
  ];
  for (const [body, field] of cases) {
    const res = await draw(body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const out = await res.json();
    assert.equal(out.details.field, field, JSON.stringify(out));
  }
  assert.equal(
    (await t.send("POST", "/api/v1/spot-checks", "{", { authorization: t.auth.province })).status,
    400,
  );
});

Deno.test("a region agency draws only in its region and sees only its spot checks", async () => {
  const luoyang = await keyOf("region", { region: "410300" });
  const res = await draw(
    { department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 3 },
    luoyang,
  );
  assert.equal(res.status, 403);
  await res.body?.cancel();
  const own = await draw({ region: "410300", from: "2024-10-01", to: "2024-10-31", size: 3 }, luoyang);
  assert.equal(own.status, 201);
  const mine = await own.json();
  assert.deepEqual(mine.cases, []);
  assert.equal(mine.createdByOffice, "洛阳市电子监察室");
  const list = await (await t.send("GET", "/api/v1/spot-checks", undefined, { authorization: luoyang }))
    .json();
  assert.deepEqual(list.map((s: { id: number }) => s.id), [mine.id]);
  // The province's spot check in another region (drawn here, not by an earlier test).
  const provinces = await draw({ department: "410100-SCJGJ", from: "2024-10-01", to: "2024-10-31", size: 1 });
  assert.equal(provinces.status, 201);
  const { id: otherId } = await provinces.json();
  const other = await t.send("GET", `/api/v1/spot-checks/${otherId}`, undefined, { authorization: luoyang });
  assert.equal(other.status, 404);
  await other.body?.cancel();
  const dept = await keyOf("department", { departments: ["410100-SCJGJ"] });
  const refused = await t.send("GET", "/api/v1/spot-checks", undefined, { authorization: dept });
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
});

Deno.test("results are recorded with who and when, the latest counts, and the summary follows", async () => {
  const sc = await (await draw({
    department: "410100-SCJGJ",
    from: "2024-10-08",
    to: "2024-10-10",
    size: 3,
    seed: "SC-2024",
  }))
    .json();
  const post = (body: unknown) =>
    t.send("POST", `/api/v1/spot-checks/${sc.id}/results`, body, { authorization: t.auth.province });
  const ok = await post({ case: "SC05", result: "conforming", note: "" });
  assert.equal(ok.status, 201, await ok.clone().text());
  const okBody = await ok.json();
  assert.equal(okBody.by, "test-province");
  assert.equal(okBody.at, "2024-10-15T02:00:00.000Z");
  assert.equal((await post({ case: "SC02", result: "nonconforming", note: "" })).status, 400);
  assert.equal((await post({ case: "SC01", result: "conforming" })).status, 400, "SC01 is not in the sample");
  assert.equal((await post({ case: "SC02", result: "maybe", note: "x" })).status, 400);
  assert.equal((await post({ case: "SC02", result: "nonconforming", note: "未按时告知补正" })).status, 201);
  assert.equal((await post({ case: "SC05", result: "nonconforming", note: "复核发现材料不全" })).status, 201);
  const view = await (await t.send("GET", `/api/v1/spot-checks/${sc.id}`)).json();
  assert.deepEqual(
    {
      sampled: view.summary.sampled,
      checked: view.summary.checked,
      nonconforming: view.summary.nonconforming,
    },
    { sampled: 3, checked: 2, nonconforming: 2 },
  );
  const sc05 = view.sample.find((s: { case: string }) => s.case === "SC05");
  assert.equal(sc05.result, "nonconforming");
  assert.deepEqual(sc05.history.map((h: { result: string }) => h.result), ["conforming", "nonconforming"]);
  const audits = await db.select().from(auditLog).where(eq(auditLog.action, "spotcheck.result"));
  assert.ok(audits.some((a) => a.target === "SC02"));

  const csv = await t.send("GET", `/api/v1/spot-checks/${sc.id}/export?format=csv`);
  assert.equal(csv.status, 200);
  const text = await csv.text();
  assert.match(text, /SC02,郑州市市场监督管理局,不合格,未按时告知补正/);
  assert.match(csv.headers.get("content-disposition")!, /filename\*=UTF-8''/);
  const xlsx = await t.send("GET", `/api/v1/spot-checks/${sc.id}/export?format=xlsx`);
  assert.equal(xlsx.status, 200);
  const bytes = new Uint8Array(await xlsx.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 2)], [0x50, 0x4b], "an XLSX is a zip file");
  const bad = await t.send("GET", `/api/v1/spot-checks/${sc.id}/export?format=pdf`);
  assert.equal(bad.status, 400);
  await bad.body?.cancel();
  // The printable report: every sampled case with its result and checker, and how to re-draw it.
  const print = await (await t.send("GET", `/spot-checks/${sc.id}/print`, undefined, {
    authorization: t.auth.province,
  })).text();
  assert.match(print, /<td data-label="办件编号">SC02<\/td>[\s\S]*?不合格[\s\S]*?未按时告知补正/);
  assert.match(print, /按 SHA-256\(种子:办件编号\) 升序取前 3 件/);
  assert.equal((print.match(/<td data-label="序号">/g) ?? []).length, 3);
});

Deno.test("the sample is drawn through the (department, received_on) index, not a scan of all cases", async () => {
  for (
    const [scope, index] of [["department", "cases_dept_status_received_idx"], [
      "region",
      "cases_region_received_idx",
    ]]
  ) {
    const plan = await db.transaction(async (tx) => {
      // On a table this small the planner prefers a scan; forbidding it shows the index serves the query.
      await tx.execute(sql`set local enable_seqscan = off`);
      const input = {
        [scope]: scope === "region" ? "410100" : "410100-SCJGJ",
        from: "2024-10-01",
        to: "2024-10-31",
        size: 3,
      };
      const principal = { scope: { departments: "all", regions: "all", halls: "all" } } as never;
      const pop = await population(tx, principal, input as never);
      return JSON.stringify(await tx.execute(sql`explain select case_id from cases where ${pop.where}`));
    });
    // Index-bound (the planner may pick another index leading with the same column on a small table).
    assert.doesNotMatch(plan, /Seq Scan/, plan);
    assert.match(plan, /Index (Only )?Scan|Bitmap Index Scan/, `${plan} (${index} exists for this query)`);
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
