/**
 * What changed since the hub's last tick, gathered from `jct_changes` notifications: whether
 * anything did, and which departments and halls it touched (or "anything may have", when a payload
 * cannot be read or the hub must look at every scope). Pure.
 *
 * @module
 */
import type { Touched } from "./scope.ts";

/** The NOTIFY channel writers signal committed changes on (server/write/apply.ts → hubs and schedulers). */
export const CHANGES_CHANNEL = "jct_changes";

/** The payload of a `jct_changes` notification: the departments and halls a commit touched. */
export function changesPayload(departments: readonly string[], halls: readonly string[]): string {
  return JSON.stringify({ departments, halls });
}

const nothing = (): Touched => ({ departments: new Set(), halls: new Set() });
const everything = (): Touched => ({ departments: null, halls: null });

/** The changes pending for the next tick. */
export class PendingChanges {
  /** Whether a change arrived since the last {@linkcode take}. */
  dirty = false;
  #touched: Touched = nothing();

  /** Add a `jct_changes` payload (`{"departments": [...], "halls": [...]}`); unreadable = everything. */
  note(payload: string): void {
    this.dirty = true;
    try {
      const { departments, halls } = JSON.parse(payload) as { departments?: unknown; halls?: unknown };
      if (!Array.isArray(departments) || !Array.isArray(halls)) throw new Error("unexpected payload");
      for (const d of departments) this.#touched.departments?.add(String(d));
      for (const h of halls) this.#touched.halls?.add(String(h));
    } catch {
      this.#touched = everything();
    }
  }

  /** Anything may have changed (a new day, a periodic refresh, a lost notification, a failed tick). */
  markAll(): void {
    this.dirty = true;
    this.#touched = everything();
  }

  /** What was touched; starts gathering afresh. */
  take(): Touched {
    const touched = this.#touched;
    this.dirty = false;
    this.#touched = nothing();
    return touched;
  }
}
