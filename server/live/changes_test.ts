import assert from "node:assert/strict";
import { PendingChanges } from "./changes.ts";

const note = (departments: unknown, halls: unknown) => JSON.stringify({ departments, halls });

Deno.test("notifications gather the departments and halls they touched until taken", () => {
  const changes = new PendingChanges();
  assert.equal(changes.dirty, false);
  changes.note(note(["D1"], ["H1"]));
  changes.note(note(["D2", 410100], []));
  assert.equal(changes.dirty, true);
  const touched = changes.take();
  assert.deepEqual(touched, { departments: new Set(["D1", "D2", "410100"]), halls: new Set(["H1"]) });
  assert.equal(changes.dirty, false);
  assert.deepEqual(changes.take(), { departments: new Set(), halls: new Set() });
});

Deno.test("an unreadable notification means anything may have changed, and stays so until taken", () => {
  for (const payload of ["not json", note("D1", []), JSON.stringify({ departments: [] }), "null"]) {
    const changes = new PendingChanges();
    changes.note(note(["D1"], []));
    changes.note(payload);
    changes.note(note(["D2"], ["H2"]));
    assert.deepEqual(changes.take(), { departments: null, halls: null }, payload);
  }
});

Deno.test("markAll makes the next tick look at every scope", () => {
  const changes = new PendingChanges();
  changes.markAll();
  assert.equal(changes.dirty, true);
  assert.deepEqual(changes.take(), { departments: null, halls: null });
  changes.note(note(["D1"], []));
  assert.deepEqual(changes.take(), { departments: new Set(["D1"]), halls: new Set() });
});
