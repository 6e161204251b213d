/**
 * The OpenAPI 3.1 document, written from the app's own routes: every route whose handler chain holds
 * a `describe()` (describe.ts) becomes an operation; its schemas are the zod schemas the route uses,
 * turned into JSON Schema 2020-12 by zod's `toJSONSchema`; who may call it comes from the permission
 * gate in the same chain (server/auth/roles.ts).
 *
 * @module
 */
import type { Hono } from "hono";
import { z } from "zod";
import { PERMISSIONS } from "../auth/roles.ts";
import { SESSION_COOKIE } from "../auth/sessions.ts";
import {
  type Credential,
  errorSchema,
  NAMED_SCHEMAS,
  permissionOf,
  type RouteDoc,
  routeDocOf,
  type RouteExample,
} from "./describe.ts";

// deno-lint-ignore no-explicit-any
type AnyHono = Hono<any, any, any>;
type Json = Record<string, unknown>;

/** A documented operation, with the zod schemas behind it (for contract tests). */
export interface DocumentedRoute {
  method: string;
  /** Hono's path (`/api/v1/cases/:case`). */
  path: string;
  /** OpenAPI's path (`/api/v1/cases/{case}`). */
  openapiPath: string;
  doc: RouteDoc;
  permission?: string;
}

/** The document and the routes behind it. */
export interface OpenApiBuild {
  document: Json;
  routes: DocumentedRoute[];
  /** `METHOD path` of app routes under `/api/v1` that carry no description. */
  undocumented: string[];
}

const TAG_ORDER = [
  "接入 Ingestion",
  "办件 Cases",
  "监察 Supervision",
  "统计 Reports",
  "实时 Live",
  "基础数据 Reference data",
  "日历 Calendar",
  "管理 Administration",
  "审计 Audit",
  "账户 Account",
  "系统 System",
];

/** Hono's `:param` (optionally `:param{regex}`) as OpenAPI's `{param}`. */
export function openapiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}");
}

/** Whether a middleware pattern (`/api/v1/cases/*`) covers a route path. */
function covers(pattern: string, path: string): boolean {
  if (pattern === "*" || pattern === "/*") return true;
  const re = new RegExp(
    "^" + pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\\\/\*$/, "(/.*)?").replace(/\*/g, ".*")
      .replace(/:[A-Za-z0-9_]+/g, "[^/]+") +
      "$",
  );
  return re.test(path);
}

/** Build the document from the app's routes. */
export function buildOpenApi(app: AnyHono, info: { version?: string } = {}): OpenApiBuild {
  const groups = new Map<string, { method: string; path: string; handlers: unknown[] }>();
  const middleware: { path: string; handler: unknown }[] = [];
  for (const r of app.routes) {
    if (r.method === "ALL") {
      middleware.push({ path: r.path, handler: r.handler });
      continue;
    }
    const key = `${r.method} ${r.path}`;
    const g = groups.get(key) ?? { method: r.method, path: r.path, handlers: [] };
    g.handlers.push(r.handler);
    groups.set(key, g);
  }
  const routes: DocumentedRoute[] = [];
  const undocumented: string[] = [];
  for (const [key, g] of groups) {
    const doc = g.handlers.map(routeDocOf).find((d) => d !== undefined);
    if (!doc) {
      if (g.path.startsWith("/api/v1/") || g.path === "/api/v1") undocumented.push(key);
      continue;
    }
    const permission = g.handlers.map(permissionOf).find((p) => p !== undefined) ??
      middleware.filter((m) => covers(m.path, g.path)).map((m) => permissionOf(m.handler))
        .find((p) => p !== undefined);
    routes.push({ method: g.method, path: g.path, openapiPath: openapiPath(g.path), doc, permission });
  }

  // Every schema of every operation goes into one registry, so shared ones become $refs.
  const registry = z.registry<{ id: string }>();
  for (const [schema, id] of NAMED_SCHEMAS) registry.add(schema, { id });
  const idOf = (schema: z.ZodType, fallback: string) => {
    if (!registry.has(schema)) registry.add(schema, { id: fallback });
    return registry.get(schema)!.id;
  };
  const paths: Record<string, Json> = {};
  const usedTags = new Set<string>();
  for (const r of routes) {
    const opId = r.doc.operationId ?? operationId(r.method, r.path);
    const ref = (schema: z.ZodType, suffix: string) => ({
      $ref: `#/components/schemas/${idOf(schema, `${capitalize(opId)}${suffix}`)}`,
    });
    r.doc.tags.forEach((t) => usedTags.add(t));
    const op: Json = {
      operationId: opId,
      tags: r.doc.tags,
      summary: r.doc.summary,
      ...(r.doc.description ? { description: r.doc.description } : {}),
    };
    const parameters: Json[] = [];
    for (const name of [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1])) {
      parameters.push({
        name,
        in: "path",
        required: true,
        description: r.doc.params?.[name] ?? name,
        schema: { type: "string" },
      });
    }
    if (r.doc.query) {
      for (const [name, field] of Object.entries(r.doc.query.shape)) {
        const schema = jsonSchemaOf(field as z.ZodType);
        const { description, ...rest } = schema;
        parameters.push({
          name,
          in: "query",
          required: !(field as z.ZodType).safeParse(undefined).success,
          ...(description ? { description } : {}),
          schema: rest,
        });
      }
    }
    if (parameters.length) op.parameters = parameters;
    if (r.doc.body) {
      const body = r.doc.body;
      const types = body.contentTypes ?? ["application/json"];
      const content: Json = {};
      for (const type of types) {
        // JSON bodies have the schema; NDJSON, CSV and binary files are described as strings.
        const json = type === "application/json";
        const textual = json || type.startsWith("text/") || type.includes("ndjson");
        const media: Json = json ? { schema: ref(body.schema, "Request") } : {
          schema: type.includes("ndjson")
            ? { type: "string", description: "每行一个 JSON 对象 (one JSON object per line)" }
            : textual
            ? { type: "string" }
            : { type: "string", contentMediaType: type },
        };
        const examples = (body.examples ?? []).filter((e) =>
          textual && (json ? typeof e.value !== "string" : typeof e.value === "string")
        );
        if (examples.length) {
          media.examples = Object.fromEntries(examples.map((e) => [e.name, exampleObject(e)]));
        }
        content[type] = media;
      }
      op.requestBody = {
        required: true,
        ...(body.description ? { description: body.description } : {}),
        content,
      };
    }
    if (r.doc.examples?.length) {
      op["x-examples"] = r.doc.examples.map((e) => ({ name: e.name, ...exampleObject(e) }));
    }
    const responses: Json = {};
    for (const [status, res] of Object.entries(r.doc.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.schema || res.contentType
          ? {
            content: {
              [res.contentType ?? "application/json"]: res.schema
                ? { schema: ref(res.schema, `Response${status}`) }
                : {},
            },
          }
          : {}),
      };
    }
    const error = (description: string) => ({
      description,
      content: { "application/json": { schema: ref(errorSchema, "") } },
    });
    if ((r.doc.body || r.doc.query) && !responses["400"]) {
      responses["400"] = error("请求无效，说明指出字段 (bad request)");
    }
    if (!r.doc.public) {
      responses["401"] ??= error("未登录或凭据无效 (not authenticated)");
      if (r.permission && r.permission !== "authenticated") {
        responses["403"] ??= error("无权访问 (forbidden)");
      }
    }
    responses["429"] ??= error("请求过于频繁 (rate limit exceeded)");
    op.responses = responses;
    op.security = r.doc.public ? [] : securityOf(r.method, r.doc.credentials ?? ["apiKey", "session"]);
    if (r.permission) {
      op["x-permission"] = r.permission;
      op["x-roles"] = r.permission === "authenticated"
        ? "any"
        : [...(PERMISSIONS as Record<string, readonly string[]>)[r.permission] ?? []];
    }
    (paths[r.openapiPath] ??= {})[r.method.toLowerCase()] = op;
  }
  const { schemas } = z.toJSONSchema(registry, {
    uri: (id) => `#/components/schemas/${id}`,
    io: "input",
    unrepresentable: "any",
  }) as { schemas: Record<string, Json> };
  for (const s of Object.values(schemas)) {
    delete s.$schema;
    delete s.$id;
  }
  const tags = [...usedTags].sort((a, b) => rank(a) - rank(b)).map((name) => ({ name }));
  const document: Json = {
    openapi: "3.1.0",
    info: {
      title: "监察台 政务服务电子监察 API",
      version: info.version ?? "1.0.0",
      description:
        "河南省政务服务电子监察系统的接口。部门系统与市级平台推送办件事件，监察机构、部门、大厅与管理员读取办件、预警、统计并作出处理。" +
        "错误说明中文在前、英文在括号内。\n\n" +
        "Credentials: an API key (`Authorization: Bearer jct_…`), a session cookie from `POST /login` " +
        "(writes then need the `X-CSRF-Token` header), or a display token (`?token=`) for a hall's wall screen.",
    },
    servers: [{ url: "/" }],
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: {
        apiKey: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "jct_…",
          description: "API 密钥，由管理员在“系统管理 → API 密钥”创建 (API key)",
        },
        session: {
          type: "apiKey",
          in: "cookie",
          name: SESSION_COOKIE,
          description: "登录后的会话 Cookie (session cookie from POST /login)",
        },
        csrf: {
          type: "apiKey",
          in: "header",
          name: "X-CSRF-Token",
          description: "会话的 CSRF 令牌，写操作必须携带 (the session's CSRF token, for writes)",
        },
        displayToken: {
          type: "apiKey",
          in: "query",
          name: "token",
          description: "大厅显示屏令牌，只能打开其所属大厅 (display token of one hall)",
        },
      },
    },
  };
  return { document, routes, undocumented };
}

function securityOf(method: string, credentials: Credential[]): Json[] {
  const write = !["GET", "HEAD", "OPTIONS"].includes(method);
  return credentials.map((c) => c === "session" && write ? { session: [], csrf: [] } : { [c]: [] });
}

function exampleObject(
  e: RouteExample,
) {
  return {
    summary: e.summary,
    ...(e.value !== undefined ? { value: e.value } : {}),
    "x-status": e.status,
    ...(e.params ? { "x-params": e.params } : {}),
    ...(e.query ? { "x-query": e.query } : {}),
  };
}

function jsonSchemaOf(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Json;
  delete out.$schema;
  return out;
}

/** `getApiV1CasesByCase` for `GET /api/v1/cases/:case`. */
function operationId(method: string, path: string): string {
  const parts = path.replace(/^\/api\/v1/, "").split("/").filter(Boolean).map((p) =>
    p.startsWith(":") ? `By${capitalize(p.slice(1).replace(/\{.*$/, ""))}` : capitalize(p)
  );
  return method.toLowerCase() +
    parts.map((p) => p.replace(/[-_.](\w)/g, (_, ch) => ch.toUpperCase())).join("");
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function rank(tag: string): number {
  const i = TAG_ORDER.indexOf(tag);
  return i < 0 ? TAG_ORDER.length : i;
}
