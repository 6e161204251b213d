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
