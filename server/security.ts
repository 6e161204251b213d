/**
 * Hardening middleware: security headers, body size limits, and per-client rate limits kept in the
 * database (fixed windows, one upsert per request) so they hold across server instances.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { lt, sql } from "drizzle-orm";
import type { Tx } from "../db/client.ts";
import { rateLimits } from "../db/schema_auth.ts";
import { PayloadTooLargeError, RateLimitError } from "./errors.ts";
import { MAX_BATCH_EVENTS, MAX_BODY_BYTES } from "./write/ingest.ts";
import { WATCH_DEFAULTS } from "./live/credential_watch.ts";

/** A limit of `limit` requests per `windowSeconds`. */
export interface Limit {
  limit: number;
  windowSeconds: number;
}

/** Tunables of the security middleware; every field has a default. */
export interface SecurityOptions {
  /** Behind a reverse proxy: take the client's IP from the last X-Forwarded-For entry. */
  trustProxy?: boolean;
  /** Requests per client (principal, else IP) to everything but static files. */
  apiLimit?: Limit;
  /** Login attempts per IP (the delay per username and address, server/auth/throttle.ts, is separate). */
  loginLimit?: Limit;
  /** Open live streams per display token, session or key (`MAX_STREAMS_PER_CREDENTIAL`); the oldest beyond is closed. */
  maxStreamsPerCredential?: number;
  /** How often open streams' credentials are checked against the database, ms. */
  streamCheckMs?: number;
  /** Body size caps in bytes: `default`, and by path prefix (first match wins). */
  bodyLimits?: { default: number; byPrefix: [string, number][] };
}

/** The defaults. The events route caps events per batch itself (MAX_BATCH_EVENTS). */
export const SECURITY_DEFAULTS: Required<SecurityOptions> = {
  trustProxy: false,
  apiLimit: { limit: 3000, windowSeconds: 60 },
  loginLimit: { limit: 30, windowSeconds: 60 },
  maxStreamsPerCredential: WATCH_DEFAULTS.maxPerCredential,
  streamCheckMs: WATCH_DEFAULTS.checkMs,
  bodyLimits: {
    default: 64 * 1024,
    byPrefix: [
      ["/api/v1/events", MAX_BODY_BYTES],
      ["/api/v1/items", 8 * 1024 * 1024],
      [
        "/api/v1/reference",
        8 * 1024 * 1024,
      ],
      ["/api/v1/calendar", 1024 * 1024],
      ...["/api/v1/departments", "/api/v1/regions", "/api/v1/halls", "/admin/reference"]
        .map((prefix): [string, number] => [prefix, 8 * 1024 * 1024]),
    ],
  },
};

/** The most events one ingestion batch may carry: defined once, in server/write/ingest.ts. */
export { MAX_BATCH_EVENTS };

/** The Content-Security-Policy: scripts only from this origin, never inline; never framed. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline style attributes from server-rendered markup are allowed; scripts never are.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/**
 * Whether the request reached us over TLS: directly, or (only behind a trusted proxy, `TRUST_PROXY`)
 * via a proxy saying so in `X-Forwarded-Proto`. Without a trusted proxy the header is anyone's to send.
 */
export function isHttps(c: Context, trustProxy = false): boolean {
  if (new URL(c.req.url).protocol === "https:") return true;
  return trustProxy && c.req.header("x-forwarded-proto")?.split(",")[0].trim().toLowerCase() === "https";
}

/** The client's IP: the socket's peer, or behind a trusted proxy the address it appended. */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean);
    if (forwarded?.length) return forwarded[forwarded.length - 1];
  }
  const env = c.env as { remoteAddr?: { hostname?: string } } | undefined;
  return env?.remoteAddr?.hostname ?? "unknown";
}

/** Security headers on every response. */
export function securityHeaders(trustProxy = false): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const h = c.res.headers;
    const set = (name: string, value: string) => {
      if (!h.has(name)) h.set(name, value);
    };
    set("Content-Security-Policy", CSP);
    set("X-Content-Type-Options", "nosniff");
    set("X-Frame-Options", "DENY");
    set("Referrer-Policy", "same-origin");
    set("Cross-Origin-Opener-Policy", "same-origin");
    set("Cross-Origin-Resource-Policy", "same-origin");
    set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (isHttps(c, trustProxy)) set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    // Personal data must not linger in shared caches or the browser's back/forward cache.
    if (!c.req.path.startsWith("/static/")) set("Cache-Control", "no-store");
  };
}

/** Refuse bodies over the cap for their path with 413 (checked on Content-Length and while streaming). */
export function bodyLimits(
  opts: SecurityOptions["bodyLimits"] = SECURITY_DEFAULTS.bodyLimits,
): MiddlewareHandler {
  const cap = (path: string) => opts.byPrefix.find(([p]) => path.startsWith(p))?.[1] ?? opts.default;
  const middlewares = new Map<number, MiddlewareHandler>();
  return (c, next) => {
    const maxSize = cap(c.req.path);
    let mw = middlewares.get(maxSize);
    if (!mw) {
      mw = bodyLimit({
        maxSize,
        onError: () => {
          throw new PayloadTooLargeError(`请求体过大 (body larger than ${maxSize} bytes)`);
        },
      });
      middlewares.set(maxSize, mw);
    }
    return mw(c, next);
  };
}

/** How often (in hits of one limiter) windows that ended a day ago are dropped. */
const PRUNE_EVERY = 500;

/**
 * Fixed-window request counts in the `rate_limits` table, shared by every instance on the database.
 * One per app (built by `installSecurity`): the hits it counts decide when it prunes old windows.
 */
export class RateLimiter {
  #hits = 0;

  constructor(readonly tx: Tx) {}

  /**
   * Count one request against `key` in the current fixed window. Returns whether it is allowed and,
   * if not, how many seconds until the window ends.
   */
  async hit(
    key: string,
    limit: Limit,
    nowMs: number,
  ): Promise<{ allowed: boolean; count: number; retryAfter: number }> {
    const now = Math.floor(nowMs / 1000);
    const windowStart = now - (now % limit.windowSeconds);
    const [row] = await this.tx.insert(rateLimits).values({ key, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: [rateLimits.key, rateLimits.windowStart],
        set: { count: sql`${rateLimits.count} + 1` },
      })
      .returning({ count: rateLimits.count });
    if (++this.#hits % PRUNE_EVERY === 0) {
      await this.tx.delete(rateLimits).where(lt(rateLimits.windowStart, now - 86_400));
    }
    return {
      allowed: row.count <= limit.limit,
      count: row.count,
      retryAfter: Math.max(1, windowStart + limit.windowSeconds - now),
    };
  }
}

/** A rate-limit middleware: `keyOf` names the client (return null to skip the request). */
export function rateLimit(
  limiter: RateLimiter,
  name: string,
  limit: Limit,
  keyOf: (c: Context) => string | null,
  clock: () => number,
): MiddlewareHandler {
  return async (c, next) => {
    const client = keyOf(c);
    if (client !== null) {
      const r = await limiter.hit(`${name}:${client}`, limit, clock());
      if (!r.allowed) throw new RateLimitError(r.retryAfter);
    }
    await next();
  };
}
