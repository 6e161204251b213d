import { deepEqual, equal, match } from "node:assert/strict";
import { type CliOutput, runEvaluate } from "./cli.ts";
import { at, item } from "./test_fixtures.ts";
import type { CaseEvent } from "./types.ts";

const IT = item({ code: "ITEM-1", promisedDays: 5 });
const applicant = { name: "张三", contact: "13800000000", kind: "person" };

/** Events of two cases, deliberately out of case order. */
const EVENTS: CaseEvent[] = [
  {
    id: "B1",
    case: "C2",
    type: "received",
    at: at("2024-10-14"),
    item: "ITEM-1",
    channel: "other",
    applicant,
  },
  {
    id: "A1",
    case: "C1",
    type: "received",
    at: at("2024-10-08"),
    item: "ITEM-1",
    channel: "hall",
    applicant,
  },
  { id: "A2", case: "C1", type: "accepted", at: at("2024-10-08 10:00"), handler: "李四" },
  { id: "A3", case: "C1", type: "completed", at: at("2024-10-16 10:00"), result: "normal" },
  {
    id: "D1",
    case: "C3",
    type: "received",
    at: at("2024-10-20"),
    item: "ITEM-1",
    channel: "other",
    applicant,
  },
] as CaseEvent[];

function run(args: string[], files: Record<string, string>): CliOutput {
  return runEvaluate(args, (path) => {
    if (!(path in files)) throw new Deno.errors.NotFound(`No such file: ${path}`);
    return files[path];
  });
}

const ndjson = (events: unknown[]) => events.map((e) => JSON.stringify(e)).join("\n") + "\n";
const ARGS = ["--items", "items.json", "--events", "events.ndjson", "--as-of", "2024-10-15"];
const FILES = { "items.json": JSON.stringify([IT], null, 2), "events.ndjson": ndjson(EVENTS) };

Deno.test("evaluate prints one JSON line per case, sorted by case, keys in the EXCHANGE order", () => {
  const out = run(ARGS, FILES);
  deepEqual([out.code, out.stderr], [0, ""]);
  const lines = out.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  deepEqual(lines.map((l) => l.case), ["C1", "C2"]);
  deepEqual(Object.keys(lines[0]), [
    "case",
    "status",
    "deadline",
    "remaining",
    "paused",
    "alerts",
    "findings",
  ]);
  // C1: accepted Tuesday 10-08, N = 5: counting days 10-09, 10-10, 10-11, Saturday 10-12, 10-14.
  const c1 = lines[0];
  deepEqual([c1.status, c1.deadline, c1.remaining, c1.paused], ["accepted", "2024-10-14", -1, false]);
  deepEqual(c1.alerts.filter((a: { rule: string }) => a.rule === "8.1"), [
    { rule: "8.1", level: "warning", on: "2024-10-11", subject: null, resolved: "2024-10-15" },
    { rule: "8.1", level: "red", on: "2024-10-15", subject: null, resolved: null },
  ]);
  deepEqual(Object.keys(c1.alerts[0]), ["rule", "level", "on", "subject", "resolved"]);
  deepEqual([lines[1].status, lines[1].remaining, lines[1].deadline], ["received", null, null]);
});

Deno.test("evaluate reads the events file as a JSON array too, with the same result", () => {
  const out = run(ARGS, { ...FILES, "events.ndjson": JSON.stringify(EVENTS, null, 2) });
  equal(out.stdout, run(ARGS, FILES).stdout);
});

Deno.test("evaluate applies events up to the end of the as-of day only", () => {
  const out = run([...ARGS.slice(0, 4), "--as-of", "2024-10-16"], FILES);
  const c1 = JSON.parse(out.stdout.split("\n")[0]);
  deepEqual([c1.status, c1.remaining], ["completed", -2]);
  match(run([...ARGS.slice(0, 4), "--as-of", "2024-10-20"], FILES).stdout, /"case":"C3"/);
});

Deno.test("evaluate does not refuse events dated in the future: it has no clock", () => {
  const later = { ...EVENTS[0], id: "F1", case: "C9", at: "2099-01-01T09:00:00+08:00" };
  const out = run(ARGS, { ...FILES, "events.ndjson": ndjson([...EVENTS, later]) });
  equal(out.code, 0);
});

Deno.test("a --calendar file replaces the built-in one, and missing years are reported on stderr", () => {
  // A 2024 calendar without National Day: 10-01..07 become working days.
  const calendar = JSON.stringify({ years: { "2024": { holidays: [], workdays: [] } } });
  const events = [
    { ...EVENTS[1], id: "N1", case: "N", at: at("2024-09-30") },
    { ...EVENTS[2], id: "N2", case: "N", at: at("2024-09-30 10:00") },
  ];
  const files = { ...FILES, "events.ndjson": ndjson(events), "cal.json": calendar };
  const plain = JSON.parse(run([...ARGS.slice(0, 4), "--as-of", "2024-10-02"], files).stdout);
  equal(plain.deadline, "2024-10-12");
  const out = run([...ARGS.slice(0, 4), "--as-of", "2024-10-02", "--calendar", "cal.json"], files);
  equal(JSON.parse(out.stdout).deadline, "2024-10-07");
  equal(out.stderr, "");
  const next = run(["--items", "items.json", "--events", "e", "--as-of", "2027-01-05"], {
    ...FILES,
    e: ndjson([{ ...EVENTS[1], at: at("2027-01-04") }]),
  });
  match(next.stderr, /2027.*Monday–Friday assumed/);
});

Deno.test("invalid input stops with exit status 2, naming the file, the line and the field", () => {
  const bad = (files: Record<string, string>, args = ARGS) => {
    const out = run(args, { ...FILES, ...files });
    equal(out.code, 2);
    equal(out.stdout, "");
    return out.stderr;
  };
  const noAt = { ...EVENTS[2] } as Record<string, unknown>;
  delete noAt.at;
  match(bad({ "events.ndjson": ndjson([EVENTS[1], noAt]) }), /^events\.ndjson:2 \(event "A2"\): field at: /);
  match(
    bad({ "events.ndjson": `${JSON.stringify(EVENTS[1])}\n{"id": ` }),
    /^events\.ndjson:2: field \(json\)/,
  );
  match(
    bad({ "events.ndjson": ndjson([EVENTS[1], { ...EVENTS[2], type: "stamped" }]) }),
    /^events\.ndjson:2 \(event "A2"\): field type: /,
  );
  match(
    bad({ "events.ndjson": ndjson([EVENTS[1], { ...EVENTS[1], channel: "online" }]) }),
    /^events\.ndjson:2 \(event "A1"\): field id: same id as line 1/,
  );
  const twoItems = JSON.stringify([IT, { ...IT, code: "ITEM-2", promisedDays: "ten" }], null, 2);
  // The line named is the one the offending item starts on.
  const second = twoItems.split("\n").lastIndexOf("  {") + 1;
  match(bad({ "items.json": twoItems }), new RegExp(`^items\\.json:${second}: field promisedDays: `));
  // In a JSON array the line is where the element starts: the received event spans lines 2–14.
  match(
    bad({ "events.ndjson": JSON.stringify([EVENTS[1], { ...EVENTS[2], at: "2024-10-08 10:00" }], null, 1) }),
    /^events\.ndjson:15 \(event "A2"\): field at/,
  );
  match(
    bad({ "cal.json": '{"years": {"2024": {"holidays": ["2023-10-01"], "workdays": []}}}' }, [
      ...ARGS,
      "--calendar",
      "cal.json",
    ]),
    /^cal\.json:1: field years\.2024\.holidays/,
  );
  match(
    bad({}, ["--items", "items.json", "--events", "missing.ndjson", "--as-of", "2024-10-15"]),
    /^missing\.ndjson: cannot be read/,
  );
  match(bad({}, ["--items", "items.json", "--events", "events.ndjson", "--as-of", "2024-10-32"]), /--as-of/);
  match(bad({}, ["--items", "items.json", "--as-of", "2024-10-15"]), /required/);
});
