/**
 * Issue 11 in a real browser: the rankings report (charts drawn, the print view), the supervisors'
 * overview (a change arrives live, stale when the feed drops), and the wall screen's server trend
 * (the same after a reload and on a second screen; dims with "stale since" on disconnect), with
 * screenshots at 1920×1080 and 3840×2160 in e2e/output/. Skipped without /usr/bin/chromium.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createDisplayToken } from "../server/auth/display_tokens.ts";
import { createUser } from "../server/auth/users.ts";
import { browserTest, type Harness, OUTPUT } from "./harness.ts";
import { shanghai, warningEvents, worldEvents } from "./world.ts";

const SUPERVISOR = { username: "e2e-reports", password: "e2e-password-2026", displayName: "省监察员" };

async function post(h: Harness, events: unknown[]) {
  const res = await fetch(`${h.base}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${h.ingestKey}` },
    body: JSON.stringify(events),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The world's cases, the first `n` of them completed a minute ago. */
function completions(now: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    id: `ZZ2024-${String(i + 1).padStart(4, "0")}-c`,
    case: `ZZ2024-${String(i + 1).padStart(4, "0")}`,
    type: "completed",
    at: shanghai(now - 60_000),
    result: "normal",
  }));
}

async function signIn(h: Harness, page: Page, path: string) {
  const none = { departments: [], region: null, hall: null };
  await createUser(h.database.db, { ...SUPERVISOR, role: "province", ...none }, h.clock());
  await page.goto(`${h.base}${path}`);
  await page.fill("#username", SUPERVISOR.username);
  await page.fill("#password", SUPERVISOR.password);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith("/login")),
    page.click("button[type=submit]"),
  ]);
  if (new URL(page.url()).pathname !== path.split("?")[0]) await page.goto(`${h.base}${path}`);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}

browserTest("the rankings report draws its charts and prints without forms, links or nav", async (h) => {
  const now = h.clock();
  await post(h, worldEvents(now));
  await post(h, completions(now, 6));
  const page = h.browser.pages()[0] ?? await h.browser.newPage();
  const errors = watchErrors(page);
  const month = shanghai(now).slice(0, 7);
  await signIn(h, page, `/reports?month=${month}&unit=410100`);
  await page.waitForSelector('[data-chart="scores"][data-drawn="true"] canvas', { timeout: 10_000 });
  await page.waitForSelector('[data-chart="trend"][data-drawn="true"] canvas', { timeout: 10_000 });
  const bars = await page.locator('[data-chart="scores"] canvas').boundingBox();
  assert.ok(bars && bars.width > 200 && bars.height > 200, JSON.stringify(bars));
  // Every department row carries its score; 样本不足 ones (fewer than 10 completed) are not ranked.
  const rows = page.locator('section[data-level="department"] tr[data-code]');
  assert.ok(await rows.count() > 0);
  assert.match(await rows.first().locator('[data-metric="rank"]').innerText(), /样本不足|\d+/);
  assert.match(
    await page.locator(".weights-in-force").innerText(),
    /综合得分 = 40×按时办结率 \+ 20×满意率/,
  );
  const cases = await page.locator('section[data-level="department"] .cases-link').first().getAttribute(
    "href",
  );
  assert.match(
    cases!,
    /^\/cases\?department=[^&]+&receivedFrom=\d{4}-\d{2}-01&receivedTo=\d{4}-\d{2}-\d{2}$/,
  );
  await Deno.mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: `${OUTPUT}reports_1920.png`, fullPage: true });

  await page.emulateMedia({ media: "print" });
  for (const sel of [".report-form", ".nav-bar", ".cases-link", ".report-export"]) {
    const shown = await page.locator(sel).evaluateAll((els) =>
      els.some((e) => getComputedStyle(e).display !== "none")
    );
    assert.equal(shown, false, `${sel} is hidden in print`);
  }
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.body).backgroundColor),
    "rgb(255, 255, 255)",
  );
  await page.screenshot({ path: `${OUTPUT}reports_print.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

browserTest("the supervisors' overview takes a new case live and dims when the feed drops", async (h) => {
  await post(h, worldEvents(h.clock()));
  const page = h.browser.pages()[0] ?? await h.browser.newPage();
  const errors = watchErrors(page);
  await signIn(h, page, "/");
  await page.waitForSelector('.overview[data-status="live"]', { timeout: 10_000 });
  const cell = '.overview-table tr[data-unit="410100"] td[data-field="inProgress"]';
  const tile = '.overview-map li[data-unit="410100"] dd[data-field="inProgress"]';
  const before = Number(await page.locator(cell).innerText());
  assert.equal(Number(await page.locator(tile).innerText()), before);
  // 18 tiles: the 17 cities and 济源示范区; the ones without data are marked 未接入.
  assert.equal(await page.locator(".overview-map > li").count(), 18);
  await page.evaluate(() => ((globalThis as unknown as { marker: number }).marker = 7));
  await post(h, warningEvents(h.clock()));
  await page.waitForFunction(
    ([sel, n]) => Number(document.querySelector(sel as string)?.textContent) === n,
    [cell, before + 1] as const,
    { timeout: 10_000 },
  );
  assert.equal(Number(await page.locator(tile).innerText()), before + 1);
  assert.equal(await page.evaluate(() => (globalThis as unknown as { marker?: number }).marker), 7);
  await Deno.mkdir(OUTPUT, { recursive: true });
  await page.screenshot({ path: `${OUTPUT}overview_1920.png`, fullPage: true });
  await h.deps.live!.stop();
  await page.waitForSelector(".overview.is-stale .stale-note", { timeout: 10_000 });
  assert.match(await page.locator(".stale-note").innerText(), /^数据自 \d{2}:\d{2} 起未更新$/);
  assert.deepEqual(errors.filter((e) => !/ERR_|net::|EventSource/.test(e)), []);
});

browserTest(
  "the wall screen's trend comes from the server: the same after a reload and on a second screen",
  async (h) => {
    const now = h.clock();
    await post(h, worldEvents(now));
    await post(h, completions(now, 4));
    await post(h, warningEvents(now));
    const display = await createDisplayToken(h.database.db, {
      hall: "H-ZZ",
      name: "一楼大屏",
      createdBy: "e2e",
    });
    const url = `${h.base}/hall/H-ZZ?token=${display.token}`;
    const page = h.browser.pages()[0] ?? await h.browser.newPage();
    const errors = watchErrors(page);
    const read = async (p: Page) => {
      await p.waitForSelector('[data-trend="hours"][data-drawn="true"] canvas', { timeout: 10_000 });
      await p.waitForSelector('[data-trend="days"][data-drawn="true"] canvas', { timeout: 10_000 });
      return {
        today: await p.locator('[data-sum="today-completed"]').innerText(),
        days: await p.locator('[data-sum="days-completed"]').innerText(),
      };
    };
    await page.goto(url);
    const first = await read(page);
    assert.deepEqual(first, { today: "办结 4", days: "办结 4" });
    await page.reload();
    assert.deepEqual(await read(page), first, "the same after a reload");
    const second = await h.browser.newPage();
    await second.goto(url);
    assert.deepEqual(await read(second), first, "the same on another screen of the hall");
    await second.close();

    await page.waitForSelector('.wall[data-stale="false"] [data-status="live"]', { timeout: 10_000 });
    await Deno.mkdir(OUTPUT, { recursive: true });
    for (const [w, hgt] of [[1920, 1080], [3840, 2160]]) {
      await page.setViewportSize({ width: w, height: hgt });
      await page.waitForTimeout(600);
      // Nothing sticks out of its card: the applicant's name is whole, inside the alert.
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll(".alert-case span")].filter((s) => {
          const card = s.closest(".alert")!.getBoundingClientRect();
          const r = s.getBoundingClientRect();
          return s.textContent!.startsWith("申请人") &&
            (r.right > card.right + 0.5 || s.scrollWidth > s.clientWidth + 1);
        }).length
      );
      assert.equal(clipped, 0, `applicant names cut at ${w}×${hgt}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > innerWidth);
      assert.equal(overflow, false, `no sideways overflow at ${w}×${hgt}`);
      await page.screenshot({ path: `${OUTPUT}wall_trend_${w}.png` });
    }
    await page.setViewportSize({ width: 1920, height: 1080 });

    // The feed drops: the figures dim and say since when they are stale.
    await h.deps.live!.stop();
    await page.waitForSelector('.wall[data-stale="true"] .stale-banner', { timeout: 15_000 });
    assert.match(await page.locator(".stale-banner").innerText(), /^数据自 \d{2}:\d{2} 起未更新$/);
    // The figures fade out (a 0.4 s transition).
    await page.waitForFunction(
      () => Number(getComputedStyle(document.querySelector(".kpis")!).opacity) < 0.6,
      undefined,
      { timeout: 5_000 },
    );
    await page.waitForTimeout(500);
    await page.screenshot({ path: `${OUTPUT}wall_stale_1920.png` });
    assert.deepEqual(errors.filter((e) => !/ERR_|net::|EventSource/.test(e)), []);
  },
);
