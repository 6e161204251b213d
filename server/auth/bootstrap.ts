/**
 * First start: with no users at all, create the administrator `admin` with ADMIN_PASSWORD (passed in
 * by server/main.ts) or a generated password printed once. In demo mode, also the demo accounts of
 * demo_users.ts (each created when missing, with the shared demo password) and the demo ingest key.
 *
 * @module
 */
import { count, eq } from "drizzle-orm";
import { apiKeys, users } from "../../db/schema_auth.ts";
import { recordAudit } from "../audit.ts";
import type { AppDeps } from "../deps.ts";
import { createApiKey } from "./api_keys.ts";
import { randomToken, sha256Hex } from "./crypto.ts";
import { DEMO_EVALUATION_KEY, DEMO_INGEST_KEY, DEMO_KEYS, DEMO_PASSWORD, DEMO_USERS } from "./demo_users.ts";
import { createUser, userByName } from "./users.ts";

/** Options of {@linkcode ensureBootstrapUsers}. */
export interface BootstrapOptions {
  demo?: boolean;
  /** The administrator's password for a fresh database; generated and printed when absent. */
  adminPassword?: string;
  /** Where to print (console.log by default). */
  log?: (line: string) => void;
}

/** What was created. */
export interface BootstrapReport {
  admin?: { username: string; generatedPassword?: string };
  demoUsers: string[];
}

/** Create the first administrator and, in demo mode, the demo accounts. Idempotent. */
export async function ensureBootstrapUsers(
  deps: Pick<AppDeps, "database" | "clock">,
  opts: BootstrapOptions = {},
): Promise<BootstrapReport> {
  const db = deps.database.db;
  const log = opts.log ?? console.log;
  const now = deps.clock();
  const report: BootstrapReport = { demoUsers: [] };
  const [{ n }] = await db.select({ n: count() }).from(users);
  if (n === 0) {
    const generated = opts.adminPassword ? undefined : randomToken(12);
    await db.transaction(async (tx) => {
      await createUser(tx, {
        username: "admin",
        displayName: "系统管理员",
        role: "admin",
        password: opts.adminPassword ?? generated,
        departments: [],
        region: null,
        hall: null,
      }, now);
      await recordAudit(tx, {
        actor: "system",
        role: "system",
        action: "user.bootstrap",
        target: "admin",
        at: new Date(now),
      });
    });
    report.admin = { username: "admin", generatedPassword: generated };
    log(
      generated
        ? `已创建管理员账户 admin，初始密码（仅显示一次）: ${generated}  (admin password, shown once)`
        : "已创建管理员账户 admin（密码取自 ADMIN_PASSWORD）",
    );
  }
  if (!opts.demo) return report;
  for (const u of DEMO_USERS) {
    if (await userByName(db, u.username)) continue;
    // The demo reference data may be seeded after this: the codes are server/demo/henan.ts's.
    await createUser(db, { ...u, password: DEMO_PASSWORD }, now, { checkReference: false });
    report.demoUsers.push(u.username);
  }
  for (const { username, key, name } of DEMO_KEYS) {
    const owner = await userByName(db, username);
    const known = await db.select({ id: apiKeys.id }).from(apiKeys)
      .where(eq(apiKeys.keyHash, await sha256Hex(key)));
    if (owner && known.length === 0) {
      await createApiKey(db, { userId: owner.id, name, createdBy: "system", key });
    }
  }
  log(
    `演示模式：演示账户 ${DEMO_USERS.map((u) => u.username).join(", ")}，密码 ${DEMO_PASSWORD}；` +
      `演示接入密钥 ${DEMO_INGEST_KEY}（部门系统 jieru），${DEMO_EVALUATION_KEY}（好差评平台 pingjia）`,
  );
  return report;
}
