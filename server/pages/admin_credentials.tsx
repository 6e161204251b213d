/**
 * What the API keys page and the display tokens page share: the secret shown once after creating one,
 * a credential's state and revoke button, and the form that creates one.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { Csrf, Field, type FieldErrors, when } from "./admin_shell.tsx";

/** The dates that decide whether a key or a display token still works. */
export interface CredentialDates {
  revokedAt: Date | null;
  expiresAt: Date | null;
}

/**
 * A new key or token (`secret`), shown this once under `title`: what to do with it (`children`) above,
 * how to use it (`usage`, when given) below.
 */
export function NewSecret(
  { title, secret, usage, children }: {
    title: string;
    secret: string;
    usage?: string;
    children: ComponentChildren;
  },
) {
  return (
    <section class="admin-secret" id="new-secret">
      <h2>{title}</h2>
      {children}
      <code class="admin-secret-value">{secret}</code>
      {usage && <p class="admin-hint">{usage}</p>}
    </section>
  );
}

/**
 * The two cells that end a credential's row: its state (revoked, expired, or valid until when) and,
 * while not revoked, the button that revokes it (posting to `action`).
 */
export function CredentialCells(
  { credential, now, action, csrf }: {
    credential: CredentialDates;
    now: number;
    action: string;
    csrf: string | null;
  },
) {
  return (
    <>
      <td>
        <CredentialState credential={credential} now={now} />
      </td>
      <td>
        <RevokeButton credential={credential} action={action} csrf={csrf} />
      </td>
    </>
  );
}

/** Revoked, expired, or valid (until when). */
function CredentialState({ credential: c, now }: { credential: CredentialDates; now: number }) {
  if (c.revokedAt) return <span class="muted">已吊销 {when(c.revokedAt)}</span>;
  if (c.expiresAt && c.expiresAt.getTime() <= now) {
    return <span class="muted">已过期 {when(c.expiresAt)}</span>;
  }
  return <>{c.expiresAt ? `有效（至 ${when(c.expiresAt)}）` : "有效（长期）"}</>;
}

/** The revoke button of a credential not yet revoked (nothing once it is). */
function RevokeButton(
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

/** Props of {@linkcode CreateCredentialForm}. */
export interface CreateCredentialProps {
  /** The form's id and where it posts. */
  id: string;
  action: string;
  csrf: string | null;
  labels: Record<string, string>;
  errors?: FieldErrors;
  form?: { name?: string; expiresAt?: string };
  nameHint: string;
  expiresHint: string;
  /** The submit button's text. */
  submit: string;
  /** The fields before the label: whose key, which hall's token. */
  children: ComponentChildren;
}

/** The form that creates a credential: its owner (`children`), its label, an optional expiry date. */
export function CreateCredentialForm(
  { id, action, csrf, labels, errors, form, nameHint, expiresHint, submit, children }: CreateCredentialProps,
) {
  return (
    <form method="post" action={action} class="admin-form" id={id}>
      <Csrf token={csrf} />
      {children}
      <Field label={labels.name} name="name" errors={errors} hint={nameHint}>
        <input id="f-name" name="name" required maxLength={100} value={form?.name ?? ""} />
      </Field>
      <Field label={labels.expiresAt} name="expiresAt" errors={errors} hint={expiresHint}>
        <input id="f-expiresAt" name="expiresAt" type="date" value={form?.expiresAt ?? ""} />
      </Field>
      <button type="submit">{submit}</button>
    </form>
  );
}
