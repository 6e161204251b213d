/**
 * The administration pages on a phone: at 390 px the home page and every sub-page (accounts, keys,
 * display tokens, calendar, rankings) fit the screen — no sideways scrolling; a table too wide for it
 * scrolls inside its own box. Screenshots in e2e/output/screens/.
 */
import assert from "node:assert/strict";
import { createUser } from "../server/auth/users.ts";
import { browserTest, OUTPUT } from "./harness.ts";

const PASSWORD = "e2e-admin-screens-2026";
const PAGES = [
  "/admin",
  "/admin/users",
  "/admin/keys",
  "/admin/display-tokens",
  "/admin/calendar",
  "/admin/rankings",
];

browserTest("the administration pages fit a 390 px phone without sideways scrolling", async (h) => {
  const admin = await createUser(h.database.db, {
    username: "e2e-admin-phone",
    password: PASSWORD,
    displayName: "系统管理员",
    role: "admin",
    departments: [],
    region: null,
    hall: null,
  }, h.clock());
  const page = h.browser.pages()[0] ?? await h.browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${h.base}/login`);
  await page.fill("#username", "e2e-admin-phone");
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  await Deno.mkdir(`${OUTPUT}screens`, { recursive: true });
  const wide: string[] = [];
  for (const path of [...PAGES, `/admin/users/${admin.id}`]) {
    const r = await page.goto(`${h.base}${path}`);
    assert.equal(r?.status(), 200, path);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
    if (over > 0) wide.push(`${path}: ${over}px too wide`);
    const name = `admin${path.replaceAll(/[/?=&]+/g, "_")}_390.png`;
    await page.screenshot({ path: `${OUTPUT}screens/${name}`, fullPage: true });
  }
  assert.deepEqual(wide, []);
});
