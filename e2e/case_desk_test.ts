/**
 * The departments' countdown desk in a real browser: department staff sign in and land on /cases; a
 * case pushed by the department system appears in the list without a reload (live stream), moves to
 * its place when accepted, shows 暂停计时 when paused and leaves the list when completed; search
 * narrows the list; at 390 px the list is cards with no sideways scrolling. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { createUser } from "../server/auth/users.ts";
import { browserTest, OUTPUT, pushEvents } from "./harness.ts";
import { shanghai, worldEvents } from "./world.ts";

const STAFF = { username: "e2e-desk", password: "e2e-desk-password-2026", displayName: "窗口工作人员" };

browserTest(
  "department staff land on the desk, see a pushed case appear, move, pause and leave live, search, and read it as cards on a phone",
  async (h) => {
    const { database, base, browser, ingestKey } = h;
    const push = (events: unknown[]) => pushEvents(base, ingestKey, events);
    const now = h.clock(); // the app's clock (e2e/harness.ts testClock), never the machine's
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
      at: shanghai(h.clock() - 60_000),
      item: "ZZ-SC-01", // one promised day: accepted, it moves before the world's case with 2 left
      channel: "online",
      applicant: { name: "周杰", contact: "13800138009", kind: "person" },
    }]);
    await page.locator('tr[data-case="E2E-LIVE"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator("tr[data-case]").count(), before + 1);
    assert.equal(await page.locator('tr[data-case="E2E-LIVE"]').getAttribute("data-status"), "received");
    await page.screenshot({ path: `${OUTPUT}case_desk_1920.png`, fullPage: true });

    // Accepted: the row changes and moves to its place by remaining; a special procedure pauses it;
    // completed, it leaves the in-progress view — all without a reload.
    const row = page.locator('tr[data-case="E2E-LIVE"]');
    const ordered = async () => {
      const keys = await page.locator("tr[data-case]").evaluateAll((rows) =>
        rows.map((r) => r.getAttribute("data-remaining"))
      );
      const n = keys.map((k) => (k === "" || k === null ? Infinity : Number(k)));
      return n.every((v, i) => i === 0 || n[i - 1] <= v);
    };
    const step = async (type: string, fields: Record<string, unknown>) =>
      await push([{
        id: `E2E-LIVE-${type}`,
        case: "E2E-LIVE",
        type,
        at: shanghai(h.clock() - 1000),
        ...fields,
      }]);
    await step("accepted", { handler: "窗口 6 号" });
    await page.locator('tr[data-case="E2E-LIVE"][data-status="accepted"]').waitFor({ timeout: 10_000 });
    assert.equal(await row.getAttribute("data-remaining"), "1");
    assert.ok(await ordered(), "rows by remaining after the change");
    const index = await page.locator("tr[data-case]").evaluateAll((rows) =>
      rows.findIndex((r) => r.getAttribute("data-case") === "E2E-LIVE")
    );
    assert.notEqual(index, before, "the accepted case moved from the end to its place");
    await step("special_started", {
      procedure: "专家评审",
      until: shanghai(h.clock() + 20 * 86_400_000).slice(0, 10),
    });
    await page.locator('tr[data-case="E2E-LIVE"][data-paused="true"]').waitFor({ timeout: 10_000 });
    assert.match(await row.locator("td.countdown").innerText(), /暂停计时/);
    await step("completed", { result: "normal" });
    await row.waitFor({ state: "detached", timeout: 10_000 });
    assert.equal(await page.locator("tr[data-case]").count(), before);

    // Search by case number.
    await page.fill('input[name="q"]', "ZZ2024-0002");
    await Promise.all([page.waitForURL(/q=ZZ2024-0002/), page.click('form.filters button[type="submit"]')]);
    assert.deepEqual(
      await page.locator("tr[data-case]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case"))),
      ["ZZ2024-0002"],
    );

    // A phone: cards, no sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/cases`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    assert.equal(await page.locator("table.cases thead").isVisible(), false, "cards, no table header");
    await page.screenshot({ path: `${OUTPUT}case_desk_390.png`, fullPage: true });
  },
);
