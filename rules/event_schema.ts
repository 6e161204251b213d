/**
 * The edge's validation of items, events and reference data (EXCHANGE.md), with zod. Pure: the
 * "more than 5 minutes in the future" check takes `now` as an argument.
 *
 * Decisions:
 * - Unknown fields are kept in the parsed event (a newer sender's extra data is never lost) and are
 *   harmless to the rules, which read only the fields they know.
 * - An optional field sent as `null` counts as absent: it is removed from the parsed event, so rules
 *   only ever see a string or nothing (8.7 asks "is the handler there", not "is it null").
 * - Every error names one field with its path (`applicant.kind`, `steps.0.name`), the first one found.
 * - The schemas are the one source of the types `CaseEvent`, `Item` and `EvaluationAnswers`
 *   (re-exported by types.ts): each is the schema's `z.output` as parsing leaves it (see {@linkcode Known}).
 *
 * @module
 */
import { z } from "zod";
import { FIRST_YEAR, LAST_YEAR } from "./calendar.ts";
import { guardEvent } from "./event_guard.ts";
import { dateIn, epochMs, isIsoDate } from "./dates.ts";
import { EVENT_TYPES, type EventType, SPECIAL_PROCEDURES } from "./types.ts";

/** A validation outcome: the value, or the first bad field and why. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; error: string };

/** How far ahead of `now` an event's `at` may be (clock skew between systems). */
export const MAX_FUTURE_MS = 5 * 60_000;

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const text = z.string();
const nonEmpty = z.string().min(1);
/** Optional and nullable: `null` is read as absent. */
const opt = <T extends z.ZodType>(s: T) => s.nullish();
const count = z.number().int().min(0);
/** The years working days can be counted in (the calendar's ordinal tables). */
const inRange = (date: string) => {
  const y = Number(date.slice(0, 4));
  return y >= FIRST_YEAR && y <= LAST_YEAR;
};
const OUT_OF_RANGE = `must lie in the years ${FIRST_YEAR}–${LAST_YEAR}`;
const isoDate = z.string().refine(isIsoDate, {
  message: "must be a date YYYY-MM-DD",
}).refine(inRange, { message: OUT_OF_RANGE });
const procedure = z.enum(SPECIAL_PROCEDURES);
const strings = z.array(text);

const answers = z.looseObject({
  satisfied: opt(z.boolean()),
  satisfactionReason: opt(text),
  extraMaterials: opt(z.boolean()),
  overcharged: opt(z.boolean()),
  forcedIntermediary: opt(z.boolean()),
  time: opt(z.enum(["within", "over_promised", "over_statutory"])),
  visits: opt(count),
  attitude: opt(z.enum(["good", "bad"])),
  attitudeReason: opt(text),
  environment: opt(z.enum(["good", "bad"])),
  environmentReason: opt(text),
  other: opt(text),
});

/** The extra fields of each event type (the common ones are checked first). */
const BY_TYPE = {
  received: z.looseObject({
    item: nonEmpty,
    channel: z.enum(["online", "hall", "other"]),
    hall: opt(text),
    applicant: z.looseObject({
      name: opt(text),
      contact: opt(text),
      kind: z.enum(["person", "organization"]),
    }),
  }),
  correction_requested: z.looseObject({ materials: strings }),
  correction_completed: z.looseObject({}),
  accepted: z.looseObject({ handler: opt(text) }),
  rejected: z.looseObject({ reason: opt(text) }),
  special_started: z.looseObject({ procedure, until: isoDate }),
  special_completed: z.looseObject({ procedure }),
  step: z.looseObject({ name: nonEmpty, handler: opt(text) }),
  fee: z.looseObject({
    kind: z.enum(["charge", "reduction", "exemption"]),
    amount: z.number().min(0),
    basis: opt(text),
  }),
  materials_submitted: z.looseObject({ materials: strings }),
  completed: z.looseObject({ result: z.enum(["normal", "abnormal"]), reason: opt(text) }),
  certificate_determined: z.looseObject({}),
  certificate_uploaded: z.looseObject({ fields: z.record(z.string(), text) }),
  amended: z.looseObject({
    applicant: opt(z.looseObject({ name: opt(text), contact: opt(text) })),
    reason: opt(text),
    steps: opt(z.array(z.looseObject({ name: nonEmpty, handler: opt(text) }))),
  }),
  evaluation: answers,
  appeal: z.looseObject({ rule: nonEmpty, text }),
  second_evaluation: answers,
  review: z.looseObject({
    action: z.enum(["judge", "close_investigation", "confirm", "void", "dispose"]),
    rule: nonEmpty,
    subject: opt(text),
    abnormal: opt(z.boolean()),
    disposition: opt(z.enum(["circulated_criticism", "accountability"])),
    reason: text,
    by: nonEmpty,
    /** The deciding account's office name (set by the server beside `by`). */
    office: opt(text),
  }),
} satisfies Record<EventType, z.ZodObject>;

const base = z.looseObject({
  id: z.string().min(1).max(128),
  case: nonEmpty,
  type: z.enum(EVENT_TYPES),
  /** RFC 3339 instant with offset (checked beyond the schema by parseEvent). */
  at: z.string(),
});

/**
 * A schema's output as the code sees it: without the index signature of a loose object (unknown fields
 * are kept at run time, but no code may rely on them) and, for events, with `Drop = null` removed, as
 * parseEvent drops null fields (an absent optional field).
 */
type Known<T, Drop = never> = T extends readonly (infer E)[] ? Known<E, Drop>[]
  : T extends object ? {
      [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Known<
        Exclude<T[K], Drop>,
        Drop
      >;
    }
  : T;
/** Flatten an intersection into one object type (readable hovers and errors). */
type Flat<T> = { [K in keyof T]: T[K] };
/** One parsed event of type `T`: the common fields and the type's own. */
type EventOfType<T extends EventType> = Flat<
  & Omit<Known<z.output<typeof base>, null>, "type">
  & { type: T }
  & Known<z.output<typeof BY_TYPE[T]>, null>
>;

/** One case event, as parseEvent returns it. The union is discriminated by `type`. */
export type CaseEvent = { [T in EventType]: EventOfType<T> }[EventType];
/** Answers of an `evaluation` or `second_evaluation`; all optional. */
export type EvaluationAnswers = Known<z.output<typeof answers>, null>;
/** Applicant data as sent with `received`. */
export type Applicant = EventOfType<"received">["applicant"];

/** Validate one event. `now` (epoch ms), when given, refuses an `at` more than 5 minutes after it. */
export function parseEvent(
  raw: unknown,
  opts: { now?: number } = {},
): { ok: true; event: CaseEvent } | { ok: false; field: string; error: string } {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, field: "", error: "an event must be a JSON object" };
  }
  // Hostile values first (NUL, unpaired surrogates, nesting, huge numbers, over-long strings), in any
  // field, known or not: none of them may reach a rule or the database.
  const hostile = guardEvent(raw);
  if (hostile) return { ok: false, ...hostile };
  const type = (raw as { type?: unknown }).type;
  if (typeof type === "string" && !(EVENT_TYPES as readonly string[]).includes(type)) {
    return { ok: false, field: "type", error: `type ${JSON.stringify(type)} is not a known event type` };
  }
  const head = base.safeParse(raw);
  if (!head.success) return failure(head.error, raw);
  const at = head.data.at;
  let ms: number;
  try {
    if (!RFC3339.test(at)) throw new RangeError();
    ms = epochMs(at);
  } catch {
    return {
      ok: false,
      field: "at",
      error: "at must be an RFC 3339 instant with offset, e.g. 2024-10-08T09:30:00+08:00",
    };
  }
  if (!inRange(dateIn(ms))) return { ok: false, field: "at", error: `at ${OUT_OF_RANGE}` };
  if (opts.now !== undefined && ms > opts.now + MAX_FUTURE_MS) {
    return { ok: false, field: "at", error: "at is more than 5 minutes in the future" };
  }
  const rest = BY_TYPE[head.data.type].safeParse(raw);
  if (!rest.success) return failure(rest.error, raw);
  return { ok: true, event: dropNulls(rest.data) as CaseEvent };
}

const itemSchema = z.looseObject({
  code: nonEmpty,
  name: nonEmpty,
  department: nonEmpty,
  statutoryDays: count,
  promisedDays: count,
  steps: strings,
  materials: z.looseObject({ required: strings, optional: strings }),
  specialProcedures: z.array(procedure),
  fee: z.looseObject({ max: z.number().min(0), basis: text }).nullable(),
  promisedVisits: count,
  intermediaryFree: z.boolean(),
  certificate: z.looseObject({ type: nonEmpty, fields: strings, nationallyDetermined: z.boolean() })
    .nullable(),
}).refine((i) => i.promisedDays <= i.statutoryDays, {
  path: ["promisedDays"],
  message: "must not exceed statutoryDays",
});

/** An item of the catalogue (事项), as parseItem returns it. */
export type Item = Known<z.output<typeof itemSchema>>;

/** Validate one item of the catalogue. */
export function parseItem(
  raw: unknown,
): { ok: true; item: Item } | { ok: false; field: string; error: string } {
  const r = itemSchema.safeParse(raw);
  return r.success ? { ok: true, item: r.data as Item } : failure(r.error, raw);
}

/** A department (部门). */
export const departmentSchema = z.object({ code: nonEmpty, name: nonEmpty, region: nonEmpty });
/** A region: a 6-digit administrative division code, its name and its parent's code. */
export const regionSchema = z.object({
  code: z.string().regex(/^\d{6}$/, "must be a 6-digit administrative division code"),
  name: nonEmpty,
  parent: z.string().regex(/^\d{6}$/, "must be a 6-digit administrative division code").nullish()
    .transform((p) => p ?? null),
});
/** A service hall (政务服务大厅). */
export const hallSchema = z.object({ code: nonEmpty, name: nonEmpty, region: nonEmpty });

/** Validate a value against a schema, naming the first bad field. */
export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): Parsed<T> {
  const r = schema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : failure(r.error, raw);
}

/** The first issue of a zod error as a field path and a message that names it. */
function failure(error: z.ZodError, raw: unknown): { ok: false; field: string; error: string } {
  const issue = error.issues[0];
  const field = issue.path.map(String).join(".");
  const name = field || "value";
  return { ok: false, field, error: `${name} ${describe(issue, valueAt(raw, issue.path))}` };
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case "invalid_type":
      if (value === undefined) return "is required";
      return `must be ${issue.expected === "int" ? "a whole number" : `a ${issue.expected}`}`;
    case "invalid_value":
      if (value === undefined) return "is required";
      return `must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return "must not be empty";
      if (issue.origin === "array") return `must have at least ${issue.minimum} elements`;
      return `must be ≥ ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `must be at most ${issue.maximum} characters`;
      return `must be ≤ ${issue.maximum}`;
    case "invalid_format":
      return issue.message.startsWith("must") ? issue.message : `has an invalid format`;
    default:
      return issue.message.startsWith("must") ? issue.message : `is invalid: ${issue.message}`;
  }
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of path) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Remove keys whose value is null or undefined (absent optional fields), recursively. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (typeof v !== "object" || v === null) return v;
  const out: Record<string, unknown> = {};
  const object = v as Record<string, unknown>;
  for (const k of Object.keys(object)) {
    const x = object[k];
    if (x != null) out[k] = dropNulls(x);
  }
  return out;
}

/**
 * The schemas behind {@linkcode parseEvent} and {@linkcode parseItem}: an event's common fields, each
 * type's extra fields, and an item (read by the API document, server/openapi/, so that it describes
 * exactly what is validated).
 */
export const SCHEMAS = { eventBase: base, eventFields: BY_TYPE, item: itemSchema } as const;
