/**
 * The departments' countdown desk in a real browser: department staff sign in and land on /cases; a
 * case pushed by the department system appears in the list without a reload (live stream); search
 * narrows the list; at 390 px the list is cards with no sideways scrolling. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { createUser } from "../server/auth/users.ts";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";
import { shanghai, worldEvents } from "./world.ts";

const STAFF = { username: "e2e-desk", password: "e2e-desk-password-2026", displayName: "窗口工作人员" };

Deno.test({
  name:
    "department staff land on the desk, see a pushed case appear live, search, and read it as cards on a phone",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const h = await startHarness();
    const { database, base, browser, ingestKey } = h;
    const push = async (events: unknown[]) => {
      const res = await fetch(`${base}/api/v1/events`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
        body: JSON.stringify(events),
      });
      assert.equal(res.status, 200, await res.text());
    };
    try {
      const now = Date.now();
      await createUser(database.db, {
        ...STAFF,
        role: "department",
        departments: ["410100-SCJGJ"],
        region: null,
        hall: null,
      }, now);
      await push(worldEvents(now).filter((e) => (e as { type: string }).type !== "evaluation"));
      await Deno.mkdir(OUTPUT, { recursive: true });
      const page = browser.pages()[0] ?? await browser.newPage();
      await page.setViewportSize({ width: 1920, height: 1080 });

      // Sign in without a `next`: department staff land on /cases.
      await page.goto(`${base}/login`);
      await page.fill("#username", STAFF.username);
      await page.fill("#password", STAFF.password);
      await Promise.all([page.waitForURL(`${base}/cases`), page.click("button[type=submit]")]);
      await page.locator(".feed-live").waitFor({ timeout: 10_000 });
      const before = await page.locator("tr[data-case]").count();
      assert.ok(before > 0);

      // A new case pushed by the department system appears without a reload.
      await push([{
        id: "E2E-LIVE-r",
        case: "E2E-LIVE",
        type: "received",
        at: shanghai(Date.now() - 60_000),
        item: "ZZ-SC-02",
        channel: "online",
        applicant: { name: "周杰", contact: "13800138009", kind: "person" },
      }]);
      await page.locator('tr[data-case="E2E-LIVE"]').waitFor({ timeout: 10_000 });
      assert.equal(await page.locator("tr[data-case]").count(), before + 1);
      assert.equal(await page.locator('tr[data-case="E2E-LIVE"]').getAttribute("data-status"), "received");
      await page.screenshot({ path: `${OUTPUT}case_desk_1920.png`, fullPage: true });

      // Search by case number.
      await page.fill('input[name="q"]', "E2E-LIVE");
      await Promise.all([page.waitForURL(/q=E2E-LIVE/), page.click('form.filters button[type="submit"]')]);
      assert.deepEqual(
        await page.locator("tr[data-case]").evaluateAll((rows) =>
          rows.map((r) => r.getAttribute("data-case"))
        ),
        ["E2E-LIVE"],
      );

      // A phone: cards, no sideways scrolling.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/cases`);
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - globalThis.innerWidth
      );
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      assert.equal(await page.locator("table.cases thead").isVisible(), false, "cards, no table header");
      await page.screenshot({ path: `${OUTPUT}case_desk_390.png`, fullPage: true });
    } finally {
      await h.close();
    }
  },
});
