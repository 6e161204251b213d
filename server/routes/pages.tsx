/**
 * Server-rendered pages and static files: `GET /` (the halls), `GET /hall/:code` (a hall's wall
 * screen) and `GET /static/*`. The island bundles are built on first use (cached by source hash).
 *
 * @module
 */
import { Hono } from "hono";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { buildIslands, type Manifest } from "../../scripts/build_islands.ts";
import { calendarRoutes } from "./calendar.ts";
import { hallGroups, hallView } from "../pages/data.ts";
import { HallPage } from "../pages/hall_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { NotFoundPage } from "../pages/not_found_page.tsx";
import { StartPage } from "../pages/start_page.tsx";

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

/** Options of {@linkcode pageRoutes}. */
export interface PageOptions {
  /** Where the bundle manifest comes from; default {@linkcode buildIslands}. */
  manifest?: () => Promise<Manifest>;
}

/** The page routes. */
export function pageRoutes(deps: AppDeps, opts: PageOptions = {}): Hono<Env> {
  const app = new Hono<Env>();
  const manifest = opts.manifest ?? (() => buildIslands());
  const { db } = deps.database;
  // The calendar API decides which years count as missing; the start page shows its answer.
  const calendarApi = calendarRoutes(deps);

  app.get("/", async (c) => {
    const [groups, missingYears, m] = await Promise.all([
      hallGroups(db),
      missingCalendarYears(calendarApi),
      manifest(),
    ]);
    return c.html(renderPage(<StartPage groups={groups} missingYears={missingYears} manifest={m} />));
  });

  app.get("/hall/:code", async (c) => {
    const code = c.req.param("code");
    const [hall, m] = await Promise.all([hallView(db, code), manifest()]);
    if (!hall) return c.html(renderPage(<NotFoundPage message={`没有此大厅：${code}`} manifest={m} />), 404);
    const stream = new URLSearchParams({ hall: hall.code });
    // A display's token (if it came with one) goes along to the stream.
    const token = c.req.query("token");
    if (token) stream.set("token", token);
    const props = {
      hall: { code: hall.code, name: hall.name, regionName: hall.regionName },
      departments: hall.departments,
      streamUrl: `/api/v1/stream?${stream}`,
      renderedAt: deps.clock(),
    };
    return c.html(renderPage(<HallPage props={props} manifest={m} />));
  });

  app.get("/static/*", async (c) => {
    const rel = decodeURIComponent(c.req.path.slice("/static/".length));
    if (rel === "" || rel.split("/").some((s) => s === ".." || s === "." || s === "" || s.startsWith("."))) {
      return c.notFound();
    }
    const ext = rel.slice(rel.lastIndexOf(".") + 1);
    const type = CONTENT_TYPES[ext];
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
    c.header("X-Content-Type-Options", "nosniff");
    // Bundles carry their content hash in the name: cache them for good.
    c.header("Cache-Control", rel.startsWith("build/") ? "public, max-age=31536000, immutable" : "no-cache");
    return c.body(file.readable);
  });

  return app;
}

/** The calendar years around today with no notice loaded, as `GET /api/v1/calendar` says; null if unknown. */
async function missingCalendarYears(calendarApi: Hono<Env>): Promise<number[] | null> {
  try {
    const res = await calendarApi.request("/calendar");
    if (!res.ok) throw new Error(`GET /calendar answered ${res.status}`);
    const { missing } = await res.json() as { missing?: unknown };
    return Array.isArray(missing) ? missing.filter((y): y is number => Number.isInteger(y)) : null;
  } catch (err) {
    // The start page still lists the halls when the calendar cannot be read.
    console.error("calendar check failed:", err);
    return null;
  }
}
