/**
 * The API document: valid OpenAPI 3.1 (checked by @seriousme/openapi-schema-validator), every route of
 * the app under /api/v1 in it, every `$ref` resolvable, and each example of the document sent to the
 * app answering the documented status with a body that matches the documented response schema.
 */
import assert from "node:assert/strict";
import { Validator } from "@seriousme/openapi-schema-validator";
import { testPasswordHash } from "../auth/test_support.ts";
import type { Role } from "../auth/roles.ts";
import { createUser } from "../auth/users.ts";
import { openTestApp } from "../testing.ts";
import { buildOpenApi, type DocumentedRoute } from "./document.ts";

const t = await openTestApp("2026-03-03T09:00:00+08:00");
const build = buildOpenApi(t.app);
const doc = build.document as {
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, unknown> };
};

Deno.test("the API document is valid OpenAPI 3.1", async () => {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(build.document));
  assert.deepEqual(result, { valid: true });
  assert.equal(validator.version, "3.1");
});

Deno.test("the API document lists every route of the app under /api/v1", () => {
  assert.deepEqual(build.undocumented, [], "routes under /api/v1 without describe()");
  const inDoc = new Set(
    Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)
    ),
  );
  const appRoutes = t.app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/v1/"))
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}")}`);
  assert.deepEqual([...new Set(appRoutes)].filter((r) => !inDoc.has(r)), []);
});

Deno.test("every $ref of the API document points to a component", () => {
  const refs = JSON.stringify(build.document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g);
  const missing = [...refs].map((m) => m[1]).filter((id) => !(id in doc.components.schemas));
  assert.deepEqual(missing, []);
});

Deno.test("every operation says who may call it and with which credentials", () => {
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      assert.ok(Array.isArray(op.security), `${method} ${path}: security`);
      if ((op.security as unknown[]).length === 0) continue;
      assert.ok(op["x-permission"], `${method} ${path}: no permission gate found`);
      assert.ok(op.responses && (op.responses as Record<string, unknown>)["401"], `${method} ${path}: 401`);
    }
  }
});

// Accounts of every role over 郑州 (region 410100, its department and hall): the ingest key, and
// login sessions for the people (API keys are only for ingest accounts).
const keys: Partial<Record<Role, string>> = {
  admin: t.auth.admin,
  ingest: t.auth.ingest,
  province: t.auth.province,
};
for (const role of ["region", "department", "hall_manager", "director"] as const) {
  const user = await createUser(
    t.database.db,
    {
      username: `contract-${role}`,
      displayName: role,
      role,
      departments: role === "department" ? ["410100-SCJGJ"] : [],
      region: role === "region" || role === "director" ? "410100" : null,
      hall: role === "hall_manager" ? "410100-HALL" : null,
    },
    Date.parse("2026-03-02T09:00:00+08:00"),
    { passwordHash: await testPasswordHash() },
  );
  keys[role] = t.authOf(user.id);
}
const PREFERRED: Role[] = ["ingest", "admin", "province", "region", "department", "director", "hall_manager"];

interface Example {
  name: string;
  summary: string;
  value?: unknown;
  "x-status": number;
  "x-params"?: Record<string, string>;
  "x-query"?: Record<string, string>;
  contentType?: string;
}

function examplesOf(op: Record<string, unknown>): Example[] {
  const out: Example[] = [];
  const body = op.requestBody as
    | { content: Record<string, { examples?: Record<string, Example> }> }
    | undefined;
  for (const [contentType, media] of Object.entries(body?.content ?? {})) {
    for (const [name, e] of Object.entries(media.examples ?? {})) out.push({ ...e, name, contentType });
  }
  for (const e of (op["x-examples"] as Example[] | undefined) ?? []) out.push(e);
  return out;
}

// Ingestion first (later examples read its cases), deletions last.
const order = (r: DocumentedRoute) => r.path === "/api/v1/events" ? 0 : r.method === "DELETE" ? 2 : 1;
const routes = [...build.routes].sort((a, b) => order(a) - order(b));
for (const route of routes) {
  const op = doc.paths[route.openapiPath][route.method.toLowerCase()];
  for (const example of examplesOf(op)) {
    Deno.test(`contract: ${route.method} ${route.path} example "${example.name}" answers ${example["x-status"]}`, async () => {
      let path = route.path;
      for (const [k, v] of Object.entries(example["x-params"] ?? {})) {
        path = path.replace(`:${k}`, encodeURIComponent(v));
      }
      assert.doesNotMatch(path, /:\w/, "the example names every path parameter");
      const query = new URLSearchParams(example["x-query"] ?? {}).toString();
      const roles = op["x-roles"] as string[] | "any" | undefined;
      const role = roles === undefined
        ? undefined
        : PREFERRED.find((r) => roles === "any" || roles.includes(r));
      const headers: Record<string, string> = { authorization: role ? keys[role]! : "" };
      if (example.contentType) headers["content-type"] = example.contentType;
      const res = await t.send(route.method, path + (query ? `?${query}` : ""), example.value, headers);
      const text = await res.text();
      assert.equal(res.status, example["x-status"], text.slice(0, 500));
      const documented = route.doc.responses[res.status];
      assert.ok(
        documented || [400, 401, 403, 404, 429].includes(res.status),
        `status ${res.status} is documented`,
      );
      if (documented?.schema && (documented.contentType ?? "application/json").includes("json")) {
        const parsed = documented.schema.safeParse(JSON.parse(text));
        assert.ok(parsed.success, `the body matches the documented schema: ${parsed.error?.message}`);
      }
    });
  }
}

Deno.test("GET /api/docs serves Swagger UI from the product itself, no inline script", async () => {
  const res = await t.send("GET", "/api/docs", undefined, { authorization: "" });
  assert.equal(res.status, 200);
  const html = await res.text();
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 2);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, /src="\/api\/docs\//);
    assert.equal(body.trim(), "");
  }
  assert.doesNotMatch(html, /https?:\/\//, "no asset from another origin");
  for (const asset of ["swagger-ui-bundle.js", "swagger-ui.css", "init.js"]) {
    const a = await t.send("GET", `/api/docs/${asset}`, undefined, { authorization: "" });
    assert.equal(a.status, 200, asset);
    assert.ok((await a.arrayBuffer()).byteLength > 100, asset);
  }
  const missing = await t.send("GET", "/api/docs/package.json", undefined, { authorization: "" });
  assert.equal(missing.status, 404);
  await missing.body?.cancel();
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
