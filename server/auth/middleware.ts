/**
 * Request middleware: who is calling (`authenticate`), CSRF protection for cookie-authenticated writes
 * (`csrfProtect`), and the gates routes put in front of handlers (`requireAuth`, `requireRole`,
 * `requirePermission`).
 *
 * Credentials, in order: `Authorization: Bearer <API key>`; the session cookie; `?token=<display
 * token>` on GET requests to the wall screen of the token's own hall (page, stream, trend, hall API).
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { Db } from "../../db/client.ts";
import { recordAudit } from "../audit.ts";
import { ForbiddenError, UnauthorizedError } from "../errors.ts";
import { apiKeyHash, findApiKeyByHash, noteKeyUse } from "./api_keys.ts";
import type { KeyCache } from "./key_cache.ts";
import { timingSafeEqual } from "./crypto.ts";
import { findDisplayToken } from "./display_tokens.ts";
import { type Principal, PRINCIPAL_VAR, principalOf } from "./principal.ts";
import { type Permission, type PrincipalRole, type Role, roleCan } from "./roles.ts";
import { resolveScope } from "./scope.ts";
import { senderKindOf } from "./sender_kinds.ts";
import { findSession, SESSION_COOKIE, type UserRow } from "./sessions.ts";
import { tagPermission } from "../openapi/describe.ts";

/** The header (or `_csrf` form field) carrying the session's CSRF token. */
export const CSRF_HEADER = "X-CSRF-Token";
export const CSRF_FIELD = "_csrf";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Where a display token is accepted, and which hall the request is for. */
export function displayTokenHall(c: Context): string | null {
  const path = c.req.path;
  const page = /^\/hall\/([^/]+)$/.exec(path) ?? /^\/api\/v1\/halls?\/([^/]+)(?:\/.*)?$/.exec(path);
  if (page) {
    try {
      return decodeURIComponent(page[1]);
    } catch {
      return null; // malformed: the input guard answers 400 before this; never a 500
    }
  }
  // The wall screen's stream and its trend (server/routes/trend.ts), for the token's hall only.
  const hallFeed = path === "/api/v1/stream" || path === "/api/v1/trend";
  if (hallFeed && !c.req.query("department") && !c.req.query("region")) {
    return c.req.query("hall") ?? null;
  }
  return null;
}

/** Build the principal of a user row. */
export async function principalOfUser(
  db: Db,
  user: UserRow,
  kind: "session" | "key",
  extra: Pick<Principal, "session" | "keyId"> = {},
): Promise<Principal> {
  const role = user.role as Role;
  return {
    kind,
    id: user.id,
    name: user.username,
    displayName: user.displayName,
    role,
    departments: user.departments,
    region: user.region,
    hall: user.hall,
    senderKind: role === "ingest" ? senderKindOf(user.senderKind) : null,
    scope: await resolveScope(db, {
      role,
      departments: user.departments,
      region: user.region,
      hall: user.hall,
      senderKind: user.senderKind,
    }),
    ...extra,
  };
}

/** Options of {@linkcode authenticate}. */
export interface AuthenticateOptions {
  clock: () => number;
  /** The client IP for audit records. */
  ipOf: (c: Context) => string;
  /** The process's API-key principals (server/auth/key_cache.ts); absent, every request reads them. */
  keys?: KeyCache;
}

/** A key's use is noted (and audited) once an hour. */
const KEY_USE_NOTE_MS = 3600_000;

/**
 * The principal of an API key as presented, or null when it is not a usable key: from the process's
 * cache when it holds the key, else read (key, account, scope) and kept. The key's use is noted when
 * the last note is an hour old (`firstUse`: then the caller writes the audit record).
 */
async function keyPrincipal(
  db: Db,
  key: string,
  now: number,
  keys: KeyCache | undefined,
): Promise<{ principal: Principal; keyPrefix: string; keyName: string; firstUse: boolean } | null> {
  const hash = await apiKeyHash(key);
  if (hash === null) return null;
  const cached = keys?.get(hash, now);
  if (cached) {
    const due = cached.lastUsedAt === null || now - cached.lastUsedAt >= KEY_USE_NOTE_MS;
    const firstUse = due && await noteKeyUse(db, cached.principal.keyId!, now);
    // Noted here or, when the update found a recent note, by another instance within the hour.
    if (due) keys!.noteUse(hash, now);
    return { principal: cached.principal, keyPrefix: cached.keyPrefix, keyName: cached.keyName, firstUse };
  }
  const generation = keys?.generation ?? 0;
  const found = await findApiKeyByHash(db, hash, now);
  if (!found) return null;
  // Independent reads and writes: sent at once (one wait per request on PostgreSQL's pool).
  const [principal, firstUse] = await Promise.all([
    principalOfUser(db, found.user, "key", { keyId: found.key.id }),
    noteKeyUse(db, found.key.id, now),
  ]);
  keys?.set(hash, {
    principal,
    keyPrefix: found.key.prefix,
    keyName: found.key.name,
    expiresAt: found.key.expiresAt?.getTime() ?? null,
    lastUsedAt: firstUse ? now : found.key.lastUsedAt?.getTime() ?? null,
  }, generation);
  return { principal, keyPrefix: found.key.prefix, keyName: found.key.name, firstUse };
}

/** Establish the principal, if any. A bad API key or display token is refused; a stale cookie is ignored. */
export function authenticate(db: Db, opts: AuthenticateOptions): MiddlewareHandler {
  return async (c, next) => {
    const now = opts.clock();
    // An empty header is no credential (some clients send one); anything else must be a usable key.
    const authorization = c.req.header("authorization");
    if (authorization) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      const found = m ? await keyPrincipal(db, m[1], now, opts.keys) : null;
      if (!found) {
        throw new UnauthorizedError("API 密钥无效、已过期或已吊销 (invalid, expired or revoked API key)");
      }
      const p = found.principal;
      if (found.firstUse) {
        await recordAudit(db, {
          actor: p.name,
          role: p.role,
          action: "key.use",
          target: found.keyPrefix,
          detail: { keyId: p.keyId, name: found.keyName, firstUseThisHour: true },
          ip: opts.ipOf(c),
          at: new Date(now),
        });
      }
      c.set(PRINCIPAL_VAR, p);
      return await next();
    }
    const cookie = getCookie(c, SESSION_COOKIE);
    const found = cookie ? await findSession(db, cookie, now) : null;
    if (found) {
      const { session, user } = found;
      c.set(
        PRINCIPAL_VAR,
        await principalOfUser(db, user, "session", {
          session: { idHash: session.idHash, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
        }),
      );
      return await next();
    }
    const token = c.req.query("token");
    const hall = token !== undefined && SAFE_METHODS.has(c.req.method) ? displayTokenHall(c) : null;
    if (token !== undefined && hall !== null) {
      const row = await findDisplayToken(db, token, now);
      if (!row) throw new UnauthorizedError("显示令牌无效 (invalid display token)");
      // A valid token opens its own hall's screen and nothing else: another hall is forbidden.
      if (row.hall !== hall) {
        throw new ForbiddenError("显示令牌只能打开其所属大厅 (token is for another hall)");
      }
      const scope = await resolveScope(db, { role: "display", hall: row.hall });
      c.set(
        PRINCIPAL_VAR,
        {
          kind: "display",
          id: row.id,
          name: `display:${row.id}`,
          displayName: row.name,
          role: "display",
          departments: [],
          region: null,
          hall: row.hall,
          scope,
        } satisfies Principal,
      );
    }
    await next();
  };
}

/**
 * Refuse state-changing requests that a cookie authenticates unless they carry the session's CSRF
 * token (header `X-CSRF-Token` or form field `_csrf`). API-key requests need none (no ambient
 * credential). Browsers' cross-site writes are refused outright (`Sec-Fetch-Site: cross-site`), on
 * exempt paths too.
 */
export function csrfProtect(opts: { exempt?: string[] } = {}): MiddlewareHandler {
  const exempt = new Set(opts.exempt ?? []);
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return await next();
    const p = principalOf(c);
    if (p?.kind === "key") return await next();
    if (c.req.header("sec-fetch-site") === "cross-site") {
      throw new ForbiddenError("拒绝跨站请求 (cross-site request)");
    }
    // Exempt paths protect themselves (the login form's double-submit token).
    if (p?.kind !== "session" || exempt.has(c.req.path)) return await next();
    let token = c.req.header(CSRF_HEADER);
    const type = c.req.header("content-type") ?? "";
    if (!token && /^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(type)) {
      // Hono caches the parsed body, so the handler can read it again.
      const field = (await c.req.parseBody())[CSRF_FIELD];
      if (typeof field === "string") token = field;
    }
    if (!token || !timingSafeEqual(token, p.session!.csrfToken)) {
      throw new ForbiddenError("CSRF 校验失败，请刷新页面后重试 (missing or wrong CSRF token)");
    }
    await next();
  };
}

/** 401 unless someone is authenticated. */
export function requireAuth(): MiddlewareHandler {
  return tagPermission(async (c, next) => {
    if (!principalOf(c)) throw new UnauthorizedError();
    await next();
  }, "authenticated");
}

/** 401 when anonymous, 403 unless the principal has one of the roles. */
export function requireRole(...roles: PrincipalRole[]): MiddlewareHandler {
  return async (c, next) => {
    const p = principalOf(c);
    if (!p) throw new UnauthorizedError();
    if (!roles.includes(p.role)) throw new ForbiddenError();
    await next();
  };
}

/** 401 when anonymous, 403 unless the principal's role has the permission (roles.ts). */
export function requirePermission(permission: Permission): MiddlewareHandler {
  // Tagged so that the API document can say who may call the route (server/openapi/).
  return tagPermission(async (c, next) => {
    const p = principalOf(c);
    if (!p) throw new UnauthorizedError();
    if (!roleCan(p.role, permission)) throw new ForbiddenError();
    await next();
  }, permission);
}
