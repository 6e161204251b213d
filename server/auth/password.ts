/**
 * Password hashing: PBKDF2-HMAC-SHA256 from WebCrypto, 600,000 iterations (OWASP 2023; the brief's
 * floor is 310,000), 16-byte random salt, 32-byte output. The iteration count is stored in the hash so
 * it can be raised later without invalidating existing passwords.
 *
 * @module
 */
import { base64url, timingSafeEqualBytes } from "./crypto.ts";

/** Iterations used for new hashes. */
export const PBKDF2_ITERATIONS = 600_000;
/** Hashes with fewer iterations are refused outright (never produced by this module). */
const MIN_ITERATIONS = 310_000;
const PREFIX = "pbkdf2-sha256";

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(password), "PBKDF2", false, [
    "deriveBits",
  ]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    256,
  );
  return new Uint8Array(bits);
}

function fromBase64url(s: string): Uint8Array {
  const b64 = s.replaceAll("-", "+").replaceAll("_", "/");
  return Uint8Array.from(atob(b64 + "===".slice((b64.length + 3) % 4)), (c) => c.charCodeAt(0));
}

/** Hash a password for storage: `pbkdf2-sha256$<iterations>$<salt>$<hash>`. */
export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  if (iterations < MIN_ITERATIONS) throw new RangeError(`at least ${MIN_ITERATIONS} iterations`);
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, iterations);
  return `${PREFIX}$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

/** Check a password against a stored hash, comparing in constant time. Malformed hashes never match. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [prefix, iter, salt, hash] = stored.split("$");
  const iterations = Number(iter);
  if (prefix !== PREFIX || !Number.isInteger(iterations) || iterations < MIN_ITERATIONS || !salt || !hash) {
    return false;
  }
  const actual = await derive(password, fromBase64url(salt), iterations);
  return timingSafeEqualBytes(actual, fromBase64url(hash));
}

/** A well-formed hash of a random password, verified against when the username is unknown so that
 * the answer takes as long as for a known user (no account enumeration by timing). */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
}
