/**
 * Client entry helper: find an island's placeholders, read their JSON props and hydrate them.
 * Props travel in `<script type="application/json">` (data, not code), so a strict CSP holds.
 *
 * @module
 */
import { type ComponentType, h, hydrate } from "preact";

/** Hydrate every `[data-island=name]` element with `Component` and the props named by `data-props`. */
export function mountIsland<P>(name: string, Component: ComponentType<P>): void {
  for (const el of document.querySelectorAll<HTMLElement>(`[data-island="${name}"]`)) {
    const propsId = el.dataset.props;
    const json = propsId ? document.getElementById(propsId)?.textContent : null;
    const props = (json ? JSON.parse(json) : {}) as P;
    // deno-lint-ignore no-explicit-any
    hydrate(h(Component as ComponentType<any>, props), el);
  }
}
