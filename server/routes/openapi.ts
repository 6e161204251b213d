/**
 * The API description: `GET /api/v1/openapi.json` (OpenAPI 3.1, written from the app's own routes by
 * server/openapi/document.ts) and `GET /api/docs`, a Swagger UI page whose assets come from the npm
 * package `swagger-ui-dist` and are served here, so the page works without internet access and under
 * the Content-Security-Policy (`script-src 'self'`: the start-up script is a file, not inline).
 *
 * Both are public: the description holds no data, and integrators read it before they have a key.
 *
 * @module
 */
import { Hono } from "hono";
import { z } from "zod";
import getAbsoluteFSPath from "swagger-ui-dist/absolute-path.js";
import type { Env } from "../app.ts";
import { describe } from "../openapi/describe.ts";
import { buildOpenApi } from "../openapi/document.ts";

// deno-lint-ignore no-explicit-any
type AnyHono = Hono<any, any, any>;

const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** Swagger UI's start-up, as a file (no inline script). The validator badge would call out: off. */
const INIT_JS = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    persistAuthorization: false,
    withCredentials: true,
    tryItOutEnabled: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>监察台 API 文档</title>
<link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png">
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="stylesheet" href="/api/docs/docs.css">
</head>
<body>
<header class="docs-head"><a href="/">监察台</a> · 接口文档 (API) · <a href="/api/v1/openapi.json">openapi.json</a></header>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`;

const DOCS_CSS = `body { margin: 0; font-family: system-ui, "Noto Sans CJK SC", sans-serif; }
.docs-head { padding: 10px 20px; background: #1f3a5f; color: #fff; font-size: 15px; }
.docs-head a { color: #fff; }
`;

/** The API description routes; `app` is the finished app whose routes are described. */
export function openapiRoutes(app: () => AnyHono): Hono<Env> {
  const routes = new Hono<Env>();
  let document: Record<string, unknown> | null = null;
  // Built once, on the first request: by then every route is mounted.
  const doc = () => (document ??= buildOpenApi(app()).document);
  const dir = getAbsoluteFSPath();

  routes.get(
    "/api/v1/openapi.json",
    describe({
      tags: ["系统 System"],
      summary: "本接口文档 (this OpenAPI 3.1 document)",
      public: true,
      responses: { 200: { description: "OpenAPI 3.1 文档", schema: z.looseObject({ openapi: z.string() }) } },
      examples: [{ name: "get", summary: "取得接口文档", value: undefined, status: 200 }],
    }),
    (c) => c.json(doc()),
  );
  routes.get("/api/docs", (c) => c.html(PAGE));
  routes.get("/api/docs/init.js", (c) => text(c, INIT_JS, "text/javascript; charset=utf-8"));
  routes.get("/api/docs/docs.css", (c) => text(c, DOCS_CSS, "text/css; charset=utf-8"));
  routes.get("/api/docs/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSETS[file];
    if (!type) return c.notFound();
    const f = await Deno.open(`${dir}/${file}`);
    c.header("Content-Type", type);
    c.header("Content-Length", String((await f.stat()).size));
    c.header("Cache-Control", "public, max-age=86400");
    return c.body(f.readable);
  });
  return routes;
}

function text(
  c: { body: (b: string) => Response; header: (k: string, v: string) => void },
  body: string,
  type: string,
) {
  c.header("Content-Type", type);
  c.header("Cache-Control", "public, max-age=3600");
  return c.body(body);
}
