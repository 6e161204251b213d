/**
 * The hostile-value guard of an event (EXCHANGE.md "Bad input"), run before the shape is checked: a
 * string holding a NUL or an unpaired surrogate (in any value or key, known field or not), nesting
 * deeper than the shapes allow, a number too large to be data, an over-long id, code, text or key, an
 * oversized array or object. Each is refused naming the field (its path); nothing of the value ever
 * reaches the database. Pure; a value nested thousands deep is refused at the depth limit, without
 * going deeper.
 *
 * @module
 */

/** The longest `id` and `case`. */
export const MAX_ID = 128;
/** The longest other code (item, hall, a rule id). */
export const MAX_CODE = 64;
/** The longest text. */
export const MAX_TEXT = 4000;
/** The longest object key (field names, certificate face fields). */
export const MAX_KEY = 64;
/**
 * The deepest nesting of objects and arrays, the event itself being 1: the shapes go as deep as
 * `amended.steps[i]` (3).
 */
export const MAX_DEPTH = 3;
/** Most elements of one array or keys of one object. */
export const MAX_ENTRIES = 1000;
/** Largest magnitude of a number (whole yuan amounts, counts; beyond this it is not data). */
export const MAX_NUMBER = 1e12;

/** Top-level fields that are codes, with their limits (everything else is text). */
const CODE_LIMITS: Record<string, number> = { id: MAX_ID, case: MAX_ID, item: MAX_CODE, hall: MAX_CODE };
/** Codes by event type (a rule id). */
const TYPED_CODES: Record<string, readonly string[]> = { appeal: ["rule"], review: ["rule"] };

/** A refusal: the field's path and a Chinese-first message with the English in brackets. */
export interface GuardRefusal {
  field: string;
  error: string;
}

/** Replace what cannot be shown (NUL, unpaired surrogates) in a name used in a message, and shorten it. */
function printable(s: string): string {
  const shown = s.replaceAll("\u0000", "\uFFFD").toWellFormed();
  return shown.length > MAX_KEY ? `${shown.slice(0, MAX_KEY)}…` : shown;
}

function badString(s: string): "nul" | "surrogate" | null {
  if (s.includes("\u0000")) return "nul";
  if (!s.isWellFormed()) return "surrogate";
  return null;
}

const STRING_PROBLEM = {
  nul: "含有 NUL 字符 (holds a NUL character)",
  surrogate: "含有不成对的代理字符 (holds an unpaired surrogate)",
} as const;

/** A field's path as messages name it (built only for a refusal: most values pass). */
const fieldName = (path: readonly string[]) => path.map(printable).join(".");

function checkKeys(keys: readonly string[], path: readonly string[]): GuardRefusal | null {
  for (const key of keys) {
    const problem = badString(key);
    if (problem === null && key.length <= MAX_KEY) continue;
    const at = fieldName([...path, key]);
    if (problem) return { field: at, error: `字段名 ${at} ${STRING_PROBLEM[problem]}` };
    return {
      field: at,
      error: `字段名 ${at} 过长，最多 ${MAX_KEY} 个字符 (field name must be at most ${MAX_KEY} characters)`,
    };
  }
  return null;
}

function checkString(value: string, path: readonly string[], codes: readonly string[]): GuardRefusal | null {
  const problem = badString(value);
  if (problem) {
    const field = fieldName(path);
    return { field, error: `字段 ${field} ${STRING_PROBLEM[problem]}` };
  }
  const top = path.length === 1 ? path[0] : undefined;
  const limit = top === undefined
    ? MAX_TEXT
    : CODE_LIMITS[top] ?? (codes.includes(top) ? MAX_CODE : MAX_TEXT);
  if (value.length <= limit) return null;
  const field = fieldName(path);
  return {
    field,
    error: `字段 ${field} 过长，最多 ${limit} 个字符 (${field} must be at most ${limit} characters)`,
  };
}

/** Check an event (any JSON value) for hostile values; null when there are none. */
export function guardEvent(raw: unknown): GuardRefusal | null {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const type = (raw as { type?: unknown }).type;
  const codes = typeof type === "string" ? TYPED_CODES[type] ?? [] : [];
  return check(raw, [], 1, codes);
}

/**
 * The first hostile value in document order, each object's own size and keys judged before its
 * values. Recursive, but never deeper than {@linkcode MAX_DEPTH} + 1: a value nested thousands deep is
 * refused where it passes the limit. `path` is the value's (one array, extended and restored).
 */
function check(value: unknown, path: string[], depth: number, codes: readonly string[]): GuardRefusal | null {
  if (typeof value === "string") return checkString(value, path, codes);
  if (typeof value === "number") {
    if (Number.isFinite(value) && Math.abs(value) <= MAX_NUMBER) return null;
    const field = fieldName(path);
    return {
      field,
      error: `字段 ${field} 数值超出范围 (${field} is out of range: at most ${MAX_NUMBER} in magnitude)`,
    };
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth > MAX_DEPTH) {
    const field = fieldName(path);
    return {
      field,
      error: `字段 ${field} 嵌套过深 (${field} is nested deeper than the event's shape allows)`,
    };
  }
  const list = Array.isArray(value) ? value : null;
  const keys = list ? null : Object.keys(value);
  if ((list ?? keys!).length > MAX_ENTRIES) {
    const field = fieldName(path);
    const name = field || "(event)";
    return {
      field,
      error: `字段 ${name} 元素过多，最多 ${MAX_ENTRIES} 个 (${name} has more than ${MAX_ENTRIES} entries)`,
    };
  }
  if (keys) {
    const bad = checkKeys(keys, path);
    if (bad) return bad;
  }
  const n = list ? list.length : keys!.length;
  for (let i = 0; i < n; i++) {
    const key = keys ? keys[i] : String(i);
    path.push(key);
    const bad = check(list ? list[i] : (value as Record<string, unknown>)[key], path, depth + 1, codes);
    path.pop();
    if (bad) return bad;
  }
  return null;
}
