/**
 * The wall screen in a real browser: the app runs in-process over a test database, Debian's chromium
 * opens a hall's screen, and an event that raises a warning changes the figures without a reload.
 * Skipped when /usr/bin/chromium is absent. Leaves a screenshot at e2e/output/wall_screen.png.
 */
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { openTestDatabase } from "../db/testing.ts";
import { createApp } from "../server/app.ts";
import type { AppDeps } from "../server/deps.ts";
import { LiveHub } from "../server/live/hub.ts";
import { ruleName } from "../rules/names.ts";
import { buildIslands } from "../scripts/build_islands.ts";
import { createUser } from "../server/auth/users.ts";
import { createApiKey } from "../server/auth/api_keys.ts";
import { createDisplayToken } from "../server/auth/display_tokens.ts";
import { DEPARTMENT_CODES, seedWorld, warningEvents, worldEvents } from "./world.ts";

const CHROMIUM = "/usr/bin/chromium";
const hasChromium = await Deno.stat(CHROMIUM).then(() => true, () => false);
const OUTPUT = new URL("./output/", import.meta.url).pathname;

Deno.test({
  name: "the wall screen shows a new warning live without reloading, and says so when the feed drops",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const database = await openTestDatabase();
    const deps: AppDeps = { database, clock: () => Date.now() };
    const hub = new LiveHub(deps, { tickMs: 250, ruleName });
    await hub.start();
    deps.live = hub;
    await buildIslands();
    const app = createApp(deps);
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}`;
    const userDataDir = await Deno.makeTempDir({ prefix: "jct-chromium-" });
    // Playwright takes the fresh profile folder itself (it refuses a --user-data-dir argument).
    const browser = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1920, height: 1080 },
      locale: "zh-CN",
      timezoneId: "Asia/Shanghai",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
    try {
      const now = Date.now();
      const { db } = database;
      const none = { departments: [], region: null, hall: null };
      const admin = await createUser(db, {
        username: "e2e-admin",
        displayName: "管理员",
        role: "admin",
        ...none,
      }, now);
      await seedWorld(
        base,
        (await createApiKey(db, { userId: admin.id, name: "e2e", createdBy: "e2e" })).key,
      );
      const ingest = await createUser(db, {
        username: "e2e-ingest",
        displayName: "接入",
        role: "ingest",
        ...none,
        departments: DEPARTMENT_CODES,
      }, now);
      const ingestKey = (await createApiKey(db, { userId: ingest.id, name: "e2e", createdBy: "e2e" })).key;
      const display = await createDisplayToken(db, { hall: "H-ZZ", name: "一楼大屏", createdBy: "e2e" });
      const post = (events: unknown[]) => postEvents(base, ingestKey, events);
      const seeded = await post(worldEvents(now));
      assert.equal(seeded.status, 200, JSON.stringify(seeded.body));

      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      await page.goto(`${base}/hall/H-ZZ?token=${display.token}`);
      // Today's alerts are on the screen from the first paint, before the stream says anything new.
      const opening = await page.locator(".alert").count();
      assert.ok(opening > 0 && opening <= 10, `today's alerts on open: ${opening}`);
      assert.equal(await page.locator(".panel-alerts .empty").count(), 0);
      await page.waitForSelector('[data-status="live"]', { timeout: 10_000 });
      const warnings = page.locator('[data-metric="warnings"]');
      await page.waitForFunction(() =>
        document.querySelector('[data-metric="warnings"]')?.textContent !== "—"
      );
      const before = Number(await warnings.textContent());
      // A marker on the window survives only if the page is not reloaded.
      await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 42));

      const res = await post(warningEvents(Date.now()));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await page.waitForFunction(
        (n) => Number(document.querySelector('[data-metric="warnings"]')?.textContent) === n,
        before + 1,
        { timeout: 10_000 },
      );
      assert.equal(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 42);
      // The alert slides into the ticker on top, with its level and the masked applicant, never a contact.
      const newest = page.locator('.alert[data-case="E2E-NEW"]').first();
      await newest.waitFor({ timeout: 10_000 });
      assert.match(await newest.innerText(), /预警/);
      assert.equal(await page.locator(".alert").first().getAttribute("data-case"), "E2E-NEW");
      const text = await page.locator(".wall").innerText();
      assert.doesNotMatch(text, /1380013\d{4}/, "no contact details on the screen");
      assert.doesNotMatch(text, /王小明/, "applicant names are masked");

      await page.waitForTimeout(800); // let the slide-in animation settle for the picture
      await Deno.mkdir(OUTPUT, { recursive: true });
      await page.screenshot({ path: `${OUTPUT}wall_screen.png` });
      assert.deepEqual(errors, []);

      // The server goes away: the screen stops claiming to be live.
      await hub.stop();
      await page.waitForSelector('[data-status="reconnecting"]', { timeout: 10_000 });
      assert.match(await page.locator(".feed-pill").innerText(), /重新连接中/);
    } finally {
      await browser.close();
      await hub.stop();
      await server.shutdown();
      await database.drop();
      await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
    }
  },
});

async function postEvents(
  base: string,
  key: string,
  events: unknown[],
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
  return { status: res.status, body: await res.json() };
}
