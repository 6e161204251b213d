import assert from "node:assert/strict";
import { parseItem } from "../../rules/event_schema.ts";
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "./henan.ts";
import { DEMO_ITEMS, HENAN_ITEMS } from "./henan_items.ts";

Deno.test("every demo region has a 6-digit code under 河南省 410000, parents before children", () => {
  const seen = new Set<string>();
  for (const r of HENAN_REGIONS) {
    assert.match(r.code, /^41\d{4}$/);
    if (r.parent !== null) assert.ok(seen.has(r.parent), `${r.code}'s parent ${r.parent} comes first`);
    seen.add(r.code);
  }
  assert.equal(HENAN_REGIONS[0].name, "河南省");
  for (const [code, name] of [["410100", "郑州市"], ["410105", "金水区"], ["410302", "老城区"]]) {
    assert.equal(HENAN_REGIONS.find((r) => r.code === code)?.name, name);
  }
});

Deno.test("every hall and department lies in a demo region; each city has its main hall", () => {
  const regions = new Set(HENAN_REGIONS.map((r) => r.code));
  for (const x of [...HENAN_HALLS, ...HENAN_DEPARTMENTS]) assert.ok(regions.has(x.region), x.code);
  assert.equal(HENAN_HALLS.find((h) => h.region === "410100")?.name, "郑州市民之家");
  assert.ok(HENAN_DEPARTMENTS.some((d) => d.code === "410100-SCJGJ" && d.name === "郑州市市场监督管理局"));
});

Deno.test("every demo item is a valid EXCHANGE.md item of a demo department, codes unique", () => {
  const departments = new Set(HENAN_DEPARTMENTS.map((d) => d.code));
  for (const it of HENAN_ITEMS) {
    const parsed = parseItem(it);
    assert.ok(parsed.ok, `${it.code}: ${JSON.stringify(parsed)}`);
    assert.ok(departments.has(it.department), `${it.code}: no department ${it.department}`);
    assert.ok(it.steps.length >= 2 && it.materials.required.length >= 1, it.code);
  }
  assert.equal(new Set(HENAN_ITEMS.map((i) => i.code)).size, HENAN_ITEMS.length);
  assert.ok(HENAN_ITEMS.length >= 36, `${HENAN_ITEMS.length} items`);
});

Deno.test("the catalogue mixes 即办件, 1–2 day promises, fees, national certificates and special procedures", () => {
  const food = HENAN_ITEMS.find((i) => i.name === "食品经营许可")!;
  assert.deepEqual([food.statutoryDays, food.promisedDays], [20, 10]);
  assert.equal(HENAN_ITEMS.find((i) => i.name === "营业执照设立登记")?.promisedDays, 1);
  assert.ok(HENAN_ITEMS.some((i) => i.promisedDays === 0));
  assert.ok(HENAN_ITEMS.some((i) => i.promisedDays === 2));
  assert.ok(HENAN_ITEMS.some((i) => i.fee !== null));
  assert.ok(
    HENAN_ITEMS.filter((i) => i.fee === null).length > HENAN_ITEMS.length * 0.8,
    "most items are free",
  );
  assert.ok(HENAN_ITEMS.some((i) => i.certificate?.nationallyDetermined));
  assert.ok(HENAN_ITEMS.some((i) => i.certificate && !i.certificate.nationallyDetermined));
  for (const p of ["专家评审", "批前公示", "检验", "听证"]) {
    assert.ok(HENAN_ITEMS.some((i) => (i.specialProcedures as string[]).includes(p)), p);
  }
  assert.ok(DEMO_ITEMS.every((d) => d.weight > 0 && d.trades.length > 0));
});
