import assert from "node:assert/strict";
import {
  appendSample,
  createWallState,
  type History,
  initialAlertEntries,
  prependAlert,
} from "./wall_state.ts";
import { type AlertMessage, parseAlert, parseCounts, type Totals } from "../server/live/wire.ts";

const totals = (warnings: number, redToday: number): Totals => ({
  inProgress: 10,
  dueToday: 1,
  warnings,
  redToday,
  redMonth: 3,
  abnormal: 0,
});

const alert = (over: Partial<AlertMessage> = {}): AlertMessage => ({
  case: "C1",
  rule: "8.1",
  name: "超期预警",
  level: "warning",
  on: "2024-10-17",
  subject: null,
  department: "410100-SCJGJ",
  item: "食品经营许可",
  applicant: "张*",
  ...over,
});

Deno.test("parseCounts() reads the documented message and fills missing figures with 0", () => {
  const msg = parseCounts(JSON.stringify({
    at: "2024-10-17T09:00:00+08:00",
    totals: { inProgress: 5, warnings: 2 },
    byDepartment: [{ department: "D1", name: "市场监管局", inProgress: 5 }],
    byRule: [{ rule: "8.1", name: "超期", warnings: 2, redToday: 1 }, "junk"],
  }));
  assert.ok(msg);
  assert.deepEqual(msg.totals, {
    inProgress: 5,
    dueToday: 0,
    warnings: 2,
    redToday: 0,
    redMonth: 0,
    abnormal: 0,
  });
  assert.deepEqual(msg.byDepartment[0], {
    department: "D1",
    name: "市场监管局",
    inProgress: 5,
    dueToday: 0,
    warnings: 0,
    redToday: 0,
  });
  assert.equal(msg.byRule.length, 1);
});

Deno.test("parseCounts() and parseAlert() refuse what is not a message", () => {
  assert.equal(parseCounts("not json"), null);
  assert.equal(parseCounts(JSON.stringify({ at: "x" })), null);
  assert.equal(parseAlert(JSON.stringify({ rule: "8.1" })), null);
});

Deno.test("parseAlert() reads any level other than red as a warning and keeps the masked name", () => {
  const a = parseAlert(JSON.stringify({ ...alert(), level: "red" }));
  assert.equal(a?.level, "red");
  assert.equal(a?.applicant, "张*");
  assert.equal(parseAlert(JSON.stringify({ ...alert(), level: "odd" }))?.level, "warning");
});

Deno.test("prependAlert() puts the newest first, drops a resent alert and keeps at most max", () => {
  let list = prependAlert([], alert({ case: "C1" }), 1);
  list = prependAlert(list, alert({ case: "C2" }), 2);
  list = prependAlert(list, alert({ case: "C1" }), 3);
  assert.deepEqual(list.map((a) => [a.case, a.receivedAt]), [["C1", 3], ["C2", 2]]);
  list = prependAlert(list, alert({ case: "C3" }), 4, 2);
  assert.deepEqual(list.map((a) => a.case), ["C3", "C1"]);
});

Deno.test("prependAlert() keeps a warning and a red card of the same case apart", () => {
  const list = prependAlert(prependAlert([], alert(), 1), alert({ level: "red" }), 2);
  assert.equal(list.length, 2);
});

Deno.test("appendSample() forgets samples older than the window and merges samples within a second", () => {
  const empty: History = { at: [], warnings: [], red: [] };
  let h = appendSample(empty, totals(1, 0), 1_000_000, 60_000);
  h = appendSample(h, totals(2, 0), 1_000_400, 60_000);
  assert.deepEqual(h, { at: [1000], warnings: [2], red: [0] });
  h = appendSample(h, totals(3, 1), 1_030_000, 60_000);
  h = appendSample(h, totals(4, 1), 1_070_000, 60_000);
  assert.deepEqual(h, { at: [1030, 1070], warnings: [3, 4], red: [1, 1] });
});

Deno.test("createWallState() updates counts, history and alerts from messages", () => {
  const s = createWallState();
  assert.equal(s.status.value, "connecting");
  s.onCounts({ at: "", totals: totals(5, 2), byDepartment: [], byRule: [] }, 5_000);
  assert.equal(s.counts.value?.totals.warnings, 5);
  assert.deepEqual(s.history.value.red, [2]);
  s.onAlert(alert(), 6_000);
  assert.equal(s.alerts.value[0].receivedAt, 6_000);
});

Deno.test("the ticker opens with today's alerts, newest on top, and a live repeat does not double them", () => {
  const initial = [
    { alert: alert({ case: "C3", level: "red" }), at: 3_000 },
    { alert: alert({ case: "C2" }), at: 2_000 },
    { alert: alert({ case: "C1" }), at: 1_000 },
  ];
  assert.deepEqual(initialAlertEntries(initial).map((a) => [a.case, a.receivedAt]), [
    ["C3", 3_000],
    ["C2", 2_000],
    ["C1", 1_000],
  ]);
  const state = createWallState(initial);
  state.onAlert(alert({ case: "C2" }), 9_000);
  assert.deepEqual(state.alerts.value.map((a) => a.case), ["C2", "C3", "C1"]);
  assert.deepEqual(createWallState().alerts.value, []);
});

Deno.test("prependAlert() keeps alerts of the same rule about different subjects apart", () => {
  const list = prependAlert(prependAlert([], alert({ subject: "M1" }), 1), alert({ subject: "M2" }), 2);
  assert.equal(list.length, 2);
});

Deno.test("parseAlert() reads a payload already parsed (a jsonb column) like its JSON text", () => {
  assert.deepEqual(parseAlert(alert()), parseAlert(JSON.stringify(alert())));
  assert.equal(parseAlert({ ...alert(), department: null })?.department, null);
});
