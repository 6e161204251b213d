/**
 * Small WebCrypto helpers shared by the auth modules: random tokens, SHA-256, constant-time compare.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Bytes as unpadded base64url. */
export function base64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A random token of `bytes` random bytes (256 bits by default), base64url. */
export function randomToken(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of a UTF-8 string, lowercase hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compare two byte arrays in time independent of their contents (lengths are public: hashes and
 * tokens have fixed sizes). */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Compare two strings (tokens, hashes) without leaking where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  return timingSafeEqualBytes(encoder.encode(a), encoder.encode(b));
}

/** The stored columns of a new credential (API key, display token) beside its owner and its hash. */
export interface NewCredential {
  id: string;
  name: string;
  /** The first characters of the secret, which the lists show. */
  prefix: string;
  createdBy: string;
  expiresAt: Date | null;
}

/**
 * Mint a credential: the secret (`prefix` + 256 random bits unless given), shown once; the SHA-256 that
 * is kept instead; and the row's common columns.
 */
export async function mintCredential(
  prefix: string,
  input: { name: string; createdBy: string; expiresAt?: Date | null; secret?: string },
): Promise<{ secret: string; hash: string; row: NewCredential }> {
  const secret = input.secret ?? prefix + randomToken();
  return {
    secret,
    hash: await sha256Hex(secret),
    row: {
      id: crypto.randomUUID(),
      name: input.name,
      prefix: secret.slice(0, prefix.length + 6),
      createdBy: input.createdBy,
      expiresAt: input.expiresAt ?? null,
    },
  };
}
