/**
 * Accounts, sessions, keys, display tokens, the audit trail and the stores that make lockouts and
 * rate limits work across server instances. Secrets are never stored: sessions, API keys and display
 * tokens are kept as SHA-256 hashes, passwords as PBKDF2 hashes (server/auth/password.ts).
 * Imports are bare so that drizzle-kit (running under Node) can load this file too.
 *
 * @module
 */
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/**
 * People and machine accounts. The role decides what they may do, the scope columns where:
 * `departments` (department staff, directors, ingest clients), `region` (region agencies, directors,
 * ingest clients), `hall` (hall managers). See server/auth/roles.ts.
 */
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull(),
  displayName: text("display_name").notNull(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`; null for machine accounts without a password. */
  passwordHash: text("password_hash"),
  role: text("role").notNull(),
  departments: jsonb("departments").$type<string[]>().notNull().default([]),
  region: text("region"),
  hall: text("hall"),
  /**
   * Ingest accounts only: which kind of sender (server/auth/sender_kinds.ts) — `department` (a
   * department system or city platform, the default) or `evaluation` (the province's evaluation
   * platform). Null for people.
   */
  senderKind: text("sender_kind"),
  active: boolean("active").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
}, (t) => [uniqueIndex("users_username_key").on(t.username)]);

/** Login sessions; the cookie holds the random id, the table only its SHA-256. */
export const sessions = pgTable("sessions", {
  idHash: text("id_hash").primaryKey(),
  userId: text("user_id").notNull(),
  /** Synchronizer CSRF token, sent back on every state-changing request. */
  csrfToken: text("csrf_token").notNull(),
  createdAt: ts("created_at").notNull(),
  expiresAt: ts("expires_at").notNull(),
  ip: text("ip"),
  userAgent: text("user_agent"),
}, (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)]);

/** API keys (`Authorization: Bearer jct_…`) acting as their user; shown once, stored as SHA-256. */
export const apiKeys = pgTable("api_keys", {
  id: text("id").primaryKey(),
  userId: text("user_id").notNull(),
  name: text("name").notNull(),
  /** The first characters of the key, to recognise it in lists. */
  prefix: text("prefix").notNull(),
  keyHash: text("key_hash").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  revokedAt: ts("revoked_at"),
  /** After this instant the key is refused; null = until revoked. */
  expiresAt: ts("expires_at"),
  /** Updated at most once an hour; each update writes one `key.use` audit record. */
  lastUsedAt: ts("last_used_at"),
}, (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash), index("api_keys_user_idx").on(t.userId)]);

/** Read-only tokens for unattended wall screens, bound to one hall (`?token=`). */
export const displayTokens = pgTable("display_tokens", {
  id: text("id").primaryKey(),
  hall: text("hall").notNull(),
  name: text("name").notNull(),
  prefix: text("prefix").notNull(),
  tokenHash: text("token_hash").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
  expiresAt: ts("expires_at"),
  revokedAt: ts("revoked_at"),
}, (t) => [uniqueIndex("display_tokens_hash_key").on(t.tokenHash)]);

/**
 * The audit trail. Append-only: a trigger (migration `audit_append_only`) refuses UPDATE, DELETE and
 * TRUNCATE. Each record's `hash` is SHA-256 over `prev_hash` and the canonical record (server/audit.ts).
 */
export const auditLog = pgTable("audit_log", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  at: ts("at").notNull(),
  actor: text("actor").notNull(),
  role: text("role").notNull(),
  action: text("action").notNull(),
  target: text("target").notNull().default(""),
  detail: jsonb("detail").notNull().default({}),
  ip: text("ip"),
  prevHash: text("prev_hash").notNull(),
  hash: text("hash").notNull(),
}, (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_actor_idx").on(t.actor)]);

/**
 * Failed logins per (username, client address), for the growing delay (server/auth/throttle.ts): after
 * a few failures the next attempt from that address for that name waits until `next_allowed_at`.
 */
export const loginThrottle = pgTable("login_throttle", {
  username: text("username").notNull(),
  ip: text("ip").notNull(),
  failures: integer("failures").notNull(),
  lastFailureAt: ts("last_failure_at").notNull(),
  nextAllowedAt: ts("next_allowed_at").notNull(),
}, (t) => [
  primaryKey({ columns: [t.username, t.ip] }),
  index("login_throttle_last_failure_idx").on(t.lastFailureAt),
]);

/** Fixed-window request counters per client and limit, shared by every server instance. */
export const rateLimits = pgTable("rate_limits", {
  key: text("key").notNull(),
  /** Window start, epoch seconds. */
  windowStart: bigint("window_start", { mode: "number" }).notNull(),
  count: integer("count").notNull(),
}, (t) => [primaryKey({ columns: [t.key, t.windowStart] })]);
