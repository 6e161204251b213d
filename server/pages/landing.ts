/**
 * Where each role works, so that signing in without a `next` page lands there (issue 10 item 7):
 * department staff on their live countdowns, directors on the rankings, administrators on the
 * administration pages, hall managers on their hall's wall screen, supervisors on the start page.
 *
 * @module
 */

/** The landing page of an account. */
export function landingOf(user: { role: string; hall?: string | null }): string {
  switch (user.role) {
    case "department":
      return "/cases";
    case "director":
      return "/reports";
    case "admin":
      return "/admin";
    case "hall_manager":
      return user.hall ? `/hall/${encodeURIComponent(user.hall)}` : "/";
    default:
      return "/";
  }
}

/** `next` when the visitor asked for a page, else the account's landing page. */
export function afterLogin(
  next: unknown,
  safe: (n: unknown) => string,
  user: { role: string; hall?: string | null },
) {
  return typeof next === "string" && next !== "" && next !== "/" ? safe(next) : landingOf(user);
}
