/**
 * `GET /static/*`: files under `static/`, with their content type; hashed bundles under `build/` are
 * cached for good. Dot-files and anything outside the folder are not served.
 *
 * @module
 */
import type { Context } from "hono";

const STATIC_DIR = new URL("../../static/", import.meta.url).pathname;
const CONTENT_TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  json: "application/json; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
};

/** The handler, for a route ending in `/static/*`. */
export async function serveStatic(c: Context): Promise<Response> {
  let rel: string;
  try {
    rel = decodeURIComponent(c.req.path.slice(c.req.path.indexOf("/static/") + "/static/".length));
  } catch {
    return c.notFound();
  }
  if (rel === "" || rel.split("/").some((s) => s === "" || s.startsWith(".") || s.includes("\\"))) {
    return c.notFound();
  }
  const type = CONTENT_TYPES[rel.slice(rel.lastIndexOf(".") + 1)];
  if (!type) return c.notFound();
  let file: Deno.FsFile;
  try {
    file = await Deno.open(STATIC_DIR + rel);
  } catch {
    return c.notFound();
  }
  const info = await file.stat();
  if (!info.isFile) {
    file.close();
    return c.notFound();
  }
  c.header("Content-Type", type);
  c.header("Content-Length", String(info.size));
  // Bundles carry their content hash in the name: cache them for good.
  c.header("Cache-Control", rel.startsWith("build/") ? "public, max-age=31536000, immutable" : "no-cache");
  return c.body(file.readable);
}
