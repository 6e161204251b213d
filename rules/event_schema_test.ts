import assert from "node:assert/strict";
import { parseEvent, parseItem, parseWith, regionSchema } from "./event_schema.ts";
import { item } from "./test_fixtures.ts";

const good = {
  id: "E1",
  case: "C1",
  type: "received",
  at: "2024-10-08T09:30:00+08:00",
  item: "ITEM-1",
  channel: "hall",
  hall: "H1",
  applicant: { name: "张三", contact: "138", kind: "person" },
};

/** A special procedure (检验) started at `good.at`, to end on `until`. */
const special = (until: string) => ({
  id: "P",
  case: "C1",
  type: "special_started",
  at: good.at,
  procedure: "检验",
  until,
});

function refused(raw: unknown, now?: number): { field: string; error: string } {
  const r = parseEvent(raw, { now });
  if (r.ok) throw new Error(`expected refusal of ${JSON.stringify(raw)}`);
  return { field: r.field, error: r.error };
}

Deno.test("parseEvent accepts a valid received event and keeps unknown fields", () => {
  assert.deepEqual(parseEvent({ ...good, extra: 1 }), { ok: true, event: { ...good, extra: 1 } });
});

Deno.test("parseEvent reads null optional fields as absent", () => {
  const r = parseEvent({
    id: "E2",
    case: "C1",
    type: "step",
    at: "2024-10-08T10:00:00Z",
    name: "审查",
    handler: null,
  });
  assert.deepEqual(r.ok && "handler" in r.event, false);
  assert.deepEqual(r.ok && r.event.type === "step" && r.event.name, "审查");
});

Deno.test("the event type is the schema's output: null fields are absent, unknown fields untyped", () => {
  const r = parseEvent({ ...good, hall: null, applicant: { ...good.applicant, name: null }, extra: 1 });
  if (!r.ok || r.event.type !== "received") throw new Error("expected a received event");
  // Type-checked: a field that parsing may leave out is `T | undefined`, never null.
  const name: string | undefined = r.event.applicant.name;
  const hall: string | undefined = r.event.hall;
  assert.deepEqual([name, hall], [undefined, undefined]);
  // @ts-expect-error: unknown fields are kept at run time but are not part of the type
  assert.equal(r.event.extra, 1);
});

Deno.test("parseEvent refuses an unknown type naming the field type", () => {
  const r = refused({ ...good, type: "teleported" });
  assert.deepEqual(r.field, "type");
  assert.ok(r.error.includes("teleported"));
});

Deno.test("parseEvent refuses missing required fields, naming them", () => {
  for (const key of ["id", "case", "type", "at", "item", "channel", "applicant"]) {
    const raw: Record<string, unknown> = { ...good };
    delete raw[key];
    const r = refused(raw);
    assert.deepEqual(r.field, key);
    assert.deepEqual(r.error, `${key} is required`);
  }
  const r = refused({ ...good, applicant: { name: "张三" } });
  assert.deepEqual(r, { field: "applicant.kind", error: "applicant.kind is required" });
});

Deno.test("parseEvent refuses wrong types and bad enums", () => {
  assert.deepEqual(refused({ ...good, item: 12 }).field, "item");
  assert.deepEqual(refused({ ...good, applicant: { kind: "robot" } }), {
    field: "applicant.kind",
    error: "applicant.kind must be one of person, organization",
  });
  assert.deepEqual(refused({ ...good, channel: "fax" }).field, "channel");
  const step = { id: "S", case: "C1", type: "amended", at: good.at, steps: [{ handler: "李四" }] };
  assert.deepEqual(refused(step).field, "steps.0.name");
  assert.deepEqual(refused([good]).error, "an event must be a JSON object");
  assert.deepEqual(refused("x").error, "an event must be a JSON object");
});

Deno.test("parseEvent refuses an empty id or one longer than 128 characters", () => {
  assert.deepEqual(refused({ ...good, id: "" }).field, "id");
  assert.deepEqual(refused({ ...good, id: "x".repeat(129) }), {
    field: "id",
    error: "字段 id 过长，最多 128 个字符 (id must be at most 128 characters)",
  });
  assert.ok(parseEvent({ ...good, id: "x".repeat(128) }).ok);
});

Deno.test("parseEvent refuses an unparseable or offset-less at", () => {
  for (
    const at of [
      "2024-10-08T09:30:00",
      "2024-10-08",
      "yesterday",
      "2024-13-08T09:30:00+08:00",
      "2024-10-08T09:30:00+08:00[Asia/Shanghai]",
    ]
  ) {
    assert.deepEqual(refused({ ...good, at }).field, "at", at);
  }
  assert.ok(parseEvent({ ...good, at: "2024-10-08T01:30:00.250Z" }).ok);
});

Deno.test("parseEvent refuses an at or a date outside the years working days can be counted in", () => {
  assert.deepEqual(refused({ ...good, at: "1999-06-01T09:00:00+08:00" }), {
    field: "at",
    error: "at must lie in the years 2000–2099",
  });
  // The Asia/Shanghai date decides: 1999-12-31 23:30 in UTC is already 2000-01-01 in Shanghai.
  assert.ok(parseEvent({ ...good, at: "1999-12-31T23:30:00Z" }).ok);
  assert.deepEqual(refused(special("2100-01-04")), {
    field: "until",
    error: "until must lie in the years 2000–2099",
  });
});

Deno.test("parseEvent refuses an at more than 5 minutes after now, only when now is given", () => {
  const now = Date.parse("2024-10-08T09:30:00+08:00");
  const later = (min: number) => new Date(now + min * 60_000).toISOString();
  assert.ok(parseEvent({ ...good, at: later(5) }, { now }).ok);
  assert.deepEqual(refused({ ...good, at: later(6) }, now), {
    field: "at",
    error: "at is more than 5 minutes in the future",
  });
  assert.ok(parseEvent({ ...good, at: later(60) }).ok);
});

Deno.test("parseEvent checks amounts, dates and procedures", () => {
  const fee = { id: "F", case: "C1", type: "fee", at: good.at, kind: "charge", amount: -1 };
  assert.deepEqual(refused(fee), { field: "amount", error: "amount must be ≥ 0" });
  const sp = special("2024-02-30");
  assert.deepEqual(refused(sp), { field: "until", error: "until must be a date YYYY-MM-DD" });
  assert.deepEqual(refused({ ...sp, until: "2024-11-01", procedure: "占卜" }).field, "procedure");
  assert.ok(parseEvent({ ...sp, until: "2024-11-01" }).ok);
  const ev = { id: "V", case: "C1", type: "evaluation", at: good.at, visits: 1.5 };
  assert.deepEqual(refused(ev), { field: "visits", error: "visits must be a whole number" });
});

Deno.test("parseItem requires promisedDays ≤ statutoryDays as whole numbers ≥ 0", () => {
  assert.ok(parseItem(item()).ok);
  const over = parseItem(item({ promisedDays: 30 }));
  assert.deepEqual(over, {
    ok: false,
    field: "promisedDays",
    error: "promisedDays must not exceed statutoryDays",
  });
  const neg = parseItem({ ...item(), statutoryDays: -1 });
  assert.ok(!neg.ok && neg.field === "statutoryDays");
  const frac = parseItem({ ...item(), promisedDays: 2.5 });
  assert.ok(!frac.ok && frac.field === "promisedDays");
  const proc = parseItem({ ...item(), specialProcedures: ["占卜"] });
  assert.ok(!proc.ok && proc.field === "specialProcedures.0");
});

Deno.test("regions need 6-digit codes and read a missing parent as null", () => {
  assert.deepEqual(parseWith(regionSchema, { code: "410100", name: "郑州市" }), {
    ok: true,
    value: { code: "410100", name: "郑州市", parent: null },
  });
  const bad = parseWith(regionSchema, { code: "4101", name: "郑州市" });
  assert.ok(!bad.ok && bad.field === "code");
});
