/**
 * Every role in a real browser: each lands where it works after signing in (department staff /cases,
 * directors /reports, administrators /admin, hall managers their hall's wall screen, supervisors the
 * start page); every page its navigation bar offers (and a case page) shows no English words, and the
 * desk pages (cases, case, queue, reports, orders, spot checks, audit) have no sideways scrolling on a phone
 * (390 px), a tablet (820 px) and at 1920 px; error pages (400, 403, 404, a bad display token) are
 * Chinese with a way back. Screenshots of the phone layouts in e2e/output/.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createUser } from "../server/auth/users.ts";
import type { Role } from "../server/auth/roles.ts";
import { browserTest, type Harness, OUTPUT, pushEvents } from "./harness.ts";
import { feedbackEvents, worldEvents } from "./world.ts";

const PASSWORD = "e2e-screens-password-2026";

/** The accounts, with where each lands. */
const ACCOUNTS: { username: string; role: Role; lands: string; extra?: object }[] = [
  { username: "e2e-dept", role: "department", lands: "/cases", extra: { departments: ["410100-SCJGJ"] } },
  { username: "e2e-director", role: "director", lands: "/reports", extra: { region: "410100" } },
  { username: "e2e-admin2", role: "admin", lands: "/admin" },
  { username: "e2e-hall", role: "hall_manager", lands: "/hall/H-ZZ", extra: { hall: "H-ZZ" } },
  { username: "e2e-province", role: "province", lands: "/" },
  { username: "e2e-region", role: "region", lands: "/", extra: { region: "410100" } },
];

const NAMES: Record<string, string> = {
  department: "市场监管局窗口",
  director: "郑州市政务服务中心主任",
  admin: "系统管理员",
  hall_manager: "市民之家大厅经理",
  province: "省监察员",
  region: "郑州市监察员",
};

/** Desk pages that must fit every screen. */
const DESK = /^\/(cases|queue|reports|orders|spot-checks|audit)(\/|\?|$)/;

/**
 * Latin words in the page's visible text that are not codes or ids: what is left is English UI.
 * Codes (ZZ-SC-02, 410100-SCJGJ, H-ZZ), case ids (ZZ2024-0001), the account names (e2e-…), API key
 * prefixes (jct_…) and the file formats the export buttons name are not English prose.
 */
function englishWords(text: string): string[] {
  const tokens = text.match(/[A-Za-z0-9][A-Za-z0-9._:-]*/g) ?? [];
  const allowed = /^(CSV|Excel|XLSX|PDF|API|SSE|JSON|NDJSON|ID|e2e-[a-z0-9-]+|jct_[A-Za-z0-9_-]+)$/;
  return tokens.filter((t) => /[a-z]{2}|[A-Z][a-z]/.test(t) && !allowed.test(t) && !/\d/.test(t));
}

async function overflow(page: Page): Promise<number> {
  return await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
}

async function login(page: Page, h: Harness, username: string): Promise<string> {
  await page.context().clearCookies();
  await page.goto(`${h.base}/login`);
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  return new URL(page.url()).pathname;
}

browserTest(
  "each role lands where it works; every page it can open is Chinese, and the desk pages fit a phone, a tablet and 1920 px",
  async (h) => {
    const now = h.clock();
    for (const a of ACCOUNTS) {
      await createUser(h.database.db, {
        username: a.username,
        password: PASSWORD,
        displayName: NAMES[a.role],
        role: a.role,
        departments: [],
        region: null,
        hall: null,
        ...a.extra,
      }, now);
    }
    // The world's cases, and a 9.9 feedback so the queue has an item.
    const feedback = feedbackEvents(now, "E2E-FB") as { type: string }[];
    const rated = (e: { type: string }) => e.type === "evaluation";
    for (
      const [key, events] of [
        [h.ingestKey, [...worldEvents(now), ...feedback.filter((e) => !rated(e))]],
        [h.evaluationKey, feedback.filter(rated)],
      ] as const
    ) {
      await pushEvents(h.base, key, [...events]);
    }
    await Deno.mkdir(OUTPUT, { recursive: true });
    const page = h.browser.pages()[0] ?? await h.browser.newPage();
    const english: string[] = [];
    const wide: string[] = [];

    for (const a of ACCOUNTS) {
      await page.setViewportSize({ width: 1920, height: 1080 });
      assert.equal(await login(page, h, a.username), a.lands, `${a.role} lands on ${a.lands}`);
      const links = await page.locator(".nav-bar nav a").evaluateAll((as) =>
        as.map((x) => x.getAttribute("href")!)
      );
      // Case pages: one with red cards (decision forms for supervisors) and one with a finding.
      const casePages = !links.includes("/cases")
        ? []
        : a.role === "department"
        ? ["/cases/ZZ2024-0001"]
        : ["/cases/ZZ2024-0010", "/cases/E2E-FB"];
      const paths = [...new Set([a.lands, ...links, ...casePages])];
      for (const path of paths) {
        for (const width of [390, 820, 1920]) {
          await page.setViewportSize({ width, height: width === 390 ? 844 : 1080 });
          const r = await page.goto(`${h.base}${path}`);
          assert.equal(r?.status(), 200, `${a.role} ${path}`);
          const over = await overflow(page);
          if (DESK.test(path) && over > 0) wide.push(`${a.role} ${path} at ${width}px: ${over}px too wide`);
          if (width === 390) {
            for (const w of englishWords(await page.locator("body").innerText())) {
              english.push(`${a.role} ${path}: ${w}`);
            }
            const name = `${a.role}${path.replaceAll(/[/?=&]+/g, "_")}_390.png`;
            await page.screenshot({ path: `${OUTPUT}screens/${name}`, fullPage: true });
          }
        }
      }
    }

    // Error pages: Chinese HTML with a way back the person may use.
    await page.setViewportSize({ width: 390, height: 844 });
    await login(page, h, "e2e-dept");
    for (
      const [path, status] of [
        ["/no-such-page", 404],
        ["/cases/NO-SUCH-CASE", 404],
        ["/queue", 403],
        ["/cases?limit=abc", 400],
        ["/hall/H-ZZ?token=jct_display_not-a-token", 401],
      ] as const
    ) {
      if (path.includes("token")) await page.context().clearCookies();
      const r = await page.goto(`${h.base}${path}`);
      assert.equal(r?.status(), status, path);
      assert.match(r!.headers()["content-type"], /text\/html/, path);
      const text = await page.locator("body").innerText();
      assert.match(text, /[\u4e00-\u9fff]{4}/, `${path} is Chinese`);
      for (const w of englishWords(text)) english.push(`error ${path}: ${w}`);
      // The way back (outside the nav bar): staff's own desk; the login page without a session.
      const back = await page.locator("body > :not(header) a[href]").first().getAttribute("href");
      assert.equal(back, path.includes("token") ? "/login" : "/cases", `${path} offers a way back`);
      await page.screenshot({ path: `${OUTPUT}screens/error${path.replaceAll(/[/?=&.]+/g, "_")}.png` });
    }
    assert.deepEqual(wide, []);
    assert.deepEqual(english, []);
  },
);
