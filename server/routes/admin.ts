/**
 * Administration (role `admin`): accounts, API keys and display tokens under /api/v1/admin; and the
 * audit trail for the provincial agency (`audit:read`): GET /api/v1/audit and GET /api/v1/audit/verify.
 * Every change is recorded in the audit trail in the same transaction; secrets appear only in the
 * creation response, never in lists or audit records.
 *
 * @module
 */
import { eq } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { z } from "zod";
import { halls } from "../../db/schema.ts";
import { users } from "../../db/schema_auth.ts";
import { createApiKey, listApiKeys, revokeApiKey } from "../auth/api_keys.ts";
import { createDisplayToken, listDisplayTokens, revokeDisplayToken } from "../auth/display_tokens.ts";
import { requirePermission } from "../auth/middleware.ts";
import { type Principal, requirePrincipal } from "../auth/principal.ts";
import { createUser, listUsers, publicUser, updateUser, UserCreate, UserUpdate } from "../auth/users.ts";
import type { UserRow } from "../auth/sessions.ts";
import { recordAudit, verifyAuditChain } from "../audit.ts";
import { auditRecords } from "../audit_query.ts";
import type { AppDeps } from "../deps.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { clientIp } from "../security.ts";
import { describe } from "../openapi/describe.ts";
import { adminDocs } from "../openapi/docs/admin.ts";

/** Parse a JSON body with a zod schema; 400 naming the field otherwise. */
async function bodyOf<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  const raw = await c.req.json().catch(() => {
    throw new ValidationError("请求体不是有效的 JSON (body is not valid JSON)");
  });
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`${issue.path.join(".") || "body"}: ${issue.message}`, parsed.error.issues);
  }
  return parsed.data;
}

// The request schemas live apart so that the API document (server/openapi/docs/admin.ts) can read
// them without importing this module (an import cycle).
export { AuditQuery, KeyCreate, TokenCreate } from "../admin_schemas.ts";
import { AuditQuery, KeyCreate, TokenCreate } from "../admin_schemas.ts";

/** Who makes an administrative change, as the audit trail records it. */
export interface AdminActor {
  principal: Principal;
  ip: string;
}

/** The actor of a request: its principal and client address. */
export function actorOf(c: Context, deps: AppDeps): AdminActor {
  return { principal: requirePrincipal(c), ip: clientIp(c, deps.security?.trustProxy) };
}

function auditRecord(
  deps: AppDeps,
  { principal: p, ip }: AdminActor,
  action: string,
  target: string,
  detail: Record<string, unknown> = {},
) {
  return { actor: p.name, role: p.role, action, target, detail, ip, at: new Date(deps.clock()) };
}

/** Create an account (`user.create` audited in the same transaction). */
export async function createAccount(deps: AppDeps, actor: AdminActor, input: UserCreate): Promise<UserRow> {
  return await deps.database.db.transaction(async (tx) => {
    const u = await createUser(tx, input, deps.clock());
    const { role, departments, region, hall, senderKind } = u;
    await recordAudit(
      tx,
      auditRecord(deps, actor, "user.create", u.username, { role, departments, region, hall, senderKind }),
    );
    return u;
  });
}

/** Change an account (`user.update`, never the password itself); nobody may lock themselves out. */
export async function changeAccount(
  deps: AppDeps,
  actor: AdminActor,
  id: string,
  change: UserUpdate,
): Promise<UserRow> {
  if (id === actor.principal.id && ((change.role && change.role !== "admin") || change.active === false)) {
    throw new ConflictError("不能停用自己或取消自己的管理员角色 (cannot lock yourself out)");
  }
  const updated = await deps.database.db.transaction(async (tx) => {
    const u = await updateUser(tx, id, change, deps.clock());
    const { password: _, ...shown } = change;
    await recordAudit(
      tx,
      auditRecord(deps, actor, "user.update", u.username, { ...shown, passwordChanged: !!change.password }),
    );
    return u;
  });
  // Other instances forget the account's keys when the announcement arrives; this one at once.
  deps.keys?.clear();
  return updated;
}

/**
 * Create an API key for an ingest account (`key.create`); the key in the result is shown only once.
 * A person's account is refused (400, field `userId`), as is an expiry that has passed.
 */
export async function issueApiKey(
  deps: AppDeps,
  actor: AdminActor,
  input: z.infer<typeof KeyCreate>,
): Promise<{ id: string; key: string; prefix: string }> {
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= deps.clock()) {
    throw new ValidationError("expiresAt: 有效期须晚于现在 (expiry must be in the future)");
  }
  return await deps.database.db.transaction(async (tx) => {
    const [owner] = await tx.select().from(users).where(eq(users.id, input.userId));
    if (!owner) throw new NotFoundError(`没有此用户 (no such user): ${input.userId}`);
    const k = await createApiKey(tx, { ...input, expiresAt, createdBy: actor.principal.name });
    await recordAudit(
      tx,
      auditRecord(deps, actor, "key.create", k.prefix, {
        keyId: k.id,
        user: owner.username,
        name: input.name,
        expiresAt: expiresAt?.toISOString() ?? null,
      }),
    );
    return k;
  });
}

/** Revoke an active API key (`key.revoke`). */
export async function withdrawApiKey(deps: AppDeps, actor: AdminActor, id: string): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    if (!await revokeApiKey(tx, id, deps.clock())) {
      throw new NotFoundError(`没有此有效密钥 (no such active key): ${id}`);
    }
    await recordAudit(tx, auditRecord(deps, actor, "key.revoke", id));
  });
  deps.keys?.clear();
}

/** Create a display token for a known hall (`display_token.create`); the token is shown only once. */
export async function issueDisplayToken(
  deps: AppDeps,
  actor: AdminActor,
  input: z.infer<typeof TokenCreate>,
): Promise<{ id: string; token: string; prefix: string }> {
  return await deps.database.db.transaction(async (tx) => {
    if ((await tx.select().from(halls).where(eq(halls.code, input.hall))).length === 0) {
      throw new ValidationError(`没有此大厅 (unknown hall): ${input.hall}`);
    }
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    const t = await createDisplayToken(tx, { ...input, expiresAt, createdBy: actor.principal.name });
    await recordAudit(
      tx,
      auditRecord(deps, actor, "display_token.create", t.prefix, { tokenId: t.id, hall: input.hall }),
    );
    return t;
  });
}

/** Revoke an active display token (`display_token.revoke`). */
export async function withdrawDisplayToken(deps: AppDeps, actor: AdminActor, id: string): Promise<void> {
  await deps.database.db.transaction(async (tx) => {
    if (!await revokeDisplayToken(tx, id, deps.clock())) {
      throw new NotFoundError(`没有此有效显示令牌 (no such active token): ${id}`);
    }
    await recordAudit(tx, auditRecord(deps, actor, "display_token.revoke", id));
  });
}

/** The administration and audit routes, mounted at /api/v1. */
export function adminRoutes(deps: AppDeps) {
  const app = new Hono();
  const db = deps.database.db;

  app.use("/admin/*", requirePermission("users:admin"));

  app.get(
    "/admin/users",
    describe(adminDocs.listUsers),
    async (c) => c.json((await listUsers(db)).map(publicUser)),
  );

  app.post("/admin/users", describe(adminDocs.createUser), async (c) => {
    const user = await createAccount(deps, actorOf(c, deps), await bodyOf(c, UserCreate));
    return c.json(publicUser(user), 201);
  });

  app.patch("/admin/users/:id", describe(adminDocs.updateUser), async (c) => {
    const user = await changeAccount(deps, actorOf(c, deps), c.req.param("id"), await bodyOf(c, UserUpdate));
    return c.json(publicUser(user));
  });

  app.get(
    "/admin/keys",
    describe(adminDocs.listKeys),
    async (c) => c.json(await listApiKeys(db, c.req.query("user"))),
  );

  app.post("/admin/keys", describe(adminDocs.createKey), async (c) => {
    // The only time the key is ever shown.
    return c.json(await issueApiKey(deps, actorOf(c, deps), await bodyOf(c, KeyCreate)), 201);
  });

  app.delete("/admin/keys/:id", describe(adminDocs.revokeKey), async (c) => {
    const id = c.req.param("id");
    await withdrawApiKey(deps, actorOf(c, deps), id);
    return c.json({ revoked: id });
  });

  app.get(
    "/admin/display-tokens",
    describe(adminDocs.listTokens),
    async (c) => c.json(await listDisplayTokens(db)),
  );

  app.post("/admin/display-tokens", describe(adminDocs.createToken), async (c) => {
    return c.json(await issueDisplayToken(deps, actorOf(c, deps), await bodyOf(c, TokenCreate)), 201);
  });

  app.delete("/admin/display-tokens/:id", describe(adminDocs.revokeToken), async (c) => {
    const id = c.req.param("id");
    await withdrawDisplayToken(deps, actorOf(c, deps), id);
    return c.json({ revoked: id });
  });

  app.get("/audit", describe(adminDocs.audit), requirePermission("audit:read"), async (c) => {
    const q = AuditQuery.safeParse(c.req.query());
    if (!q.success) {
      throw new ValidationError(`查询参数无效 (bad query): ${q.error.issues[0].path.join(".")}`);
    }
    const { records, next } = await auditRecords(db, q.data);
    return c.json({ records, next });
  });

  app.get(
    "/audit/verify",
    describe(adminDocs.auditVerify),
    requirePermission("audit:read"),
    async (c) => c.json(await verifyAuditChain(db)),
  );

  return app;
}
