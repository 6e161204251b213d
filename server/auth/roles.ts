/**
 * Roles and what each may do. The scope (which departments, regions and halls) is resolved separately
 * from the database (server/auth/scope.ts); a route checks both: the permission here, the scope there.
 *
 * @module
 */

/** Account roles. */
export const ROLES = [
  "province",
  "region",
  "department",
  "hall_manager",
  "director",
  "admin",
  "ingest",
] as const;
/** An account role. */
export type Role = typeof ROLES[number];
/** Who may act: an account role, or `display` for a wall-screen display token. */
export type PrincipalRole = Role | "display";

/** Role names for the UI. */
export const ROLE_NAMES: Record<PrincipalRole, string> = {
  province: "省级监察机构",
  region: "市县监察机构",
  department: "部门工作人员",
  hall_manager: "大厅管理员",
  director: "部门/地区负责人",
  admin: "系统管理员",
  ingest: "数据接入客户端",
  display: "大厅显示屏",
};

/**
 * Permissions by role. Routes ask for a permission, never for a list of roles, so that who may do
 * what is decided in this one table.
 */
export const PERMISSIONS = {
  /** Read cases, alerts and findings in scope (full data for the own scope; masked elsewhere). */
  "cases:read": ["province", "region", "department", "director"],
  /**
   * Department systems reading back what they pushed: `GET /api/v1/cases/:case` and the list
   * (`?changedSince=`) for the cases whose department is in the ingest account's scope.
   */
  "cases:readback": ["province", "region", "department", "director", "ingest"],
  /** Department explanations (情况说明) on an alert or finding of the department's own case. */
  "cases:explain": ["department"],
  /** The 9.10 appeal of a finding of the department's own case, filed from the case page. */
  "cases:appeal": ["department"],
  /** Supervisor decisions (review: judge, close investigation, void, dispose) and the manual queue. */
  "cases:decide": ["province", "region"],
  /** Push events (only for cases whose item's department is in scope). */
  "events:write": ["ingest"],
  /** Live counts and the stream for the scope. */
  "counts:read": ["province", "region", "department", "director", "hall_manager", "display"],
  /** The hall wall screen (masked names, never contact details). */
  "hall:view": ["province", "region", "hall_manager", "display"],
  /** The supervisors' overview of the scope's cities or districts (start page). */
  "overview:read": ["province", "region", "director"],
  /** Rankings and exports of the scope. */
  "reports:read": ["province", "region", "director"],
  /** Read reference data (items, departments, regions, halls, calendar). */
  "reference:read": ["province", "region", "department", "director", "hall_manager", "admin", "ingest"],
  /** Change items, departments, regions, halls. */
  "reference:write": ["admin"],
  /** Change working-day calendars. */
  "calendar:write": ["admin"],
  /** Change the ranking score's weights and caps (RULES.md §5). */
  "rankings:configure": ["admin"],
  /** Manage users, API keys and display tokens. */
  "users:admin": ["admin"],
  /** Supervision orders (督办) of the scope: supervisors issue and follow up, departments see theirs. */
  "orders:read": ["province", "region", "department", "director"],
  /** Reply to the own department's supervision orders (整改情况). */
  "orders:reply": ["department"],
  /** The work portal's outbox: delivery state, retrying dead letters. */
  "portal:admin": ["admin"],
  /** Read the audit trail. */
  "audit:read": ["province"],
} as const satisfies Record<string, readonly PrincipalRole[]>;

/** A permission name. */
export type Permission = keyof typeof PERMISSIONS;

/** Whether a role has a permission. */
export function roleCan(role: PrincipalRole, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly PrincipalRole[]).includes(role);
}

/** Whether `value` is an account role. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
