/**
 * Domain errors, mapped to HTTP once in `app.onError`. Throw these; never build error responses by hand.
 *
 * @module
 */
import type { z } from "zod";

/** A domain error with the HTTP status it maps to and an optional structured body. */
export class DomainError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request was not valid: names the field. */
export class ValidationError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(400, message, details);
  }
}

/**
 * What `schema` makes of `raw`, or a {@linkcode ValidationError} naming the first bad field (`whole` when
 * the value itself is wrong: "(body)", "(query)"), with every issue in `details.issues`.
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, whole = "(body)"): z.output<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const field = first.path.join(".") || whole;
  throw new ValidationError(`${field}: ${first.message}`, {
    field,
    issues: r.error.issues.map((i) => ({ field: i.path.join("."), message: i.message })),
  });
}

/** A thing that does not exist (or that the caller may not know exists). */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super(404, message);
  }
}

/** The caller is not logged in. */
export class UnauthorizedError extends DomainError {
  constructor(message = "需要登录 (login required)") {
    super(401, message);
  }
}

/** The caller may not do this. */
export class ForbiddenError extends DomainError {
  constructor(message = "无权访问 (forbidden)") {
    super(403, message);
  }
}

/** The request conflicts with what is stored. */
export class ConflictError extends DomainError {
  constructor(message: string, details?: unknown) {
    super(409, message, details);
  }
}

/** The body or batch is too large. */
export class PayloadTooLargeError extends DomainError {
  constructor(message: string) {
    super(413, message);
  }
}

/** Too many requests from one client. */
export class RateLimitError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, "请求过于频繁，请稍后再试 (rate limit exceeded)");
  }
}

/** A passing failure (the database lost the connection): the client may send the request again. */
export class ServiceUnavailableError extends DomainError {
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(503, message);
  }
}
