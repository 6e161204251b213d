/**
 * Which passwords a person may choose (API, admin forms and bootstrap alike). Refused: shorter than
 * {@linkcode MIN_PASSWORD}, only whitespace, one character repeated, the user name (ignoring case and
 * surrounding spaces), or a common password.
 *
 * The common passwords are those of `@zxcvbn-ts/language-common` (about 49,000 leaked passwords, most
 * frequent first; the list zxcvbn-ts maintains), compared ignoring case; a common password followed
 * only by digits and punctuation (`iloveyou2026!`) counts as common too.
 *
 * @module
 */
import { dictionary } from "@zxcvbn-ts/language-common";

/** The shortest password a person may have. */
export const MIN_PASSWORD = 12;
/** The longest (PBKDF2 hashes any length; this bounds the work per login). */
export const MAX_PASSWORD = 200;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()));
  return common;
}

/** Whether the password is in the common-password list (or is one with digits/punctuation appended). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  const list = commonPasswords();
  if (list.has(lower)) return true;
  const base = lower.replace(/[\d\p{P}\p{S}\s]+$/u, "");
  return base.length >= 4 && base !== lower && list.has(base);
}

/** Why the password may not be used (Chinese, English in brackets), or null when it may. */
export function passwordProblem(password: string, username?: string | null): string | null {
  if ([...password].length < MIN_PASSWORD) {
    return `密码至少 ${MIN_PASSWORD} 个字符 (password shorter than ${MIN_PASSWORD} characters)`;
  }
  if (password.length > MAX_PASSWORD) {
    return `密码不能超过 ${MAX_PASSWORD} 个字符 (password longer than ${MAX_PASSWORD} characters)`;
  }
  if (password.trim() === "") return "密码不能全是空白字符 (password is only whitespace)";
  if (new Set(password).size === 1) {
    return "密码不能由同一个字符重复组成 (password repeats one character)";
  }
  if (username && password.trim().toLowerCase() === username.trim().toLowerCase()) {
    return "密码不能与用户名相同 (password equals the user name)";
  }
  if (isCommonPassword(password.trim())) {
    return "密码过于常见，请另选一个 (password is in the list of common passwords)";
  }
  return null;
}
