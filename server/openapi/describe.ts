/**
 * How a route documents itself: put `describe({...})` first in the route's handler chain, with the
 * very zod schemas the route validates its input with and answers with. The middleware does nothing at
 * request time; `buildOpenApi(app)` (document.ts) walks `app.routes`, finds these descriptions and the
 * permission gates next to them, and writes the OpenAPI 3.1 document. One source: a schema changed in
 * the route is changed in the document.
 *
 * ```ts
 * app.post("/things", describe({
 *   tags: ["事项 Items"], summary: "新增事项",
 *   body: { schema: thingSchema, examples: [{ name: "ok", summary: "一个事项", value: {...}, status: 200 }] },
 *   responses: { 200: { description: "已保存", schema: savedSchema } },
 * }), requirePermission("reference:write"), handler);
 * ```
 *
 * @module
 */
import type { MiddlewareHandler } from "hono";
import { z } from "zod";

/** Credentials a route accepts (the document's security schemes). */
export type Credential = "apiKey" | "session" | "displayToken";

/** A request example; the contract test sends it and expects `status`. */
export interface RouteExample {
  /** A short key, unique within the route (`ok`, `bad_at`, …). */
  name: string;
  /** What the example shows, in Chinese. */
  summary: string;
  /** The request body (JSON), or for NDJSON the text; absent for GET and DELETE. */
  value?: unknown;
  /** The status the server answers this example with. */
  status: number;
  /** Query parameters sent with it. */
  query?: Record<string, string>;
  /** Path parameters (`{ year: "2026" }`) for routes with `:params`. */
  params?: Record<string, string>;
}

/** One response of a route. */
export interface RouteResponse {
  description: string;
  /** The body's schema (JSON unless `contentType` says otherwise). */
  schema?: z.ZodType;
  contentType?: string;
}

/** The description of one route. */
export interface RouteDoc {
  /** One tag (the document's groups), e.g. `"办件 Cases"`. */
  tags: string[];
  /** One line, Chinese first. */
  summary: string;
  description?: string;
  /** Default: method + path (`getCasesByCase`). */
  operationId?: string;
  /** Path parameters: name → description (the names come from the route's path). */
  params?: Record<string, string>;
  /** The query, as the zod object the route parses it with. */
  query?: z.ZodObject;
  /** The request body. */
  body?: {
    schema: z.ZodType;
    /** Default `["application/json"]`. */
    contentTypes?: string[];
    description?: string;
    examples?: RouteExample[];
  };
  /** Examples without a body (GET, DELETE): sent by the contract test as well. */
  examples?: RouteExample[];
  /** Responses by status. 401/403/429 (and 400 with a body) are added from the route's gates. */
  responses: Record<number, RouteResponse>;
  /** Which credentials work; default API key or session (+ CSRF header for writes). */
  credentials?: Credential[];
  /** A route anyone may call (no credentials). */
  public?: boolean;
}

/** The key under which `describe` keeps its description on the middleware. */
export const ROUTE_DOC = Symbol.for("jct.openapi.routeDoc");
/** The key under which permission gates keep their permission (server/auth/middleware.ts). */
export const ROUTE_PERMISSION = Symbol.for("jct.openapi.permission");

/** A middleware carrying a route's description for the document; a no-op at request time. */
export function describe(doc: RouteDoc): MiddlewareHandler {
  const mw: MiddlewareHandler = async (_c, next) => await next();
  return Object.assign(mw, { [ROUTE_DOC]: doc });
}

/** Mark a gate with the permission it checks, so the document can say who may call the route. */
export function tagPermission<T extends object>(gate: T, permission: string): T {
  return Object.assign(gate, { [ROUTE_PERMISSION]: permission });
}

/** The description carried by a handler, if any. */
export function routeDocOf(handler: unknown): RouteDoc | undefined {
  return (handler as { [ROUTE_DOC]?: RouteDoc })?.[ROUTE_DOC];
}

/** The permission a gate checks, if it is one. */
export function permissionOf(handler: unknown): string | undefined {
  return (handler as { [ROUTE_PERMISSION]?: string })?.[ROUTE_PERMISSION];
}

/**
 * Shared schemas that appear in the document under `components.schemas` by name (e.g. each event
 * type). Definitions, not state: registered once when their module loads.
 */
export const NAMED_SCHEMAS: Map<z.ZodType, string> = new Map();

/** Register a schema as a named component (`#/components/schemas/<id>`) and return it. */
export function named<T extends z.ZodType>(id: string, schema: T): T {
  NAMED_SCHEMAS.set(schema, id);
  return schema;
}

/** The error body every failing route answers with (server/app.ts `onError`). */
export const errorSchema = named(
  "Error",
  z.object({
    error: z.string().describe("中文说明，英文在括号内 (Chinese first, English in brackets)"),
    details: z.unknown().optional().describe("结构化细节，例如逐条的字段错误 (structured details)"),
  }),
);

/** A set of route descriptions by name, typed as such (for modules that describe several routes). */
export function routeDocs<K extends string>(docs: Record<K, RouteDoc>): Record<K, RouteDoc> {
  return docs;
}
