/**
 * Department staff answer their own case from the case page: an explanation (情况说明) on an alert and
 * on a finding, and the 9.10 appeal within its window — recorded with the signed-in account and time,
 * audited, shown on the case page (to supervisors too) and returned by explanationsFor(); an appeal
 * after the window is recorded and refused with the reason and the date; other departments get 404.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { auditLog } from "../../db/schema_auth.ts";
import { testPasswordHash } from "../auth/test_support.ts";
import { createUser } from "../auth/users.ts";
import { openTestApp, receivedEvent } from "../testing.ts";
import { explanationsFor } from "./answers.ts";

const NOW = "2024-10-15T10:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const at = (d: string, h = "10:00") => `${d}T${h}:00+08:00`;
const events = [
  // 8.1 warning (N = 10: remaining 2 on 2024-10-14), 9.1 abnormal on 2024-10-14.
  receivedEvent("A1-r", "A1", at("2024-09-27", "09:00"), "孙丽"),
  { id: "A1-a", case: "A1", type: "accepted", at: at("2024-09-27"), handler: "赵六" },
  {
    id: "A1-e",
    case: "A1",
    type: "evaluation",
    at: at("2024-10-14"),
    satisfied: false,
    satisfactionReason: "等待太久",
  },
];
assert.equal((await t.send("POST", "/api/v1/events", events)).status, 200);
assert.equal(
  (await t.send("PUT", "/api/v1/departments", [{
    code: "410200-SCJGJ",
    name: "开封市市场监督管理局",
    region: "410100",
  }]))
    .status,
  200,
);

async function account(username: string, departments: string[]) {
  const user = await createUser(
    db,
    {
      username,
      displayName: "窗口工作人员",
      role: "department",
      departments,
      region: null,
      hall: null,
    },
    Date.parse(NOW),
    { passwordHash: await testPasswordHash() },
  );
  return t.authOf(user.id);
}
const staff = await account("ans-staff", ["410100-SCJGJ"]);
const other = await account("ans-other", ["410200-SCJGJ"]);

const post = (path: string, form: Record<string, string>, authorization = staff) =>
  t.send("POST", path, new URLSearchParams(form).toString(), {
    authorization,
    "content-type": "application/x-www-form-urlencoded",
  });
/** Explain case A1's alert (`rule`, `level`) or finding (`rule`) of 2024-10-14 in `text`. */
const explainAlert = (rule: string, level: string, text: string, authorization = staff) =>
  post("/cases/A1/explanations", { kind: "alert", rule, level, on: "2024-10-14", text }, authorization);
const explainFinding = (rule: string, text: string, authorization = staff) =>
  post("/cases/A1/explanations", { kind: "finding", rule, on: "2024-10-14", text }, authorization);
const page = async (authorization = staff) =>
  await (await t.send("GET", "/cases/A1", undefined, { authorization })).text();

Deno.test("the case page says why the 8.1 warning was raised and by when the red card follows", async () => {
  const html = await page();
  assert.match(html, /承诺 10 个工作日，9 月 27 日受理，已用 9 个工作日，所剩 1 个（10 月 14 日起预警）/);
  assert.match(html, /须在 10 月 16 日（含）前办结，否则 10 月 17 日起亮红牌/);
  assert.match(html, /可于 10 月 28 日（含）前申诉/);
});

Deno.test("an explanation on an alert and on a finding is stored with who and when, audited and shown", async () => {
  const alert = await explainAlert("8.1", "warning", "申请人补交材料延迟，已电话催办");
  assert.equal(alert.status, 303);
  assert.equal(alert.headers.get("location"), "/cases/A1?answered=explanation#answers");
  assert.equal((await explainFinding("9.1", "已回访")).status, 303);
  const stored = (await explanationsFor(db, ["A1"])).get("A1")!;
  assert.deepEqual(stored.map((e) => [e.kind, e.rule, e.by, e.at.toISOString()]), [
    ["alert", "8.1", "ans-staff", new Date(NOW).toISOString()],
    ["finding", "9.1", "ans-staff", new Date(NOW).toISOString()],
  ]);
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, "case.explanation"));
  assert.equal(audit.filter((a) => a.target === "A1" && a.actor === "ans-staff").length, 2);
  // Supervisors see them on the case page.
  const seen = await (await t.send("GET", "/cases/A1", undefined, { authorization: t.auth.province })).text();
  assert.match(seen, /申请人补交材料延迟，已电话催办/);
  assert.match(seen, /窗口工作人员（ans-staff）/);
  assert.doesNotMatch(seen, /提交情况说明<\/button>/, "supervisors get no explanation form");
});

Deno.test("an explanation of a missing alert, an empty one, or on another department's case is refused", async () => {
  const missing = await explainAlert("8.4", "red", "x");
  assert.equal(missing.status, 400);
  assert.match(await missing.text(), /此办件没有该预警或评价结果/);
  const empty = await explainFinding("9.1", " ");
  assert.equal(empty.status, 400);
  assert.match(await empty.text(), /请填写内容/);
  const foreign = await explainFinding("9.1", "x", other);
  assert.equal(foreign.status, 404);
});

Deno.test("the appeal within its window is recorded as the account's appeal event; the finding is appealed", async () => {
  const res = await post("/cases/A1/appeals", { rule: "9.1", text: "申请人所述等待系材料不齐所致" });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/cases/A1?answered=appeal#answers");
  const result = await (await t.send("GET", "/api/v1/cases/A1")).json();
  assert.equal(result.findings.find((f: { rule: string }) => f.rule === "9.1").state, "appealed");
  const audit = await db.select().from(auditLog).where(eq(auditLog.action, "case.appeal"));
  assert.equal(audit.filter((a) => a.target === "A1" && a.actor === "ans-staff").length, 1);
});

Deno.test("an appeal after the window is refused with the reason and the date", async () => {
  const late = [
    receivedEvent("A2-r", "A2", at("2024-09-02", "09:00")),
    { id: "A2-a", case: "A2", type: "accepted", at: at("2024-09-02") },
    {
      id: "A2-e",
      case: "A2",
      type: "evaluation",
      at: at("2024-09-20"),
      satisfied: false,
      satisfactionReason: "态度差",
    },
  ];
  assert.equal((await t.send("POST", "/api/v1/events", late)).status, 200);
  const html = await (await t.send("GET", "/cases/A2", undefined, { authorization: staff })).text();
  assert.match(html, /申诉期限已过：9 月 20 日判定为异常，应在 10 月 10 日（含）前申诉/);
  assert.doesNotMatch(html, /提交申诉<\/button>/);
  const res = await post("/cases/A2/appeals", { rule: "9.1", text: "迟到的申诉" });
  assert.equal(res.headers.get("location"), "/cases/A2?answered=appeal-refused#answers");
  const after =
    await (await t.send("GET", "/cases/A2?answered=appeal-refused", undefined, { authorization: staff }))
      .text();
  assert.match(after, /申诉已记录但未被受理/);
  assert.match(after, /申诉已超过期限：应在2024-10-10（含）前提出/);
});

Deno.test.afterAll(() => t.database.drop());
