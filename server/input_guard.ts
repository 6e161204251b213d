/**
 * The input guard: one middleware, before authentication and every route, that refuses with 400 any
 * request whose path, query or body text no route could mean — malformed percent-encoding, a NUL or
 * another control character, an unpaired surrogate, an over-long path, segment, query or parameter,
 * JSON nested deeper than any of our shapes. Routes then only ever see text that PostgreSQL can store
 * and compare, so no hostile path or query reaches the database as a 500.
 *
 * The answer is JSON (`{ error, details: { field } }`) under `/api/` and to JSON requests, an HTML page
 * elsewhere. The body of
 * `POST /api/v1/events` is left to ingestion, which refuses bad values per event (EXCHANGE.md "Bad
 * input") instead of the whole batch.
 *
 * And the last line: {@linkcode isDataException} recognises PostgreSQL's "data exception" errors
 * (SQLSTATE class 22: invalid text, out-of-range values) that `app.onError` answers with 400, never 500.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

/** The limits the guard applies. */
export const INPUT_LIMITS = {
  /** Characters of the raw (percent-encoded) path. */
  path: 2048,
  /** Characters of one decoded path segment (ids ≤ 128, codes ≤ 64). */
  segment: 256,
  /** Characters of the raw query string. */
  query: 8192,
  /** Characters of one decoded query value. */
  queryValue: 2000,
  /** Nesting of a JSON body (our shapes need fewer than 10). */
  jsonDepth: 32,
};

/** Paths whose bodies the guard does not read (ingestion refuses bad values per event). */
export const BODY_EXEMPT = ["/api/v1/events"];

/** Why a text may not be used, or null. `whitespace`: allow tab, line feed and carriage return. */
export function badText(s: string, opts: { whitespace: boolean }): string | null {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return "含有 NUL 字符 (contains a NUL character)";
    if (c < 0x20 || c === 0x7f) {
      if (opts.whitespace && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
      return "含有控制字符 (contains a control character)";
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "含有不成对的代理字符 (contains an unpaired surrogate)";
    }
    if (c >= 0xdc00 && c <= 0xdfff) return "含有不成对的代理字符 (contains an unpaired surrogate)";
  }
  return null;
}

/** A refusal: what was wrong and where (`path`, `query.<name>`, `body.<field>`). */
interface Refusal {
  field: string;
  error: string;
}

function decode(s: string, plus: boolean): string | null {
  try {
    return decodeURIComponent(plus ? s.replaceAll("+", " ") : s);
  } catch {
    return null;
  }
}

/** Check the raw path and query of a URL. */
export function checkUrl(rawUrl: string): Refusal | null {
  const afterScheme = rawUrl.indexOf("//");
  const pathStart = rawUrl.indexOf("/", afterScheme >= 0 ? afterScheme + 2 : 0);
  const rest = pathStart >= 0 ? rawUrl.slice(pathStart) : "/";
  const hash = rest.indexOf("#");
  const target = hash >= 0 ? rest.slice(0, hash) : rest;
  const q = target.indexOf("?");
  const path = q >= 0 ? target.slice(0, q) : target;
  const query = q >= 0 ? target.slice(q + 1) : "";
  if (path.length > INPUT_LIMITS.path) {
    return { field: "path", error: `路径过长 (path longer than ${INPUT_LIMITS.path} characters)` };
  }
  for (const segment of path.split("/")) {
    const text = decode(segment, false);
    if (text === null) {
      return { field: "path", error: "路径中的百分号编码无效 (malformed percent-encoding in the path)" };
    }
    if (text.length > INPUT_LIMITS.segment) {
      return { field: "path", error: `路径中的一段过长 (path segment longer than ${INPUT_LIMITS.segment})` };
    }
    const bad = badText(text, { whitespace: false });
    if (bad) return { field: "path", error: `路径${bad}` };
  }
  if (query.length > INPUT_LIMITS.query) {
    return { field: "query", error: `查询字符串过长 (query longer than ${INPUT_LIMITS.query} characters)` };
  }
  if (query === "") return null;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    const name = decode(eq >= 0 ? pair.slice(0, eq) : pair, true);
    const value = decode(eq >= 0 ? pair.slice(eq + 1) : "", true);
    const shown = name !== null && badText(name, { whitespace: false }) === null ? name.slice(0, 64) : "?";
    const field = `query.${shown}`;
    if (name === null || value === null) {
      return { field, error: `查询参数 ${shown} 的百分号编码无效 (malformed percent-encoding)` };
    }
    const bad = badText(name, { whitespace: false }) ?? badText(value, { whitespace: true });
    if (bad) return { field, error: `查询参数 ${shown} ${bad}` };
    if (value.length > INPUT_LIMITS.queryValue) {
      return {
        field,
        error: `查询参数 ${shown} 过长 (longer than ${INPUT_LIMITS.queryValue} characters)`,
      };
    }
  }
  return null;
}

/** Check every key and string of a parsed JSON value, iteratively (no recursion to overflow). */
export function checkJson(value: unknown): Refusal | null {
  const stack: [unknown, string, number][] = [[value, "body", 0]];
  while (stack.length > 0) {
    const [v, where, depth] = stack.pop()!;
    if (typeof v === "string") {
      const bad = badText(v, { whitespace: true });
      if (bad) return { field: where, error: `${where}: ${bad}` };
      continue;
    }
    if (v === null || typeof v !== "object") continue;
    if (depth >= INPUT_LIMITS.jsonDepth) {
      return { field: where, error: `${where}: 嵌套过深 (nested deeper than ${INPUT_LIMITS.jsonDepth})` };
    }
    for (const [k, child] of Object.entries(v)) {
      const bad = badText(k, { whitespace: false });
      if (bad) return { field: where, error: `${where}: 字段名${bad}` };
      stack.push([child, Array.isArray(v) ? `${where}[${k}]` : `${where}.${k}`, depth + 1]);
    }
  }
  return null;
}

/** Check the fields of a form body. */
function checkForm(form: FormData): Refusal | null {
  for (const [k, v] of form.entries()) {
    const bad = badText(k, { whitespace: false }) ??
      (typeof v === "string" ? badText(v, { whitespace: true }) : null);
    if (bad) return { field: `body.${k.slice(0, 64)}`, error: `${k.slice(0, 64)}: ${bad}` };
  }
  return null;
}

async function checkBody(c: Context): Promise<Refusal | null> {
  if (c.req.method === "GET" || c.req.method === "HEAD") return null;
  if (BODY_EXEMPT.some((p) => c.req.path === p || c.req.path.startsWith(`${p}/`))) return null;
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (type.startsWith("application/json")) {
    // Unreadable JSON is the route's to refuse, in its own words; the parsed body is cached for it.
    const parsed = await c.req.json().then((v) => ({ v }), () => null);
    return parsed ? checkJson(parsed.v) : null;
  }
  if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
    const form = await c.req.formData().catch(() => null);
    return form ? checkForm(form) : null;
  }
  return null;
}

/** The HTML answer for pages: a plain Chinese page (the product's error pages may restyle it). */
export function inputErrorPage(message: string): string {
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>请求有误 · 政务服务电子监察系统</title><style>body{font-family:system-ui,"Noto Sans CJK SC",` +
    `sans-serif;background:#f3f5f8;margin:0}main{max-width:560px;margin:12vh auto;background:#fff;` +
    `padding:32px;border-radius:8px}h1{font-size:20px;color:#b71c1c}</style></head>` +
    `<body><main><h1>请求有误</h1><p>${escapeHtml(message)}</p>` +
    `<p><a href="/">返回首页</a></p></main></body></html>`;
}

/** The guard middleware. */
export function inputGuard(): MiddlewareHandler {
  return async (c, next) => {
    const refused = checkUrl(c.req.url) ?? await checkBody(c);
    if (!refused) return await next();
    const message = `请求有误：${refused.error}`;
    const type = c.req.header("content-type") ?? "";
    const accept = c.req.header("accept") ?? "";
    const api = new URL(c.req.url).pathname.startsWith("/api/") || type.startsWith("application/json") ||
      (accept.includes("application/json") && !accept.includes("text/html"));
    if (api) {
      return c.json({ error: refused.error, details: { field: refused.field } }, 400);
    }
    return c.html(inputErrorPage(message), 400);
  };
}

/** Whether an error (or its cause, as drizzle wraps it) is a PostgreSQL data exception (SQLSTATE 22xxx). */
export function isDataException(err: unknown): boolean {
  for (let e = err, i = 0; e && typeof e === "object" && i < 4; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}
