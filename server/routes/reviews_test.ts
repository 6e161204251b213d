import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../../db/schema_auth.ts";
import { createSession } from "../auth/sessions.ts";
import { createPerson, sessionHeaders } from "../auth/test_support.ts";
import { userByName } from "../auth/users.ts";
import type { Role } from "../auth/roles.ts";
import type { Tx } from "../../db/client.ts";
import { openTestApp, supervisedCaseEvents, type TestApp } from "../testing.ts";

const NOW = "2024-10-15T10:00:00+08:00";
// One app per file, opened before the first test that runs; each test decides on a case of its own.
let t: TestApp;
let db: Tx;
Deno.test.beforeAll(async () => {
  t = await openTestApp(NOW);
  db = t.database.db;
});
Deno.test.afterAll(() => t.database.drop());

let made = 0;
/**
 * A fresh supervised case for one test (testing.ts supervisedCaseEvents): a charge although the item
 * has no fee standard (8.4 red card, subject = the fee event's id), an evaluation that is unsatisfied
 * with a reason (9.1 abnormal) and gives other feedback (9.9 pending), and an appeal of 9.1 with no
 * second evaluation: investigated since 00:00 of addWorkdays(2024-09-09, 11). Returns its id.
 */
async function supervisedCase(): Promise<string> {
  const caseId = `R${++made}`;
  const res = await t.send("POST", "/api/v1/events", supervisedCaseEvents(caseId));
  assert.equal(res.status, 200, await res.text());
  return caseId;
}

/** Request headers of a new signed-in account of a role. */
async function keyOf(
  role: Role,
  scope: { departments?: string[]; region?: string } = {},
): Promise<Record<string, string>> {
  const user = await createPerson(
    db,
    `rv-${role}-${scope.region ?? "x"}-${++made}`,
    role,
    scope,
    Date.parse(NOW),
  );
  return await sessionHeaders(db, user.id, t.deps.clock());
}

const supervisor = () => t.auth.province;
const review = (caseId: string, body: unknown, who: string | Record<string, string> = supervisor()) =>
  t.send(
    "POST",
    `/api/v1/cases/${caseId}/reviews`,
    body,
    typeof who === "string" ? { authorization: who } : who,
  );
const view = async (caseId: string) =>
  await (await t.send("GET", `/api/v1/cases/${caseId}/view`, undefined, { authorization: supervisor() }))
    .json();

Deno.test("a supervised case has a red card 8.4, a pending 9.9 and a 9.1 under investigation", async () => {
  const v = await view(await supervisedCase());
  assert.ok(
    v.result.alerts.some((a: { rule: string; level: string }) => a.rule === "8.4" && a.level === "red"),
  );
  const state = (rule: string) => v.result.findings.find((f: { rule: string }) => f.rule === rule)?.state;
  assert.equal(state("9.9"), "pending");
  assert.equal(state("9.1"), "investigating");
});

Deno.test("judging 9.9 stores a review event that the case view shows with who and why, and audits it", async () => {
  const R = await supervisedCase();
  const res = await review(R, { action: "judge", rule: "9.9", abnormal: true, reason: "指引不清属实" });
  assert.equal(res.status, 201);
  const out = await res.json();
  assert.equal(out.applied, true);
  assert.equal(out.event.type, "review");
  assert.equal(out.event.by, "test-province");
  assert.equal(out.event.at, "2024-10-15T10:00:00+08:00");
  const v = await view(R);
  const rv = v.reviews.find((r: { eventId: string }) => r.eventId === out.event.id);
  assert.equal(rv.by, "test-province");
  assert.equal(rv.reason, "指引不清属实");
  assert.equal(rv.action, "judge");
  assert.equal(v.result.findings.find((f: { rule: string }) => f.rule === "9.9").state, "abnormal");
  assert.ok(v.timeline.some((e: { id: string }) => e.id === out.event.id));
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.id, out.auditId));
  assert.equal(audit.action, "case.review");
  assert.equal(audit.actor, "test-province");
  assert.equal(audit.role, "province");
  assert.equal(audit.target, R);
  const detail = audit.detail as Record<string, unknown>;
  assert.equal(detail.eventId, out.event.id);
  assert.equal(detail.reason, "指引不清属实");
  assert.equal(audit.at.getTime(), Date.parse(NOW));
});

Deno.test("closing the 9.1 investigation as not abnormal dismisses the finding", async () => {
  const R = await supervisedCase();
  const res = await review(R, {
    action: "close_investigation",
    rule: "9.1",
    abnormal: false,
    reason: "核实为误评",
  });
  assert.equal(res.status, 201);
  const v = await view(R);
  const f = v.findings.find((x: { rule: string }) => x.rule === "9.1");
  assert.equal(f.state, "dismissed");
  assert.equal(f.transitions.at(-1).by, "test-province");
});

Deno.test("a disposition, then a void, of the 8.4 red card are both recorded on the alert", async () => {
  const R = await supervisedCase();
  const red = (await view(R)).result.alerts.find((a: { rule: string }) => a.rule === "8.4");
  const disposed = await review(R, {
    action: "dispose",
    rule: "8.4",
    subject: red.subject,
    disposition: "accountability",
    reason: "无依据收费",
  });
  assert.equal(disposed.status, 201);
  let v = await view(R);
  assert.deepEqual(
    v.dispositions.map((
      d: { rule: string; disposition: string; by: string },
    ) => [d.rule, d.disposition, d.by]),
    [["8.4", "accountability", "test-province"]],
  );
  const voided = await review(R, {
    action: "void",
    rule: "8.4",
    subject: red.subject,
    reason: "收费依据已补录",
  });
  assert.equal(voided.status, 201);
  v = await view(R);
  assert.equal(v.result.alerts.find((a: { rule: string }) => a.rule === "8.4").voided, "2024-10-15");
  const audits = await db.select().from(auditLog).where(
    and(eq(auditLog.action, "case.review"), eq(auditLog.target, R)),
  );
  assert.equal(audits.length, 2, "one audit record per decision");
});

Deno.test("a decision that matches nothing is stored but reported as not applied", async () => {
  const res = await review(await supervisedCase(), { action: "void", rule: "8.9", reason: "无此红牌" });
  assert.equal(res.status, 201);
  const out = await res.json();
  assert.equal(out.applied, false);
  assert.equal(typeof out.note, "string");
});

Deno.test("invalid decisions are refused with 400 naming the field", async () => {
  const cases: [unknown, string][] = [
    [{ action: "judge", rule: "9.9", abnormal: true }, "reason"],
    [{ action: "judge", rule: "9.9", abnormal: true, reason: "   " }, "reason"],
    [{ action: "void", rule: "8.4", disposition: "accountability", reason: "x" }, "disposition"],
    [{ action: "dispose", rule: "8.4", reason: "x" }, "disposition"],
    [{ action: "judge", rule: "8.1", abnormal: true, reason: "x" }, "rule"],
    [{ action: "judge", rule: "9.9", reason: "x" }, "abnormal"],
    [{ action: "void", rule: "8.4", abnormal: true, reason: "x" }, "abnormal"],
    [{ action: "void", rule: "7.7", reason: "x" }, "rule"],
    [{ action: "approve", rule: "8.4", reason: "x" }, "action"],
    [{ action: "void", rule: "8.4", reason: "x", by: "someone-else" }, "(body)"],
  ];
  const R = await supervisedCase();
  for (const [body, field] of cases) {
    const res = await review(R, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    const out = await res.json();
    assert.equal(out.details.field, field, JSON.stringify(body));
    assert.ok(out.error.startsWith(`${field}:`), out.error);
  }
  const notJson = await t.send("POST", `/api/v1/cases/${R}/reviews`, "{", { authorization: supervisor() });
  assert.equal(notJson.status, 400);
  await notJson.body?.cancel();
});

Deno.test("only supervisors in scope may decide: 401 anonymous, 403 other roles, 404 outside the scope", async () => {
  const body = { action: "void", rule: "8.4", reason: "x" };
  const R = await supervisedCase();
  const statusOf = async (who: string | Record<string, string>, caseId = R) => {
    const res = await review(caseId, body, who);
    await res.body?.cancel();
    return res.status;
  };
  assert.equal(await statusOf(""), 401);
  assert.equal(await statusOf(t.auth.admin), 403);
  assert.equal(await statusOf(await keyOf("director", { region: "410100" })), 403);
  assert.equal(await statusOf(await keyOf("department", { departments: ["410100-SCJGJ"] })), 403);
  assert.equal(await statusOf(await keyOf("region", { region: "410300" })), 404);
  assert.equal(await statusOf(supervisor(), "NO-SUCH-CASE"), 404);
  const inRegion = await keyOf("region", { region: "410100" });
  assert.equal(await statusOf(inRegion), 201);
});

Deno.test("the case page's form post needs the session's CSRF token and redirects back to the case", async () => {
  const user = (await userByName(db, "test-province"))!;
  const s = await createSession(db, user.id, Date.parse(NOW));
  const R = await supervisedCase();
  const post = (fields: Record<string, string>) =>
    t.app.request(`/cases/${R}/reviews`, {
      method: "POST",
      headers: { cookie: `jct_session=${s.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields).toString(),
    });
  const fields = { action: "dispose", rule: "8.4", disposition: "circulated_criticism", reason: "表单处理" };
  const refused = await post(fields);
  assert.equal(refused.status, 403);
  await refused.body?.cancel();
  const before = (await view(R)).reviews.length;
  const ok = await post({ ...fields, _csrf: s.csrfToken });
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get("location"), `/cases/${R}#reviews`);
  const v = await view(R);
  assert.equal(v.reviews.length, before + 1);
  const made = v.reviews.find((r: { reason: string }) => r.reason === "表单处理");
  assert.equal(made.disposition, "circulated_criticism");
  assert.equal(made.by, "test-province");
});
