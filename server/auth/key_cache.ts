/**
 * The principals of API keys, kept per process so that a department system's batches are authorised
 * without three reads each (the key, the region tree of its scope, the departments in it).
 *
 * It stays right with several instances: everything a key's principal is made of — the key (revoked,
 * expiry), its account (active, role, scope columns), the regions and departments its scope is resolved
 * from — is changed only through functions that announce it on NOTIFY {@linkcode CREDENTIALS_CHANNEL}
 * in the changing transaction ({@linkcode announceCredentialChange}), and every instance's cache empties
 * when the announcement arrives, right after the commit. Expiry is checked against the clock on every
 * request. The cache is used only while the LISTEN is in place, empties whenever it is placed again
 * after a lost connection (announcements sent meanwhile are lost), and an entry older than
 * {@linkcode KEY_CACHE_DEFAULTS} `maxAgeMs` is read afresh anyway (a change made past the product, by
 * hand in SQL, takes effect within that time). A lookup that raced with an announcement is not kept.
 *
 * @module
 */
import { sql } from "drizzle-orm";
import type { Database, Tx } from "../../db/client.ts";
import type { Principal } from "./principal.ts";

/** The channel on which changes to keys, accounts and the regions and departments of scopes are announced. */
export const CREDENTIALS_CHANNEL = "jct_credentials";

/** Announce, in the caller's transaction, that a key's principal may have changed (delivered at commit). */
export async function announceCredentialChange(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_notify(${CREDENTIALS_CHANNEL}, '')`);
}

/** A key's principal as authentication resolved it. */
export interface CachedKey {
  principal: Principal;
  /** The key's prefix and name, for the `key.use` audit record. */
  keyPrefix: string;
  keyName: string;
  /** The key's expiry (epoch ms), null for none. */
  expiresAt: number | null;
  /** When the key's use was last noted (epoch ms), for the hourly `key.use` record. */
  lastUsedAt: number | null;
}

/** Options of {@linkcode KeyCache}. */
export interface KeyCacheOptions {
  /** Keys kept at most; beyond, the oldest entry goes. */
  maxEntries?: number;
  /** An entry older than this (by the process's monotonic clock) is read afresh. */
  maxAgeMs?: number;
}

/** Defaults: 1,000 keys, each re-read at least every 60 s. */
export const KEY_CACHE_DEFAULTS: Required<KeyCacheOptions> = { maxEntries: 1000, maxAgeMs: 60_000 };

/** The cache of one process; {@linkcode openKeyCache} starts it. */
export class KeyCache {
  readonly #entries = new Map<string, CachedKey & { storedAt: number }>();
  readonly #opts: Required<KeyCacheOptions>;
  #generation = 0;
  #listening = false;
  #unlisten: (() => Promise<void>) | null = null;

  constructor(opts: KeyCacheOptions = {}) {
    this.#opts = { ...KEY_CACHE_DEFAULTS, ...opts };
  }

  /** Follow the announcements of `database` (called once, by {@linkcode openKeyCache}). */
  async follow(database: Database): Promise<void> {
    this.#unlisten ??= await database.listen(CREDENTIALS_CHANNEL, () => this.clear(), () => {
      this.clear();
      this.#listening = true;
    });
  }

  /** Stop following; the cache is no longer used. */
  async close(): Promise<void> {
    this.#listening = false;
    this.clear();
    const unlisten = this.#unlisten;
    this.#unlisten = null;
    await unlisten?.();
  }

  /** Forget every entry (an announcement arrived). */
  clear(): void {
    this.#generation++;
    this.#entries.clear();
  }

  /** The number of lookups started since the last change: pass it to {@linkcode set}. */
  get generation(): number {
    return this.#generation;
  }

  /** The entry of a key hash, if kept, fresh and not expired at `now`. */
  get(keyHash: string, now: number): CachedKey | undefined {
    if (!this.#listening) return undefined;
    const e = this.#entries.get(keyHash);
    if (!e) return undefined;
    if (
      performance.now() - e.storedAt > this.#opts.maxAgeMs || (e.expiresAt !== null && e.expiresAt <= now)
    ) {
      this.#entries.delete(keyHash);
      return undefined;
    }
    return e;
  }

  /** Keep what a lookup begun at `generation` found, unless a change was announced since. */
  set(keyHash: string, entry: CachedKey, generation: number): void {
    if (!this.#listening || generation !== this.#generation) return;
    this.#entries.delete(keyHash);
    this.#entries.set(keyHash, { ...entry, storedAt: performance.now() });
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#opts.maxEntries) break;
      this.#entries.delete(oldest);
    }
  }

  /** Note that the key's use was recorded at `at` (so that the next hour's first use is noted again). */
  noteUse(keyHash: string, at: number): void {
    const e = this.#entries.get(keyHash);
    if (e) e.lastUsedAt = at;
  }
}

/** A cache following `database`'s announcements. */
export async function openKeyCache(database: Database, opts: KeyCacheOptions = {}): Promise<KeyCache> {
  const cache = new KeyCache(opts);
  await cache.follow(database);
  return cache;
}
