/**
 * What the API keys page and the display tokens page share: a credential's state, its revoke button,
 * and the name and expiry fields of the form that creates one.
 *
 * @module
 */
import { Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** The dates that decide whether a key or a display token still works. */
export interface CredentialDates {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

/** Revoked, expired, or valid (until when). */
export function CredentialState({ credential: c, now }: { credential: CredentialDates; now: number }) {
  if (c.revokedAt) return <span class="muted">已吊销 {when(c.revokedAt)}</span>;
  if (c.expiresAt && c.expiresAt.getTime() <= now) {
    return <span class="muted">已过期 {when(c.expiresAt)}</span>;
  }
  return <>{c.expiresAt ? `有效（至 ${when(c.expiresAt)}）` : "有效（长期）"}</>;
}

/** The revoke button of a credential not yet revoked (nothing once it is). */
export function RevokeButton(
  { credential, action, csrf }: { credential: CredentialDates; action: string; csrf: string | null },
) {
  if (credential.revokedAt) return null;
  return (
    <form method="post" action={action} class="inline">
      <Csrf token={csrf} />
      <button type="submit" class="danger">吊销</button>
    </form>
  );
}

/** Props of {@linkcode NameAndExpiryFields}. */
export interface NameAndExpiryProps {
  labels: Record<string, string>;
  errors?: FieldErrors;
  form?: { name?: string; expiresAt?: string };
  nameHint: string;
  expiresHint: string;
}

/** The label and the optional expiry date of a new credential. */
export function NameAndExpiryFields({ labels, errors, form, nameHint, expiresHint }: NameAndExpiryProps) {
  return (
    <>
      <Field label={labels.name} name="name" errors={errors} hint={nameHint}>
        <input id="f-name" name="name" required maxLength={100} value={form?.name ?? ""} />
      </Field>
      <Field label={labels.expiresAt} name="expiresAt" errors={errors} hint={expiresHint}>
        <input id="f-expiresAt" name="expiresAt" type="date" value={form?.expiresAt ?? ""} />
      </Field>
    </>
  );
}
