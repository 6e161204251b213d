/**
 * Shared pieces of the administration pages: the permission gate that turns refusals into pages,
 * rendering without caching, form reading, field errors in Chinese, and the scope choices.
 *
 * @module
 */
import { pageGuard } from "./page_guard.ts";
import { type Context } from "hono";
import type { z } from "zod";
import { throttledNames } from "../auth/throttle.ts";
import { type Principal } from "../auth/principal.ts";
import type { AppDeps } from "../deps.ts";
import { listReference } from "../reference.ts";
import { type FieldErrors } from "../pages/admin_shell.tsx";
import { type ScopeChoices } from "../pages/admin_users_page.tsx";
import { renderPage } from "../pages/layout.tsx";
import { MIN_PASSWORD } from "../auth/users.ts";

/** Passwords set through these forms are at least this long (one rule with the API). */
export const MIN_FORM_PASSWORD = MIN_PASSWORD;

/** A zod issue in Chinese, unless its schema already says it in Chinese. */
export function issueText(issue: z.core.$ZodIssue): string {
  if (/[\u4e00-\u9fff]/.test(issue.message)) return issue.message;
  const i = issue as { code: string; minimum?: unknown; maximum?: unknown; origin?: string };
  if (i.code === "too_small") {
    return i.origin === "string" && i.minimum === 1 ? "不能为空" : `至少 ${i.minimum} 个字符`;
  }
  if (i.code === "too_big") return `不能超过 ${i.maximum} 个${i.origin === "array" ? "" : "字符"}`;
  if (i.code === "invalid_value") return "取值无效";
  return `格式不正确（${issue.message}）`;
}

/** Field errors of a failed parse, by the first element of each issue's path (first issue wins). */
export function zodErrors(error: z.ZodError, into: FieldErrors = {}): FieldErrors {
  for (const issue of error.issues) into[String(issue.path[0] ?? "form")] ??= issueText(issue);
  return into;
}

/** The field an account function's refusal is about (its message names it in brackets). */
export function accountField(message: string): string {
  if (/password/.test(message)) return "password";
  if (/username/.test(message)) return "username";
  if (/region or departments/.test(message)) return "region";
  if (/department/.test(message)) return "departments";
  if (/region/.test(message)) return "region";
  if (/hall/.test(message)) return "hall";
  if (/lock yourself out/.test(message)) return "active";
  return "form";
}

/** What every administration page needs: the permission gate, rendering, form reading, choices. */
export function adminPageKit(deps: AppDeps) {
  const manifest = () => Promise.resolve(deps.manifest ?? {});
  const { db } = deps.database;

  /** The one page guard (page_guard.ts); refusals become pages in app.onError. */
  const page = pageGuard(deps);
  const csrf = (p: Principal) => p.session?.csrfToken ?? null;
  const html = (c: Context, node: preact.VNode, status: 200 | 400 = 200) => {
    // Pages carry CSRF tokens, and some a secret shown once: never from a cache.
    c.header("Cache-Control", "no-store");
    return c.html(renderPage(c, node), status);
  };
  const form = async (c: Context) => {
    const body = await c.req.parseBody({ all: true });
    const text = (k: string) => {
      const v = body[k];
      return typeof v === "string" ? v.trim() : undefined;
    };
    const all = (k: string) => [body[k]].flat().filter((v): v is string => typeof v === "string" && v !== "");
    /** As sent, untrimmed (passwords: spaces count). */
    const raw = (k: string) => {
      const v = body[k];
      return typeof v === "string" ? v : undefined;
    };
    return { text, all, raw };
  };

  const scopeChoices = async (): Promise<ScopeChoices> => {
    const [departments, regions, halls] = await Promise.all(
      (["departments", "regions", "halls"] as const).map((k) => listReference(db, k)),
    );
    return { departments, regions, halls } as ScopeChoices;
  };
  /** Names some address must currently wait for after failed logins. */
  const lockedNames = () => throttledNames(db, deps.clock());

  return { page, csrf, html, form, scopeChoices, lockedNames, manifest, db };
}

/** The helpers of {@linkcode adminPageKit}. */
export type AdminPageKit = ReturnType<typeof adminPageKit>;
