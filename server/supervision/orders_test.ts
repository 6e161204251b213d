import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { notificationsOutbox } from "../../db/schema.ts";
import { auditLog } from "../../db/schema_auth.ts";
import { orderSteps } from "../../db/schema_supervision.ts";
import { startScheduler } from "../write/scheduler.ts";
import { openTestApp, receivedEvent, supervisedCaseEvents } from "../testing.ts";
import { markOverdueOrders, ordersOverdueInPeriodByDepartment, overdueOrdersByDepartment } from "./orders.ts";
import { person } from "./test_accounts.ts";
import { loadMonthlyTallies } from "../reports/tally_query.ts";

const ORDER = {
  case: "R1",
  rule: "8.4",
  level: "red",
  on: "2024-09-03",
  subject: "r1-fee",
  text: "请说明收费依据并退还",
};

/** How far the order on R1's 8.4 red card has come when a test starts. */
type Stage = "none" | "issued" | "replied" | "overdue";

/**
 * Each test's own world: a fresh app on Mon 2024-09-30, the working day before the National Day
 * holiday (10-01..07; Sat 10-12 works), with R1 (an 8.4 red card) and F2 (a second charge, for the
 * Spring Festival order), two department accounts, and the order on R1 brought to `stage` the way the
 * product does it (issued on 09-30, replied on 10-09, returned with 3 days on 10-14 and overdue on 10-18).
 */
async function orderWorld(stage: Stage) {
  const t = await openTestApp("2024-09-30T10:00:00+08:00");
  const res0 = await t.send("POST", "/api/v1/events", [
    ...supervisedCaseEvents(),
    receivedEvent("f2-r", "F2", "2024-09-02T09:00:00+08:00"),
    { id: "f2-a", case: "F2", type: "accepted", at: "2024-09-02T09:10:00+08:00", handler: "王五" },
    { id: "f2-fee", case: "F2", type: "fee", at: "2024-09-03T10:00:00+08:00", kind: "charge", amount: 50 },
  ]);
  assert.equal(res0.status, 200, await res0.text());
  const staff = await person(t, {
    username: "od-staff",
    displayName: "郑州市市场监督管理局窗口",
    role: "department",
    departments: ["410100-SCJGJ"],
  });
  const otherStaff = await person(t, {
    username: "od-other",
    displayName: "别的部门",
    role: "department",
    departments: ["410200-SCJGJ"],
  });
  const sup = (path: string, body: unknown) => t.send("POST", path, body, { authorization: t.auth.province });
  const scheduler = startScheduler(t.deps, { background: false });
  const ok = async (res: Promise<Response>) => {
    const r = await res;
    assert.ok(r.ok, await r.clone().text());
    return await r.json();
  };
  let orderId = 0;
  if (stage !== "none") orderId = (await ok(sup("/api/v1/orders", ORDER))).id;
  if (stage === "replied" || stage === "overdue") {
    t.setNow("2024-10-09T15:00:00+08:00");
    await ok(
      t.send(
        "POST",
        `/api/v1/orders/${orderId}/reply`,
        { text: "已退还50元并补充依据" },
        await staff.headers(),
      ),
    );
  }
  if (stage === "overdue") {
    t.setNow("2024-10-14T09:00:00+08:00");
    await ok(sup(`/api/v1/orders/${orderId}/return`, { text: "依据不充分", days: 3 }));
    t.setNow("2024-10-18T08:30:00+08:00");
    await scheduler.runOnce();
    await markOverdueOrders(t.deps, t.deps.clock());
  }
  return {
    t,
    db: t.database.db,
    staff,
    otherStaff,
    sup,
    scheduler,
    orderId,
    async [Symbol.asyncDispose]() {
      await scheduler.stop();
      await t.database.drop();
    },
  };
}

Deno.test("an order on a red card is due 5 working days later, across the National Day holiday", async () => {
  await using w = await orderWorld("none");
  const { db, sup } = w;
  const res = await sup("/api/v1/orders", ORDER);
  assert.equal(res.status, 201, await res.clone().text());
  const o = await res.json();
  assert.equal(o.state, "open");
  assert.equal(o.dueOn, "2024-10-12", "10-08..10-12: the make-up Saturday counts");
  assert.equal(o.overdueAt, "2024-10-13T16:00:00.000Z", "00:00 of Mon 10-14 in Shanghai");
  assert.equal(o.department, "410100-SCJGJ");
  assert.equal(o.days, 5);
  assert.deepEqual(o.steps.map((s: { action: string }) => s.action), ["issued"]);
  const [audit] = await db.select().from(auditLog).where(eq(auditLog.action, "order.issue"));
  assert.equal(audit.target, "R1");
  const outbox = await db.select().from(notificationsOutbox).where(eq(notificationsOutbox.caseId, "R1"));
  const msg = outbox.map((r) => r.payload as { kind: string; text: string }).find((p) => p.kind === "order")!;
  assert.match(msg.text, /^【督办】郑州市市场监督管理局：办件 R1/);
});

Deno.test("a second open order on the same alert is refused, and orders name a real alert", async () => {
  await using w = await orderWorld("issued");
  const { sup } = w;
  const dup = await sup("/api/v1/orders", ORDER);
  assert.equal(dup.status, 409);
  await dup.body?.cancel();
  const none = await sup("/api/v1/orders", { ...ORDER, on: "2024-09-04" });
  assert.equal(none.status, 400);
  assert.equal((await none.json()).details.field, "rule");
  const bad = await sup("/api/v1/orders", { ...ORDER, days: 0 });
  assert.equal((await bad.json()).details.field, "days");
  const missing = await sup("/api/v1/orders", { case: "R1", text: "x" });
  assert.equal((await missing.json()).details.field, "rule");
  const unknown = await sup("/api/v1/orders", { ...ORDER, case: "NOPE" });
  assert.equal(unknown.status, 404);
  await unknown.body?.cancel();
});

Deno.test("the department sees and answers its order; another department and supervisors cannot reply", async () => {
  await using w = await orderWorld("issued");
  const { t, staff, otherStaff, orderId } = w;
  const mine = await t.send("GET", "/api/v1/orders", undefined, await staff.headers());
  assert.deepEqual((await mine.json()).map((o: { id: number }) => o.id), [orderId]);
  const theirs = await t.send("GET", "/api/v1/orders", undefined, await otherStaff.headers());
  assert.deepEqual(await theirs.json(), []);
  const hidden = await t.send(
    "POST",
    `/api/v1/orders/${orderId}/reply`,
    { text: "x" },
    await otherStaff.headers(),
  );
  assert.equal(hidden.status, 404);
  await hidden.body?.cancel();
  const supervisor = await t.send("POST", `/api/v1/orders/${orderId}/reply`, { text: "x" }, {
    authorization: t.auth.province,
  });
  assert.equal(supervisor.status, 403);
  await supervisor.body?.cancel();
  const early = await t.send("POST", `/api/v1/orders/${orderId}/accept`, {}, {
    authorization: t.auth.province,
  });
  assert.equal(early.status, 409, "nothing to accept before a reply");
  await early.body?.cancel();

  t.setNow("2024-10-09T15:00:00+08:00");
  const blank = await t.send("POST", `/api/v1/orders/${orderId}/reply`, { text: " " }, await staff.headers());
  assert.equal(blank.status, 400);
  await blank.body?.cancel();
  const reply = await t.send(
    "POST",
    `/api/v1/orders/${orderId}/reply`,
    { text: "已退还50元并补充依据" },
    await staff.headers(),
  );
  assert.equal(reply.status, 200, await reply.clone().text());
  const o = await reply.json();
  assert.equal(o.state, "replied");
  assert.equal(o.steps[1].by, "od-staff");
  assert.equal(o.steps[1].byOffice, "郑州市市场监督管理局窗口");
});

Deno.test("returned with 3 working days the order is open again; the scheduler makes it overdue exactly once", async () => {
  await using w = await orderWorld("replied");
  const { t, db, scheduler, orderId } = w;
  t.setNow("2024-10-14T09:00:00+08:00");
  const ret = await t.send("POST", `/api/v1/orders/${orderId}/return`, { text: "依据不充分", days: 3 }, {
    authorization: t.auth.province,
  });
  assert.equal(ret.status, 200, await ret.clone().text());
  const o = await ret.json();
  assert.equal(o.state, "open");
  assert.equal(o.dueOn, "2024-10-17");

  t.setNow("2024-10-17T23:59:59+08:00");
  await scheduler.runOnce();
  assert.equal(
    (await (await t.send("GET", `/api/v1/orders/${orderId}`)).json()).state,
    "open",
    "due by the end of 10-17",
  );

  t.setNow("2024-10-18T08:30:00+08:00");
  await scheduler.runOnce();
  await scheduler.runOnce();
  await markOverdueOrders(t.deps, t.deps.clock());
  const v = await (await t.send("GET", `/api/v1/orders/${orderId}`)).json();
  assert.equal(v.state, "overdue");
  const overdue = v.steps.filter((s: { action: string }) => s.action === "overdue");
  assert.equal(overdue.length, 1);
  assert.equal(overdue[0].at, "2024-10-17T16:00:00.000Z", "dated 00:00 of 10-18, when it became due");
  assert.equal((await overdueOrdersByDepartment(db)).get("410100-SCJGJ"), 1);
  const oct = await ordersOverdueInPeriodByDepartment(
    db,
    Date.parse("2024-10-01T00:00:00+08:00"),
    Date.parse("2024-11-01T00:00:00+08:00"),
  );
  assert.equal(oct.get("410100-SCJGJ"), 1);
  const audits = await db.select().from(auditLog).where(eq(auditLog.action, "order.overdue"));
  assert.equal(audits.length, 1);
  // The month's ranking rows carry it too.
  const tallies = await loadMonthlyTallies(db, "all", ["2024-10"]);
  assert.equal(tallies.get("2024-10")!.get("410100-SCJGJ")!.ordersOverdue, 1);
});

Deno.test("a late reply is recorded as late, and the supervisor accepts it: closed", async () => {
  await using w = await orderWorld("overdue");
  const { t, db, staff, orderId } = w;
  const reply = await t.send(
    "POST",
    `/api/v1/orders/${orderId}/reply`,
    { text: "已整改" },
    await staff.headers(),
  );
  assert.equal((await reply.json()).state, "replied");
  const [audit] = (await db.select().from(auditLog).where(eq(auditLog.action, "order.reply"))).slice(-1);
  assert.equal((audit.detail as { late: boolean }).late, true);
  const ok = await t.send("POST", `/api/v1/orders/${orderId}/accept`, "", { authorization: t.auth.province });
  assert.equal(ok.status, 200, await ok.clone().text());
  const o = await ok.json();
  assert.equal(o.state, "closed");
  assert.deepEqual(o.steps.map((s: { action: string }) => s.action), [
    "issued",
    "replied",
    "returned",
    "overdue",
    "replied",
    "accepted",
  ]);
  const again = await t.send("POST", `/api/v1/orders/${orderId}/accept`, {}, {
    authorization: t.auth.province,
  });
  assert.equal(again.status, 409);
  await again.body?.cancel();
});

Deno.test("an order issued before the Spring Festival 2025 turns overdue at 00:00 of the make-up Saturday 02-08", async () => {
  await using w = await orderWorld("none");
  const { t, db, sup, scheduler } = w;
  t.setNow("2025-01-24T16:00:00+08:00");
  const res = await sup("/api/v1/orders", {
    case: "F2",
    rule: "8.4",
    level: "red",
    on: "2024-09-03",
    subject: "f2-fee",
    text: "请说明",
  });
  const o = await res.json();
  assert.equal(o.dueOn, "2025-02-07");
  t.setNow("2025-02-07T23:59:00+08:00");
  await scheduler.runOnce();
  assert.equal((await (await t.send("GET", `/api/v1/orders/${o.id}`)).json()).state, "open");
  t.setNow("2025-02-08T00:00:00+08:00");
  // Two scheduler passes at once (two instances): one overdue step.
  await Promise.all([markOverdueOrders(t.deps, t.deps.clock()), markOverdueOrders(t.deps, t.deps.clock())]);
  const steps = await db.select().from(orderSteps).where(eq(orderSteps.orderId, o.id));
  assert.deepEqual(steps.map((s) => s.action), ["issued", "overdue"]);
});
