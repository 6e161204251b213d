/**
 * The administration overview (`/admin`): the sections with a line on each and the figures that need
 * attention (missing calendar years, locked accounts).
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { ADMIN_SECTIONS, AdminShell } from "./admin_shell.tsx";
import { missingYearText } from "./admin_calendar_page.tsx";

/** Figures on the overview. */
export interface AdminOverview {
  users: number;
  inactiveUsers: number;
  lockedUsers: number;
  activeKeys: number;
  activeTokens: number;
  missingYears: number[];
}

/** The overview page. */
export function AdminHomePage({ overview: o, manifest }: { overview: AdminOverview; manifest: Manifest }) {
  const figures: Record<string, string> = {
    "/admin/users": `${o.users} 个账户${o.inactiveUsers ? `，${o.inactiveUsers} 个已停用` : ""}${
      o.lockedUsers ? `，${o.lockedUsers} 个账户登录受限（多次密码错误，按来源地址延时）` : ""
    }`,
    "/admin/keys": `${o.activeKeys} 个有效密钥`,
    "/admin/display-tokens": `${o.activeTokens} 个有效令牌`,
    "/admin/calendar": o.missingYears.length
      ? o.missingYears.map(missingYearText).join("；")
      : "近三年均已载入",
  };
  return (
    <AdminShell title="系统管理" section="/admin" manifest={manifest}>
      <ul class="admin-cards">
        {ADMIN_SECTIONS.map((s) => (
          <li>
            <a href={s.href}>{s.label}</a>
            <p>{s.about}</p>
            <p class={s.href === "/admin/calendar" && o.missingYears.length ? "tone-warning" : "muted"}>
              {figures[s.href]}
            </p>
          </li>
        ))}
      </ul>
    </AdminShell>
  );
}
