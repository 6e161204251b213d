import assert from "node:assert/strict";
import { canonicalJson, contentHash } from "./canonical.ts";

Deno.test("canonicalJson sorts keys at every depth and keeps array order", () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, 1], c: null } }), '{"a":{"c":null,"d":[2,1]},"b":1}');
});

Deno.test("contentHash is the same for the same content in another key order, different otherwise", () => {
  assert.equal(contentHash({ id: "E1", at: "x" }), contentHash({ at: "x", id: "E1" }));
  assert.notEqual(contentHash({ id: "E1", at: "x" }), contentHash({ id: "E1", at: "y" }));
  assert.match(contentHash({}), /^[0-9a-f]{64}$/);
});

Deno.test("canonicalJson is pinned: integer-like keys sort as text, undefined members go, escapes as JSON.stringify", () => {
  // Stored events' identities are hashes of this text: it must never change.
  const value = {
    "10": 1,
    "2": [undefined, -0, 1.5e-7, 1e21],
    b: undefined,
    "é": '\u2028"',
    "": { z: true, a: "" },
  };
  assert.equal(
    canonicalJson(value),
    '{"":{"a":"","z":true},"10":1,"2":[null,0,1.5e-7,1e+21],"é":"\u2028\\""}',
  );
  assert.equal(
    contentHash({ id: "E1", case: "C1", type: "accepted", at: "2024-10-08T09:00:00+08:00" }),
    "eab1a61d6e532c7239d1018e928652ca745f7afc73075a9e66f3d4502db653d9",
  );
});
