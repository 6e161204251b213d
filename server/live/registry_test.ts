import assert from "node:assert/strict";
import { LiveClient } from "./client.ts";
import type { CountsMessage } from "./wire.ts";
import { ScopeRegistry, type Stamped } from "./registry.ts";
import { ALL_SCOPE, type Scope } from "./scope.ts";

const D1: Scope = {
  kind: "department",
  code: "D1",
  key: "department:D1",
  regions: new Set(),
  departments: new Set(["D1"]),
  halls: new Set(),
};

function counts(inProgress: number, at = "2024-10-15T10:00:00+08:00"): CountsMessage {
  const totals = { inProgress, dueToday: 0, warnings: 0, redToday: 0, redMonth: 0, abnormal: 0 };
  return { at, totals, byDepartment: [], byRule: [] };
}

/** A registry whose stamps are numbered, at a position the test moves. */
function registry() {
  const state = { position: 1, stamps: 0 };
  const text = new TextEncoder();
  const reg = new ScopeRegistry((c): Stamped => ({
    message: text.encode(`${++state.stamps}:${c.totals.inProgress}`),
    position: state.position,
  }));
  return { reg, state };
}
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

Deno.test("a scope is listened from its first client until its last leaves", () => {
  const { reg } = registry();
  const entry = reg.entry(D1, 1, counts(5));
  const a = new LiveClient(1024, (c) => reg.leave(entry, c));
  const b = new LiveClient(1024, (c) => reg.leave(entry, c));
  reg.join(entry, a);
  reg.join(entry, b);
  assert.equal(reg.clientCount, 2);
  assert.equal(reg.get(D1.key), entry);
  a.close();
  assert.equal(reg.clientCount, 1);
  assert.equal(reg.get(D1.key), entry);
  b.close();
  assert.equal(reg.clientCount, 0);
  assert.equal(reg.get(D1.key), undefined);
  assert.deepEqual(reg.entries(), []);
});

Deno.test("later clients of a scope share its cached counts, re-stamped only when the feed moved", () => {
  const { reg, state } = registry();
  const first = reg.entry(D1, 1, counts(5));
  assert.equal(decode(first.message), "1:5");
  assert.equal(reg.entry(D1, 1, null), first);
  assert.equal(decode(first.message), "1:5");
  state.position = 4;
  reg.entry(D1, 4, null);
  assert.equal(decode(first.message), "2:5");
  assert.equal(first.position, 4);
  assert.throws(() => reg.entry(ALL_SCOPE, 4, null), /no figures/);
});

Deno.test("update sends new figures only when they differ from the last sent, not just the instant", () => {
  const { reg } = registry();
  const entry = reg.entry(D1, 1, counts(5));
  assert.equal(reg.update(entry, counts(5, "2024-10-15T10:00:01+08:00")), false);
  assert.equal(decode(entry.message), "1:5");
  assert.equal(reg.update(entry, counts(6)), true);
  assert.equal(decode(entry.message), "2:6");
  assert.equal(entry.counts.totals.inProgress, 6);
});

Deno.test("clients() lists every open client across scopes", () => {
  const { reg } = registry();
  const d1 = reg.entry(D1, 1, counts(1));
  const all = reg.entry(ALL_SCOPE, 1, counts(2));
  const clients = [d1, d1, all].map((e) => {
    const c = new LiveClient(1024, (x) => reg.leave(e, x));
    reg.join(e, c);
    return c;
  });
  assert.equal(reg.clients().length, 3);
  clients[2].close();
  assert.deepEqual(reg.clients(), clients.slice(0, 2));
  assert.equal(reg.get("all"), undefined);
});
