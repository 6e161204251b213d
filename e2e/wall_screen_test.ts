/**
 * The wall screen in a real browser: the app runs in-process over a test database, Debian's chromium
 * opens a hall's screen, and an event that raises a warning changes the figures without a reload.
 * Skipped when /usr/bin/chromium is absent. Leaves a screenshot at e2e/output/wall_screen.png.
 */
import assert from "node:assert/strict";
import { createDisplayToken } from "../server/auth/display_tokens.ts";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";
import { warningEvents, worldEvents } from "./world.ts";

Deno.test({
  name: "the wall screen shows a new warning live without reloading, and says so when the feed drops",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const h = await startHarness();
    const { database, base, browser, ingestKey } = h;
    try {
      const now = h.clock();
      const { db } = database;
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

      const res = await post(warningEvents(h.clock()));
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
      await h.deps.live!.stop();
      await page.waitForSelector('[data-status="reconnecting"]', { timeout: 10_000 });
      assert.match(await page.locator(".feed-pill").innerText(), /重新连接中/);
    } finally {
      await h.close();
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
