/**
 * What the supervision pages share: the one page guard (re-exported from server/routes/page_guard.ts),
 * form-field reading, and the success message carried across the redirect after a post (`?ok=`).
 *
 * @module
 */
import type { Context } from "hono";
import type { Env } from "../app.ts";

/** The one page guard of every page route (server/routes/page_guard.ts). */
export { pageGuard } from "../routes/page_guard.ts";

/** A form's text fields (empty strings dropped), and its repeated fields as arrays. */
export async function formFields(c: Context<Env>): Promise<{
  text: (k: string) => string | undefined;
  all: (k: string) => string[];
}> {
  const form = await c.req.parseBody({ all: true });
  const text = (k: string) => {
    const v = form[k];
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === "string" && s.trim() !== "" ? s : undefined;
  };
  const all = (k: string) => {
    const v = form[k];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string =>
      typeof x === "string"
    );
  };
  return { text, all };
}

/** Redirect after a successful post, with the success message shown by the next page. */
export function redirectOk(c: Context<Env>, path: string, message: string): Response {
  const sep = path.includes("?") ? "&" : "?";
  const [p, hash] = path.split("#");
  return c.redirect(`${p}${sep}ok=${encodeURIComponent(message)}${hash ? `#${hash}` : ""}`, 303);
}

/** The success message of the request (`?ok=`), at most 200 characters. */
export function okMessage(c: Context<Env>): string | undefined {
  return c.req.query("ok")?.slice(0, 200) || undefined;
}

/** A message box (success or error). */
export function Flash({ ok, error }: { ok?: string; error?: string }) {
  return (
    <>
      {ok && <p class="notice notice-ok" role="status">{ok}</p>}
      {error && <p class="notice notice-error" role="alert">{error}</p>}
    </>
  );
}
