/**
 * `GET /static/*`: files under `static/`, with their content type; hashed bundles under `build/` are
 * cached for good and sent as their precompressed `.br` / `.gz` copy (server/island_bundles.ts) when
 * the client accepts it. Other files are compressed on the fly by the app's compress middleware.
 * Dot-files and anything outside the folder are not served.
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
  const built = rel.startsWith("build/");
  const encoding = built ? preferredEncoding(c.req.header("Accept-Encoding")) : null;
  let file = encoding ? await openFile(`${STATIC_DIR}${rel}.${encoding === "br" ? "br" : "gz"}`) : null;
  const sentEncoding = file ? encoding : null;
  file ??= await openFile(STATIC_DIR + rel);
  if (!file) return c.notFound();
  const info = await file.stat();
  if (!info.isFile) {
    file.close();
    return c.notFound();
  }
  c.header("Content-Type", type);
  c.header("Content-Length", String(info.size));
  if (built) c.header("Vary", "Accept-Encoding");
  if (sentEncoding) c.header("Content-Encoding", sentEncoding);
  // Bundles carry their content hash in the name: cache them for good.
  c.header("Cache-Control", built ? "public, max-age=31536000, immutable" : "no-cache");
  return c.body(file.readable);
}

async function openFile(path: string): Promise<Deno.FsFile | null> {
  try {
    return await Deno.open(path);
  } catch {
    return null;
  }
}

/** `br` or `gzip` when the Accept-Encoding header allows it (q > 0), br first; else null. */
export function preferredEncoding(header: string | undefined): "br" | "gzip" | null {
  if (!header) return null;
  const q = new Map<string, number>();
  for (const part of header.toLowerCase().split(",")) {
    const [name, ...params] = part.trim().split(";");
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    q.set(name.trim(), qp ? Number(qp.slice(2)) || 0 : 1);
  }
  const allowed = (name: string) => (q.get(name) ?? q.get("*") ?? 0) > 0;
  if (allowed("br")) return "br";
  if (allowed("gzip")) return "gzip";
  return null;
}
