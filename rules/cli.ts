/**
 * `deno task evaluate --items items.json --events events.ndjson --as-of 2024-10-15 [--calendar FILE]`:
 * the evaluator as a command that needs no database (EXCHANGE.md "The evaluator's output"). Prints one
 * JSON line per case, sorted by case; exits 2 naming the file, line and field of invalid input.
 *
 * {@linkcode runEvaluate} is pure apart from the `readFile` it is given; the thin main below wires it
 * to the process.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { eventContentHash } from "./canonical.ts";
import { builtinCalendar } from "./builtin_calendar.ts";
import { Calendar, type CalendarData, CalendarDataError } from "./calendar.ts";
import { dayNumber, endOfDay, epochMs } from "./dates.ts";
import { evaluateCase } from "./evaluate.ts";
import { parseEvent, parseItem } from "./event_schema.ts";
import type { CaseEvent, CaseResult, Item } from "./types.ts";

/** What the command prints and its exit status. */
export interface CliOutput {
  code: number;
  stdout: string;
  stderr: string;
}

const USAGE = "usage: deno task evaluate --items FILE --events FILE --as-of YYYY-MM-DD [--calendar FILE]";

/** Invalid input: stops the command with exit status 2. */
class InputError extends Error {}

/** Run the command on its arguments, reading files through `readFile`. */
export function runEvaluate(args: string[], readFile: (path: string) => string): CliOutput {
  try {
    const opts = options(args);
    const asOf = endOfDay(opts.asOf);
    const items = readItems(opts.items, read(readFile, opts.items));
    const events = readEvents(opts.events, read(readFile, opts.events));
    const calendar = opts.calendar === undefined
      ? builtinCalendar()
      : readCalendar(opts.calendar, read(readFile, opts.calendar));
    return evaluateAll(items, events, calendar, asOf);
  } catch (e) {
    if (e instanceof InputError) return { code: 2, stdout: "", stderr: `${e.message}\n` };
    throw e;
  }
}

function options(args: string[]): { items: string; events: string; asOf: string; calendar?: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        items: { type: "string" },
        events: { type: "string" },
        "as-of": { type: "string" },
        calendar: { type: "string" },
      },
    }));
  } catch (e) {
    throw new InputError(`${(e as Error).message}\n${USAGE}`);
  }
  const { items, events, "as-of": asOf, calendar } = values;
  if (!items || !events || !asOf) {
    throw new InputError(`--items, --events and --as-of are required\n${USAGE}`);
  }
  if (!isDate(asOf)) throw new InputError(`--as-of: ${JSON.stringify(asOf)} is not a date YYYY-MM-DD`);
  return { items, events, asOf, calendar };
}

function isDate(s: string): boolean {
  try {
    return /^\d{4}-\d{2}-\d{2}$/.test(s) && dayNumber(s) !== undefined;
  } catch {
    return false;
  }
}

function read(readFile: (path: string) => string, path: string): string {
  try {
    return readFile(path);
  } catch (e) {
    throw new InputError(`${path}: cannot be read: ${(e as Error).message}`);
  }
}

function readItems(file: string, text: string): Map<string, Item> {
  const items = new Map<string, Item>();
  for (const { value, line } of jsonArray(file, text)) {
    const parsed = parseItem(value);
    if (!parsed.ok) {
      throw new InputError(`${file}:${line}: field ${parsed.field || "(item)"}: ${parsed.error}`);
    }
    if (items.has(parsed.item.code)) {
      throw new InputError(
        `${file}:${line}: field code: duplicate item code ${JSON.stringify(parsed.item.code)}`,
      );
    }
    items.set(parsed.item.code, parsed.item);
  }
  return items;
}

/** Events as NDJSON, or as one JSON array. A re-sent id must carry the same content. */
function readEvents(file: string, text: string): CaseEvent[] {
  const records = text.trimStart().startsWith("[") ? jsonArray(file, text) : ndjson(file, text);
  const byId = new Map<string, { json: string; line: number }>();
  const events: CaseEvent[] = [];
  for (const { value, line } of records) {
    // No `now`: a pure command has no clock, so "more than 5 minutes in the future" is not checked.
    const parsed = parseEvent(value);
    const id = (value as { id?: unknown })?.id;
    const named = typeof id === "string" ? ` (event ${JSON.stringify(id)})` : "";
    if (!parsed.ok) {
      throw new InputError(`${file}:${line}${named}: field ${parsed.field || "(event)"}: ${parsed.error}`);
    }
    const json = eventContentHash(parsed.event);
    const earlier = byId.get(parsed.event.id);
    if (earlier && earlier.json !== json) {
      throw new InputError(
        `${file}:${line}${named}: field id: same id as line ${earlier.line} with different content`,
      );
    }
    if (!earlier) byId.set(parsed.event.id, { json, line });
    events.push(parsed.event);
  }
  return events;
}

function readCalendar(file: string, text: string): Calendar {
  const data = parseJson(file, text) as CalendarData;
  if (typeof data?.years !== "object" || data.years === null || Array.isArray(data.years)) {
    throw new InputError(`${file}:1: field years: must be an object of years`);
  }
  try {
    return new Calendar(data);
  } catch (e) {
    if (!(e instanceof CalendarDataError)) throw e;
    // The messages name the year and list first: "2027.holidays: ..." or "... four digits: 27".
    const field = /^\d{4}\.\w+/.exec(e.message)?.[0];
    const year = field?.slice(0, 4) ?? e.message.split(": ").at(-1)!;
    const line = lineOf(text, text.indexOf(`"${year}"`));
    throw new InputError(`${file}:${line}: field years${field ? `.${field}` : ""}: ${e.message}`);
  }
}

function evaluateAll(
  items: Map<string, Item>,
  events: CaseEvent[],
  calendar: Calendar,
  asOf: number,
): CliOutput {
  const byCase = new Map<string, CaseEvent[]>();
  const started = new Set<string>();
  for (const e of events) {
    const list = byCase.get(e.case);
    if (list) list.push(e);
    else byCase.set(e.case, [e]);
    if (epochMs(e.at) <= asOf) started.add(e.case);
  }
  const missing = new Set<number>();
  const lines: string[] = [];
  // A case none of whose events has happened by the as-of instant does not exist yet.
  for (const caseId of [...started].sort()) {
    const evaluation = evaluateCase({
      caseId,
      events: byCase.get(caseId)!,
      item: (code) => items.get(code),
      calendar,
      asOf,
    });
    for (const y of evaluation.calendarMissing) missing.add(y);
    lines.push(JSON.stringify(ordered(evaluation.result)));
  }
  const years = [...missing].sort((a, b) => a - b);
  const stderr = years.length
    ? `warning: no working-day calendar loaded for ${years.join(", ")}; Monday–Friday assumed\n`
    : "";
  return { code: 0, stdout: lines.map((l) => `${l}\n`).join(""), stderr };
}

/** The result with its keys in the order EXCHANGE.md shows. */
function ordered(r: CaseResult): CaseResult {
  return {
    case: r.case,
    status: r.status,
    deadline: r.deadline,
    remaining: r.remaining,
    paused: r.paused,
    alerts: r.alerts.map((a) => ({
      rule: a.rule,
      level: a.level,
      on: a.on,
      subject: a.subject,
      resolved: a.resolved,
      ...(a.voided === undefined ? {} : { voided: a.voided }),
    })),
    findings: r.findings.map((f) => ({ rule: f.rule, state: f.state, on: f.on })),
  };
}

interface Located {
  value: unknown;
  line: number;
}

function ndjson(file: string, text: string): Located[] {
  const out: Located[] = [];
  text.split("\n").forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      out.push({ value: JSON.parse(raw), line: i + 1 });
    } catch (e) {
      throw new InputError(`${file}:${i + 1}: field (json): ${(e as Error).message}`);
    }
  });
  return out;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const line = message.match(/\(line (\d+)/)?.[1] ??
      (message.includes("end of JSON") ? lineOf(text, text.length) : 1);
    throw new InputError(`${file}:${line}: field (json): ${message}`);
  }
}

/** The elements of a JSON array with the line each starts on. */
function jsonArray(file: string, text: string): Located[] {
  const value = parseJson(file, text);
  if (!Array.isArray(value)) throw new InputError(`${file}:1: field (json): must be a JSON array`);
  const lines = elementLines(text);
  return value.map((v, i) => ({ value: v, line: lines[i] ?? 1 }));
}

/** Line numbers where the top-level array's elements start (text already known to be valid JSON). */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let depth = 0, line = 1, inString = false, expect = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expect && c.trim() !== "" && c !== "]") {
      lines.push(line);
      expect = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") expect = ++depth === 1;
    else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) expect = true;
  }
  return lines;
}

function lineOf(text: string, offset: number): number {
  return offset < 0 ? 1 : text.slice(0, offset).split("\n").length;
}

if (import.meta.main) {
  const out = runEvaluate(Deno.args, (path) => Deno.readTextFileSync(path));
  if (out.stderr) console.error(out.stderr.trimEnd());
  if (out.stdout) console.log(out.stdout.trimEnd());
  Deno.exit(out.code);
}
