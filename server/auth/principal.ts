/**
 * The authenticated caller of a request, set on the context by `authenticate()` (middleware.ts).
 *
 * @module
 */
import type { Context } from "hono";
import { UnauthorizedError } from "../errors.ts";
import type { PrincipalRole } from "./roles.ts";
import type { Scope } from "./scope.ts";
import type { SenderKind } from "./sender_kinds.ts";

/** Who is calling, how they proved it, and where they may look. */
export interface Principal {
  /** `session`: a logged-in person; `key`: an API key; `display`: a wall-screen display token. */
  kind: "session" | "key" | "display";
  /** The user's id, or the display token's id. */
  id: string;
  /** What the audit trail records as actor: the username, or `display:<token id>`. */
  name: string;
  displayName: string;
  role: PrincipalRole;
  /** The scope columns as stored (department codes, region, hall). */
  departments: readonly string[];
  region: string | null;
  hall: string | null;
  /** Ingest accounts: the kind of sender (server/auth/sender_kinds.ts); null for people and displays. */
  senderKind?: SenderKind | null;
  /** Resolved from the reference tables at authentication. */
  scope: Scope;
  /** For sessions: the synchronizer CSRF token and the stored session id hash. */
  session?: { idHash: string; csrfToken: string; expiresAt: Date };
  /** For API keys: the key's id. */
  keyId?: string;
}

/** The context variable holding the principal. */
export const PRINCIPAL_VAR = "principal";

/** The request's principal, if it authenticated. */
export function principalOf(c: Context): Principal | undefined {
  return c.get(PRINCIPAL_VAR) as Principal | undefined;
}

/** The request's principal; throws 401 when anonymous. */
export function requirePrincipal(c: Context): Principal {
  const p = principalOf(c);
  if (!p) throw new UnauthorizedError();
  return p;
}
