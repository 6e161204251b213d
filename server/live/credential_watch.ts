/**
 * Open streams and the credentials they were opened with. A stream lives as long as its credential:
 * a revoked or expired display token, a revoked or expired API key, an expired, ended (logout) or
 * deactivated session closes it within one check interval (default 5 s), on every server instance,
 * because each instance checks the database, not its own memory. The check is batched: one query per
 * kind of credential for all of this process's open streams, whatever their number (ids in chunks of
 * {@linkcode CHECK_CHUNK}), and it runs only while streams are open.
 *
 * It also caps the streams per credential (default 3 per display token, session or key): opening one
 * more closes the oldest, so a leaked token cannot hold thousands of streams. The cap counts this
 * process's streams (with several instances a credential may hold the cap on each of them).
 *
 * @module
 */
import { and, eq, gt, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { displayTokens, sessions, users } from "../../db/schema_auth.ts";
import { usableKeyIds } from "../auth/api_keys.ts";
import type { Principal } from "../auth/principal.ts";
import type { Clock } from "../deps.ts";

/** The credential a stream was opened with. */
export interface StreamCredential {
  kind: "session" | "key" | "display";
  /** The session's id hash, the key's id, the display token's id. */
  id: string;
}

/** Options of {@linkcode CredentialWatch}. */
export interface CredentialWatchOptions {
  /** How often credentials are checked while streams are open; 0 = never by itself (tests call check()). */
  checkMs?: number;
  /** Open streams per credential; the oldest beyond it is closed. */
  maxPerCredential?: number;
}

/** Defaults: checked every 5 s, three streams per credential. */
export const WATCH_DEFAULTS: Required<CredentialWatchOptions> = { checkMs: 5000, maxPerCredential: 3 };

/** Ids per query. */
export const CHECK_CHUNK = 1000;

/** The credential of a principal, or null for one that holds none. */
export function credentialOf(p: Principal): StreamCredential | null {
  if (p.kind === "session" && p.session) return { kind: "session", id: p.session.idHash };
  if (p.kind === "key" && p.keyId) return { kind: "key", id: p.keyId };
  if (p.kind === "display") return { kind: "display", id: p.id };
  return null;
}

interface Watched {
  credential: StreamCredential;
  close: () => void;
}

/** The streams of one process and their credentials. */
export class CredentialWatch {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #opts: Required<CredentialWatchOptions>;
  /** By `kind:id`, in opening order. */
  readonly #streams = new Map<string, Set<Watched>>();
  #timer: ReturnType<typeof setInterval> | null = null;
  #checking: Promise<void> | null = null;

  constructor(db: Db, clock: Clock, opts: CredentialWatchOptions = {}) {
    this.#db = db;
    this.#clock = clock;
    this.#opts = {
      checkMs: opts.checkMs ?? WATCH_DEFAULTS.checkMs,
      maxPerCredential: Math.max(1, opts.maxPerCredential ?? WATCH_DEFAULTS.maxPerCredential),
    };
  }

  /** Open streams watched. */
  get size(): number {
    let n = 0;
    for (const set of this.#streams.values()) n += set.size;
    return n;
  }

  /**
   * Watch a new stream; `close` ends it. Closes the oldest streams of the same credential beyond the
   * cap. Returns the function to call when the stream has ended (for any reason).
   */
  admit(credential: StreamCredential, close: () => void): () => void {
    const key = `${credential.kind}:${credential.id}`;
    let set = this.#streams.get(key);
    if (!set) this.#streams.set(key, set = new Set());
    const watched: Watched = { credential, close };
    set.add(watched);
    // The oldest first (a Set keeps insertion order); no copy of a large set when under the cap.
    for (const old of set) {
      if (set.size <= this.#opts.maxPerCredential) break;
      this.#drop(key, old);
    }
    this.#startTimer();
    return () => this.#forget(key, watched);
  }

  /** Check every watched credential against the database now; closes the streams of invalid ones. */
  async check(): Promise<void> {
    while (this.#checking) await this.#checking.catch(() => {});
    this.#checking = this.#check().finally(() => this.#checking = null);
    await this.#checking;
  }

  /** Stop the timer (open streams are the hub's to close). */
  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  async #check(): Promise<void> {
    const now = this.#clock();
    const ids: Record<StreamCredential["kind"], string[]> = { session: [], key: [], display: [] };
    for (const set of this.#streams.values()) {
      const first = set.values().next().value;
      if (first) ids[first.credential.kind].push(first.credential.id);
    }
    const valid = new Set<string>();
    for (const [kind, list] of Object.entries(ids) as [StreamCredential["kind"], string[]][]) {
      for (let i = 0; i < list.length; i += CHECK_CHUNK) {
        for (const id of await this.#valid(kind, list.slice(i, i + CHECK_CHUNK), now)) {
          valid.add(`${kind}:${id}`);
        }
      }
    }
    for (const [key, set] of [...this.#streams]) {
      if (valid.has(key)) continue;
      for (const w of [...set]) this.#drop(key, w);
    }
  }

  async #valid(kind: StreamCredential["kind"], ids: string[], now: number): Promise<Iterable<string>> {
    if (ids.length === 0) return [];
    const at = new Date(now);
    if (kind === "key") return await usableKeyIds(this.#db, ids, now);
    if (kind === "session") {
      const rows = await this.#db.select({ id: sessions.idHash }).from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(inArray(sessions.idHash, ids), gt(sessions.expiresAt, at), eq(users.active, true)));
      return rows.map((r) => r.id);
    }
    const rows = await this.#db.select({ id: displayTokens.id }).from(displayTokens).where(and(
      inArray(displayTokens.id, ids),
      isNull(displayTokens.revokedAt),
      or(isNull(displayTokens.expiresAt), gt(displayTokens.expiresAt, at)),
    ));
    return rows.map((r) => r.id);
  }

  #drop(key: string, w: Watched): void {
    this.#forget(key, w);
    w.close();
  }

  #forget(key: string, w: Watched): void {
    const set = this.#streams.get(key);
    if (!set?.delete(w)) return;
    if (set.size === 0) this.#streams.delete(key);
    if (this.#streams.size === 0) this.stop();
  }

  #startTimer(): void {
    if (this.#timer !== null || this.#opts.checkMs <= 0) return;
    this.#timer = setInterval(() => {
      if (this.#checking) return;
      this.check().catch((err) => console.error("stream credential check failed:", err));
    }, this.#opts.checkMs);
  }
}
