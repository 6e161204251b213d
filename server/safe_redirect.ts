/**
 * Where a `next` parameter may send the browser after login: only a path of this origin. The value is
 * parsed the way browsers parse a `Location` (WHATWG URL: tabs and newlines removed, `\` read as `/`),
 * so `/\t/evil.example`, `//evil.example`, `/\\evil.example` and their encoded forms are caught by what
 * they would really open, not by a pattern. What is returned is the parsed, percent-encoded path, query
 * and fragment: never a control character, so never a broken header.
 *
 * @module
 */

/** The longest `next` kept; longer ones become "/". */
export const MAX_NEXT = 2000;

const BASE = "http://same-origin.invalid";

/** A same-origin path (with query and fragment) to redirect to; anything else becomes "/". */
export function safeNext(next: unknown): string {
  if (typeof next !== "string" || next.length > MAX_NEXT || !next.startsWith("/")) return "/";
  // Any control or whitespace character, or a backslash: browsers strip or reinterpret them.
  for (let i = 0; i < next.length; i++) {
    const code = next.charCodeAt(i);
    if (code <= 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x5c) return "/";
  }
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = url.pathname + url.search + url.hash;
  // A path starting with two slashes would be a scheme-relative URL once written back out.
  return path.startsWith("//") || !path.startsWith("/") ? "/" : path;
}

/**
 * The URL of the login page that brings the visitor back to `url` afterwards: its path and query
 * (a bookmarked filtered list survives the login), through {@linkcode safeNext}.
 */
export function loginUrl(url: string): string {
  const here = new URL(url);
  return `/login?next=${encodeURIComponent(safeNext(here.pathname + here.search))}`;
}
