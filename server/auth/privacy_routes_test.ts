/**
 * Privacy at every edge: the wall screen's stream (as a display token and as a hall manager) never
 * carries a contact detail or a full name; names are masked 张*丰, organisations keep their first and
 * last characters; department staff see the full applicant only for their own department's cases.
 */
import assert from "node:assert/strict";
import { ingestEvents } from "../write/ingest.ts";
import { LiveHub } from "../live/hub.ts";
import { SseReader } from "../live/test_helpers.ts";
import { openTestApp, receivedEvent, TEST_ITEM } from "../testing.ts";
import { createDisplayToken } from "./display_tokens.ts";
import type { Role } from "./roles.ts";
import { createPerson, sessionHeaders, type TestScope } from "./test_support.ts";

const NOW = "2026-03-02T09:00:00+08:00";
const t = await openTestApp(NOW);
const { db } = t.database;
const PHONE = "13812345678";
const ORG_PHONE = "0371-66668888";

// Two cases of the test department, received long ago and never concluded: both raise alerts (8.x).
const person = { ...receivedEvent("P1-r", "P1", "2026-01-05T09:00:00+08:00", "张三丰") };
person.applicant = { name: "张三丰", contact: PHONE, kind: "person" };
const org = {
  ...receivedEvent("P2-r", "P2", "2026-01-05T09:00:00+08:00"),
  applicant: { name: "郑州某某有限公司", contact: ORG_PHONE, kind: "organization" },
};
const accepted = (c: string) => ({
  id: `${c}-a`,
  case: c,
  type: "accepted",
  at: "2026-01-05T10:00:00+08:00",
  handler: "李四",
});
// Pushed on the day the 8.1 warning is due, so that the alerts are raised (and announced) live.
t.setNow("2026-01-15T12:00:00+08:00");
const report = await ingestEvents(t.deps, [person, accepted("P1"), org, accepted("P2")], "setup");
t.setNow(NOW);
assert.equal(report.stored, 4);

let accounts = 0;
/** Request headers of a signed-in person of the role. */
async function keyOf(role: Role, scope: TestScope) {
  const user = await createPerson(db, `p-${role}-${++accounts}`, role, scope, Date.parse(NOW));
  return await sessionHeaders(db, user.id, Date.parse(NOW));
}
const own = await keyOf("department", { departments: [TEST_ITEM.department] });
const otherDepartment = await keyOf("department", { departments: ["410300-SCJGJ"] });
const director = await keyOf("director", { region: "410100" });
const hallManager = await keyOf("hall_manager", { hall: "410100-HALL" });
const display = await createDisplayToken(db, { hall: "410100-HALL", name: "大屏", createdBy: "setup" });

const hub = new LiveHub({ database: t.database, clock: t.deps.clock }, { tickMs: 0, pingMs: 0 });
await hub.start();
t.deps.live = hub;

/** Every message the stream sends at connection: replayed alerts (from id 0) and the counts. */
async function streamText(path: string, headers: Record<string, string>): Promise<string> {
  const res = await t.send("GET", path, undefined, { ...headers, "last-event-id": "0" });
  assert.equal(res.status, 200, path);
  const reader = new SseReader(res.body!);
  const parts: string[] = [];
  for (;;) {
    const m = await reader.next(1500);
    if (!m) break;
    parts.push(m.data ?? "");
    if (m.event === "counts") break;
  }
  await reader.cancel();
  return parts.join("\n");
}

Deno.test("the wall screen's stream, by display token or hall manager, carries masked names and no contact", async () => {
  for (
    const [path, headers] of [
      [`/api/v1/stream?hall=410100-HALL&token=${display.token}`, { authorization: "" }],
      ["/api/v1/stream?hall=410100-HALL", hallManager],
    ] as const
  ) {
    const text = await streamText(path, headers);
    assert.match(text, /"applicant":"张\*丰"/, "the person's alert is in the feed, masked");
    assert.match(text, /"applicant":"郑\*{6}司"/, "the organisation keeps its first and last characters");
    for (const secret of [PHONE, ORG_PHONE, "张三丰", "郑州某某有限公司", "contact"]) {
      assert.ok(!text.includes(secret), `${path} leaked ${secret}`);
    }
  }
});

Deno.test("department staff see the full applicant of their own department's cases", async () => {
  const view = await (await t.send("GET", "/api/v1/cases/P1/view", undefined, own)).json();
  const received = view.timeline.find((e: { type: string }) => e.type === "received");
  assert.deepEqual(received.fields.applicant, { name: "张三丰", contact: PHONE, kind: "person" });
  const { cases: list } = await (await t.send("GET", "/api/v1/cases", undefined, own)).json();
  assert.deepEqual(list.map((c: { applicant: string }) => c.applicant).sort(), [
    "张三丰",
    "郑州某某有限公司",
  ]);
  // The desk page asks for masked names (it is seen on shared screens).
  const { cases: masked } = await (await t.send("GET", "/api/v1/cases?names=masked", undefined, own)).json();
  assert.deepEqual(masked.map((c: { applicant: string }) => c.applicant).sort(), ["张*丰", "郑*司"]);
});

Deno.test("a director sees masked names and no contact, in the view and in the list", async () => {
  const res = await t.send("GET", "/api/v1/cases/P2/view", undefined, director);
  const text = await res.text();
  assert.equal(res.status, 200);
  const received = JSON.parse(text).timeline.find((e: { type: string }) => e.type === "received");
  assert.deepEqual(received.fields.applicant, { name: "郑******司", kind: "organization" });
  assert.ok(!text.includes(ORG_PHONE) && !text.includes("郑州某某有限公司"));
  const list = await (await t.send("GET", "/api/v1/cases", undefined, director)).text();
  assert.ok(!list.includes("张三丰") && !list.includes(PHONE), list);
  assert.match(list, /"applicant":"张\*丰"/);
});

Deno.test("another department's staff cannot see the case at all", async () => {
  const res = await t.send("GET", "/api/v1/cases/P1/view", undefined, otherDepartment);
  assert.equal(res.status, 404);
  const list = await (await t.send("GET", "/api/v1/cases", undefined, otherDepartment)).json();
  assert.deepEqual(list.cases, []);
});

Deno.test.afterAll(async () => {
  await hub.stop();
  await t.database.drop();
});
