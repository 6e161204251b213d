import assert from "node:assert/strict";
import { Random } from "../demo/random.ts";
import { departmentKind, kindPeers, regionDepth, regionPeers } from "./peers.ts";
import { type DepartmentRef, emptyTally, rankDepartments, rankRegions, type RegionRef } from "./rankings.ts";

const KINDS = ["SCJGJ", "GAJ", "MZJ"];
const KIND_NAMES: Record<string, string> = { SCJGJ: "市场监督管理局", GAJ: "公安局", MZJ: "民政局" };

/** A random region tree (province → cities → districts → towns) with departments of a few kinds. */
function world(seed: number) {
  const random = new Random(seed);
  const rnd = () => random.next();
  const regions: RegionRef[] = [{ code: "R", name: "省", parent: null }];
  const grow = (parent: RegionRef, depth: number) => {
    const n = Math.floor(rnd() * 4);
    for (let i = 0; i < n && depth < 3; i++) {
      const r = { code: `${parent.code}.${i}`, name: `${parent.name}${i}地`, parent: parent.code };
      regions.push(r);
      grow(r, depth + 1);
    }
  };
  grow(regions[0], 0);
  const departments: DepartmentRef[] = regions.flatMap((r) =>
    KINDS.filter(() => rnd() < 0.7).map((k) => ({
      code: `${r.code}-${k}`,
      name: `${r.name}${KIND_NAMES[k]}`,
      region: r.code,
    }))
  );
  const tallies = new Map(departments.map((d) => {
    const completed = Math.floor(rnd() * 30);
    return [d.code, {
      ...emptyTally(),
      completed,
      timed: completed,
      onTime: Math.floor(rnd() * (completed + 1)),
    }];
  }));
  return { regions, departments, tallies };
}

const ancestors = (code: string, regions: RegionRef[]) => {
  const parent = new Map(regions.map((r) => [r.code, r.parent]));
  const out = new Set<string>();
  for (let p = parent.get(code); p; p = parent.get(p)) out.add(p);
  return out;
};

Deno.test("property: no region is ranked beside its own parent or child, and peers share a parent", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const { regions, departments, tallies } = world(seed);
    const ranked = rankRegions(regions, regions, departments, tallies);
    const groups = Map.groupBy(ranked.filter((u) => u.peerGroup !== null), (u) => u.peerGroup);
    for (const [group, members] of groups) {
      for (const a of members) {
        assert.equal(a.parent, group, `seed ${seed}`);
        for (const b of members) {
          assert.ok(!ancestors(a.code, regions).has(b.code), `seed ${seed}: ${b.code} is above ${a.code}`);
        }
      }
    }
    // Only the root has no peers.
    assert.deepEqual(ranked.filter((u) => u.peerGroup === null).map((u) => u.code), ["R"], `seed ${seed}`);
  }
});

Deno.test("property: departments of a kind are ranked only with the same kind at the same tier", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const { regions, departments, tallies } = world(seed);
    const byCode = new Map(regions.map((r) => [r.code, r]));
    const region = new Map(departments.map((d) => [d.code, d.region]));
    const ranked = rankDepartments(departments, regions, tallies, undefined, "kind");
    const groups = Map.groupBy(ranked, (u) => u.peerGroup);
    for (const members of groups.values()) {
      const kinds = new Set(members.map((m) => m.code.split("-")[1]));
      const depths = new Set(members.map((m) => regionDepth(region.get(m.code)!, byCode)));
      assert.equal(kinds.size, 1, `seed ${seed}`);
      assert.equal(depths.size, 1, `seed ${seed}`);
      for (const a of members) {
        for (const b of members) {
          assert.ok(!ancestors(region.get(a.code)!, regions).has(region.get(b.code)!), `seed ${seed}`);
        }
      }
    }
    // Department level: each group is one region's departments.
    for (const u of rankDepartments(departments, regions, tallies)) assert.equal(u.peerGroup, u.parent);
  }
});

Deno.test("departmentKind reads the code's suffix, else the name without its regions' names", () => {
  const regions: RegionRef[] = [
    { code: "410000", name: "河南省", parent: null },
    { code: "410100", name: "郑州市", parent: "410000" },
    { code: "410105", name: "金水区", parent: "410100" },
  ];
  const byCode = new Map(regions.map((r) => [r.code, r]));
  assert.deepEqual(
    departmentKind({ code: "410105-SCJGJ", name: "郑州市金水区市场监督管理局", region: "410105" }, byCode),
    { key: "SCJGJ", name: "市场监督管理局" },
  );
  assert.deepEqual(
    departmentKind({ code: "X1", name: "郑州市金水区民政局", region: "410105" }, byCode),
    { key: "民政局", name: "民政局" },
  );
  assert.deepEqual(
    departmentKind({ code: "X2", name: "金水区民政局", region: "410105" }, byCode),
    { key: "民政局", name: "民政局" },
  );
  const peers = kindPeers([
    { code: "X1", name: "郑州市金水区民政局", region: "410105" },
    { code: "410105-MZJ", name: "金水区民政局", region: "410105" },
  ], regions);
  assert.equal(peers.get("X1")!.code, "kind:民政局:2");
  assert.equal(peers.get("410105-MZJ")!.code, "kind:MZJ:2");
  assert.deepEqual(regionPeers(regions.slice(1), regions).get("410100"), null);
});
