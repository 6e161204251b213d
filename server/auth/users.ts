/**
 * Creating and changing accounts. The role decides which scope columns are required; codes must exist
 * in the reference data. Any change of role, scope, password or activity ends the user's sessions.
 *
 * @module
 */
import { asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client.ts";
import { departments, halls, regions } from "../../db/schema.ts";
import { users } from "../../db/schema_auth.ts";
import { ConflictError, NotFoundError, ValidationError } from "../errors.ts";
import { hashPassword } from "./password.ts";
import { MAX_PASSWORD, MIN_PASSWORD, passwordProblem } from "./password_policy.ts";
import { ROLES } from "./roles.ts";
import { DEFAULT_SENDER_KIND, SENDER_KINDS } from "./sender_kinds.ts";
import { deleteUserSessions, type UserRow } from "./sessions.ts";
import { announceCredentialChange } from "./key_cache.ts";

export { MIN_PASSWORD };

/** Roles of machine accounts: they authenticate with API keys and need no password. */
export const MACHINE_ROLES: readonly string[] = ["ingest"];

/** A password refused by the policy, or missing where a person's account needs one (field `password`). */
export class PasswordError extends ValidationError {
  constructor(message: string) {
    super(message, [{ path: ["password"], message }]);
  }
}

/** Refuse a password the policy does not allow (server/auth/password_policy.ts). */
export function assertPasswordAllowed(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new PasswordError(problem);
}

const NEEDS_PASSWORD = "须设置密码，只有数据接入账户可以不设密码 (a person's account needs a password)";

const code = z.string().trim().min(1).max(64);
const fields = {
  displayName: z.string().trim().min(1).max(60),
  role: z.enum(ROLES),
  /**
   * Checked by the password policy (password_policy.ts) when the account is created or changed;
   * machine accounts (ingest) may have none and use API keys only.
   */
  password: z.string().min(1, "不能为空").max(MAX_PASSWORD),
  departments: z.array(code).max(500),
  region: code.nullable(),
  hall: code.nullable(),
  /** Ingest accounts: the kind of sender (server/auth/sender_kinds.ts); ignored for people. */
  senderKind: z.enum(SENDER_KINDS).nullable(),
};

/** A new account, as the administrator's form or API sends it. */
export const UserCreate = z.object({
  username: z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9_.-]{2,39}$/, "3–40 个字母、数字、_.-"),
  ...fields,
  password: fields.password.optional(),
  departments: fields.departments.default([]),
  region: fields.region.default(null),
  hall: fields.hall.default(null),
  senderKind: fields.senderKind.default(null),
}).strict();
/** A new account. */
export type UserCreate = z.infer<typeof UserCreate>;
/** A new account as code creates it: the sender kind may be left out (the default for ingest accounts). */
export type NewUser = Omit<UserCreate, "senderKind"> & { senderKind?: UserCreate["senderKind"] };

/** A change to an account; absent fields stay as they are (no defaults here, unlike creation). */
export const UserUpdate = z.object({
  displayName: fields.displayName.optional(),
  role: fields.role.optional(),
  password: fields.password.optional(),
  departments: fields.departments.optional(),
  region: fields.region.optional(),
  hall: fields.hall.optional(),
  senderKind: fields.senderKind.optional(),
  active: z.boolean().optional(),
}).strict();
/** A change to an account. */
export type UserUpdate = z.infer<typeof UserUpdate>;

/** The account as the API shows it: never the password hash. */
export type PublicUser = Omit<UserRow, "passwordHash"> & { hasPassword: boolean };

/** Strip the password hash. */
export function publicUser(u: UserRow): PublicUser {
  const { passwordHash, ...rest } = u;
  return { ...rest, hasPassword: passwordHash !== null };
}

type ScopeFields = Pick<UserRow, "role" | "departments" | "region" | "hall" | "senderKind">;

/** Check that the role has the scope it needs, drop the columns it does not use, and check the codes. */
async function normalizeScope(tx: Tx, s: ScopeFields, checkReference = true): Promise<ScopeFields> {
  const out: ScopeFields = { role: s.role, departments: [], region: null, hall: null, senderKind: null };
  switch (s.role) {
    case "province":
    case "admin":
      break;
    case "department":
      if (s.departments.length === 0) {
        throw new ValidationError("部门工作人员须指定部门 (departments required)");
      }
      out.departments = s.departments;
      break;
    case "region":
      if (!s.region) throw new ValidationError("地区监察机构须指定地区 (region required)");
      out.region = s.region;
      break;
    case "hall_manager":
      if (!s.hall) throw new ValidationError("大厅管理员须指定大厅 (hall required)");
      out.hall = s.hall;
      break;
    case "ingest":
      out.senderKind = s.senderKind ?? DEFAULT_SENDER_KIND;
      // The evaluation platform is province-wide: it has no scope of its own.
      if (out.senderKind === "evaluation") break;
      if (!s.region && s.departments.length === 0) {
        throw new ValidationError("须指定地区或部门 (region or departments required)");
      }
      out.region = s.region;
      out.departments = s.departments;
      break;
    case "director":
      if (!s.region && s.departments.length === 0) {
        throw new ValidationError("须指定地区或部门 (region or departments required)");
      }
      out.region = s.region;
      out.departments = s.departments;
      break;
  }
  out.departments = [...new Set(out.departments)];
  if (!checkReference) return out;
  if (out.departments.length > 0) {
    const found = await tx.select({ code: departments.code }).from(departments)
      .where(inArray(departments.code, out.departments));
    const missing = out.departments.filter((d) => !found.some((f) => f.code === d));
    if (missing.length > 0) {
      throw new ValidationError(`没有此部门 (unknown department): ${missing.join(", ")}`);
    }
  }
  if (out.region && (await tx.select().from(regions).where(eq(regions.code, out.region))).length === 0) {
    throw new ValidationError(`没有此地区 (unknown region): ${out.region}`);
  }
  if (out.hall && (await tx.select().from(halls).where(eq(halls.code, out.hall))).length === 0) {
    throw new ValidationError(`没有此大厅 (unknown hall): ${out.hall}`);
  }
  return out;
}

/**
 * Create an account. People's accounts need a password the policy allows; ingest accounts may have
 * none. `checkReference: false` skips checking the scope's codes against the reference data (the demo
 * accounts are created at start-up, before the demo reference data is seeded). `passwordHash` is a hash
 * made earlier by `hashPassword` (tests and seeding hash one password once), used instead of
 * `input.password`.
 */
export async function createUser(
  tx: Tx,
  input: NewUser,
  now: number,
  opts: { checkReference?: boolean; passwordHash?: string } = {},
): Promise<UserRow> {
  if (input.password !== undefined) assertPasswordAllowed(input.password, input.username);
  if (!MACHINE_ROLES.includes(input.role) && !input.password && !opts.passwordHash) {
    throw new PasswordError(NEEDS_PASSWORD);
  }
  const scope = await normalizeScope(
    tx,
    { ...input, senderKind: input.senderKind ?? null },
    opts.checkReference ?? true,
  );
  const existing = await tx.select({ id: users.id }).from(users).where(eq(users.username, input.username));
  if (existing.length > 0) throw new ConflictError(`用户名已存在 (username taken): ${input.username}`);
  const [row] = await tx.insert(users).values({
    id: crypto.randomUUID(),
    username: input.username,
    displayName: input.displayName,
    passwordHash: opts.passwordHash ?? (input.password ? await hashPassword(input.password) : null),
    ...scope,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  }).returning();
  return row;
}

/** Change an account and end its sessions. */
export async function updateUser(tx: Tx, id: string, change: UserUpdate, now: number): Promise<UserRow> {
  const [current] = await tx.select().from(users).where(eq(users.id, id));
  if (!current) throw new NotFoundError(`没有此用户 (no such user): ${id}`);
  if (change.password !== undefined) assertPasswordAllowed(change.password, current.username);
  const role = change.role ?? current.role;
  if (!MACHINE_ROLES.includes(role) && !change.password && !current.passwordHash) {
    throw new PasswordError(NEEDS_PASSWORD);
  }
  const scope = await normalizeScope(tx, {
    role: change.role ?? current.role,
    departments: change.departments ?? current.departments,
    region: change.region !== undefined ? change.region : current.region,
    hall: change.hall !== undefined ? change.hall : current.hall,
    senderKind: change.senderKind !== undefined ? change.senderKind : current.senderKind,
  });
  const [row] = await tx.update(users).set({
    displayName: change.displayName ?? current.displayName,
    passwordHash: change.password ? await hashPassword(change.password) : current.passwordHash,
    active: change.active ?? current.active,
    ...scope,
    updatedAt: new Date(now),
  }).where(eq(users.id, id)).returning();
  await deleteUserSessions(tx, id);
  // The account's keys act with its role and scope: every instance forgets what it resolved.
  await announceCredentialChange(tx);
  return row;
}

/** Every account, by username. */
export async function listUsers(tx: Tx): Promise<UserRow[]> {
  return await tx.select().from(users).orderBy(asc(users.username));
}

/** One account by username (normalised to lower case), or null. */
export async function userByName(tx: Tx, username: string): Promise<UserRow | null> {
  const [row] = await tx.select().from(users).where(eq(users.username, username.trim().toLowerCase()));
  return row ?? null;
}
