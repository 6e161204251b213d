/**
 * The scopes that have listeners, each with its clients and the counts last sent to them. A scope's
 * figures are loaded once when its first client connects and then kept current by the hub's ticks;
 * later clients of the same scope get the cached message. A scope is forgotten with its last client.
 *
 * @module
 */
import type { LiveClient } from "./client.ts";
import { countsKey } from "./counts.ts";
import type { CountsMessage } from "./wire.ts";
import type { Scope } from "./scope.ts";

/** A counts message and the feed position its id names. */
export interface Stamped {
  message: Uint8Array;
  position: number;
}

/** One listened scope. */
export interface ScopeEntry {
  readonly scope: Scope;
  readonly clients: Set<LiveClient>;
  /** The figures last sent, and their identity without the instant. */
  counts: CountsMessage;
  key: string;
  /** The last counts message and the feed position its id names. */
  message: Uint8Array;
  position: number;
  /** When the scope's clients were last written to (performance.now()): pings go to quiet scopes only. */
  sentAt: number;
}

/** The hub's listened scopes and the number of open clients. */
export class ScopeRegistry {
  readonly #entries = new Map<string, ScopeEntry>();
  readonly #stamp: (counts: CountsMessage) => Stamped;
  #clients = 0;

  /** @param stamp Makes the counts message of figures at the current feed position. */
  constructor(stamp: (counts: CountsMessage) => Stamped) {
    this.#stamp = stamp;
  }

  /** Open clients across all scopes. */
  get clientCount(): number {
    return this.#clients;
  }

  /** The entry of a listened scope. */
  get(key: string): ScopeEntry | undefined {
    return this.#entries.get(key);
  }

  /**
   * The scope's entry with a counts message stamped at `position` or later: an existing entry whose
   * message is older is re-stamped (a client may have been replayed alerts after it), a new one is
   * made from `fresh` figures.
   */
  entry(scope: Scope, position: number, fresh: CountsMessage | null): ScopeEntry {
    let entry = this.#entries.get(scope.key);
    if (!entry) {
      if (!fresh) throw new Error(`no figures for the new scope ${scope.key}`);
      entry = {
        scope,
        clients: new Set(),
        counts: fresh,
        key: countsKey(fresh),
        sentAt: performance.now(),
        ...this.#stamp(fresh),
      };
      this.#entries.set(scope.key, entry);
    } else if (entry.position !== position) {
      Object.assign(entry, this.#stamp(entry.counts));
    }
    return entry;
  }

  /** Record newly loaded figures; true (and a new message) only when they differ from the last sent. */
  update(entry: ScopeEntry, counts: CountsMessage): boolean {
    const key = countsKey(counts);
    if (key === entry.key) return false;
    entry.key = key;
    entry.counts = counts;
    Object.assign(entry, this.#stamp(counts));
    return true;
  }

  /** Add a client to a scope. */
  join(entry: ScopeEntry, client: LiveClient): void {
    entry.clients.add(client);
    this.#clients++;
  }

  /** Remove a client; the scope goes with its last client. */
  leave(entry: ScopeEntry, client: LiveClient): void {
    if (!entry.clients.delete(client)) return;
    this.#clients--;
    if (entry.clients.size === 0 && this.#entries.get(entry.scope.key) === entry) {
      this.#entries.delete(entry.scope.key);
    }
  }

  /** A snapshot of the listened scopes (safe to iterate across awaits). */
  entries(): ScopeEntry[] {
    return [...this.#entries.values()];
  }

  /** A snapshot of every open client. */
  clients(): LiveClient[] {
    return this.entries().flatMap((e) => [...e.clients]);
  }
}
