/**
 * The navigation bar of the desk pages: the pages the signed-in person may open, who they are, and
 * a logout button (a form post with the session's CSRF token — no script). On a phone the bar is the
 * brand, the current page and a 菜单 button that opens the links, the person and 退出 as a list
 * below (a checkbox and its label, styled in static/css/nav.css: no script needed).
 *
 * @module
 */
import type { Context } from "hono";
import { CSRF_FIELD } from "../auth/middleware.ts";
import { principalOf } from "../auth/principal.ts";
import { type Permission, type PrincipalRole, ROLE_NAMES, roleCan } from "../auth/roles.ts";
import { landingOf } from "./landing.ts";

/** What the bar shows for one request. */
export interface Nav {
  user: string;
  /** The person's landing page (server/pages/landing.ts): where a way back leads. */
  home: string;
  role: string;
  path: string;
  links: { href: string; label: string }[];
  csrf: string | null;
}

const LINKS: { href: string; label: string; needs: Permission }[] = [
  { href: "/", label: "大厅大屏", needs: "hall:view" },
  { href: "/cases", label: "办件时限", needs: "cases:read" },
  { href: "/queue", label: "人工监察", needs: "cases:decide" },
  { href: "/spot-checks", label: "随机抽查", needs: "cases:decide" },
  { href: "/orders", label: "督办", needs: "orders:read" },
  { href: "/reports", label: "效能排名", needs: "reports:read" },
  { href: "/audit", label: "审计记录", needs: "audit:read" },
  { href: "/admin", label: "系统管理", needs: "users:admin" },
];

/** The desk pages a role may open, in bar order. */
export function navLinks(role: PrincipalRole): Nav["links"] {
  return LINKS.filter((l) => roleCan(role, l.needs)).map(({ href, label }) => ({ href, label }));
}

/** The bar for a request's signed-in person; null for anonymous callers and display tokens. */
export function navOf(c: Context): Nav | null {
  const p = principalOf(c);
  if (!p || p.kind !== "session") return null;
  return {
    user: p.displayName || p.name,
    home: landingOf(p),
    role: ROLE_NAMES[p.role],
    path: c.req.path,
    links: navLinks(p.role),
    csrf: p.session?.csrfToken ?? null,
  };
}

const current = (path: string, href: string) => href === "/" ? path === "/" : path.startsWith(href);

/** The bar itself. */
export function NavBar({ nav }: { nav: Nav }) {
  // The most specific link that is current ("/cases" for /cases/C1, not "/").
  const here =
    nav.links.filter((l) => current(nav.path, l.href)).sort((a, b) => b.href.length - a.href.length)[0];
  return (
    <header class="nav-bar">
      <a class="nav-brand" href="/">监察台</a>
      {here && <span class="nav-here" aria-hidden="true">{here.label}</span>}
      <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-controls="nav-panel" />
      <label for="nav-toggle" class="nav-menu-button">菜单</label>
      <div class="nav-panel" id="nav-panel">
        <nav aria-label="主导航">
          {nav.links.map((l) => (
            <a key={l.href} href={l.href} aria-current={l === here ? "page" : undefined}>{l.label}</a>
          ))}
        </nav>
        <span class="nav-user">
          {nav.user}
          <span class="nav-role">{nav.role}</span>
        </span>
        <form method="post" action="/logout" class="nav-logout">
          {nav.csrf && <input type="hidden" name={CSRF_FIELD} value={nav.csrf} />}
          <button type="submit">退出</button>
        </form>
      </div>
    </header>
  );
}
