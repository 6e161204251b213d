import assert from "node:assert/strict";
import { parseEvent, parseItem } from "./event_schema.ts";
import { generateCases, mulberry32, toNdjson } from "./gen.ts";
import { item } from "./test_fixtures.ts";
import { EVENT_TYPES } from "./types.ts";

const OPTS = { seed: 5, cases: 400, from: "2024-09-02", to: "2024-12-20" };

Deno.test("generateCases is reproducible: the same seed gives the same NDJSON, another seed differs", () => {
  const a = toNdjson(generateCases(OPTS).events);
  assert.equal(toNdjson(generateCases(OPTS).events), a);
  assert.notEqual(toNdjson(generateCases({ ...OPTS, seed: 6 }).events), a);
});

Deno.test("mulberry32 gives floats in [0, 1) that depend on the seed", () => {
  const xs = Array.from({ length: 1000 }, mulberry32(1));
  assert.ok(xs.every((x) => x >= 0 && x < 1));
  assert.notEqual(mulberry32(1)(), mulberry32(2)());
  assert.ok(new Set(xs).size > 990);
});

Deno.test("every generated item and event is valid per EXCHANGE.md, ids are unique, no event after `to`", () => {
  const { items, events } = generateCases(OPTS);
  for (const it of items) assert.deepStrictEqual(parseItem(it), { ok: true, item: it });
  for (const e of events) {
    const parsed = parseEvent(JSON.parse(JSON.stringify(e)));
    assert.ok(parsed.ok, `${e.id}: ${JSON.stringify(parsed)}`);
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    assert.ok(e.at.slice(0, 10) <= OPTS.to, e.id);
  }
  assert.equal(new Set(events.map((e) => e.id)).size, events.length);
  assert.equal(new Set(events.filter((e) => e.type === "received").map((e) => e.case)).size, OPTS.cases);
});

Deno.test("generated items vary N (incl. 0, 1, 2), fees, certificates and nationally determined ones", () => {
  const { items } = generateCases(OPTS);
  const ns = new Set(items.map((it) => it.promisedDays));
  for (const n of [0, 1, 2]) assert.ok(ns.has(n), `N = ${n}`);
  assert.ok(items.some((it) => it.fee) && items.some((it) => !it.fee));
  assert.ok(items.some((it) => it.certificate?.nationallyDetermined));
  assert.ok(items.some((it) => it.certificate && !it.certificate.nationallyDetermined));
  assert.ok(items.some((it) => !it.certificate));
});

Deno.test("generateCases uses the given items and case prefix", () => {
  const it = item();
  const { items, events } = generateCases({ ...OPTS, cases: 20, items: [it], casePrefix: "HN-" });
  assert.deepStrictEqual(items, [it]);
  assert.ok(events.every((e) => e.case.startsWith("HN-") && e.id.startsWith(e.case)));
  assert.ok(
    events.filter((e) => e.type === "received").every((e) => e.type === "received" && e.item === it.code),
  );
});

Deno.test("the generated timelines contain every event type and both applicant gaps", () => {
  const { events } = generateCases(OPTS);
  const types = new Set(events.map((e) => e.type));
  for (const t of EVENT_TYPES) assert.ok(types.has(t), t);
  const rec = events.flatMap((e) => e.type === "received" ? [e] : []);
  assert.ok(rec.some((e) => !e.applicant.name) && rec.some((e) => !e.applicant.contact));
  const actions = new Set(events.flatMap((e) => e.type === "review" ? [e.action] : []));
  assert.deepStrictEqual([...actions].sort(), ["close_investigation", "dispose", "judge", "void"]);
});
