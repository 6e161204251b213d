/**
 * The desk in a real browser, the parts staff use to get through their list and answer it: paging
 * through every case with rel="next" to the last page and back with rel="prev" (the filter's total
 * shown), an explanation (情况说明) on a warning that a supervisor then reads on the case page, and the
 * 9.10 appeal — filed within its window, and refused with the date when the form is sent after it.
 * The app's clock is pinned to 22:00 of a working day so "after the window" is the next morning.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dateIn, endOfDay, startOfDay } from "../rules/dates.ts";
import { createUser } from "../server/auth/users.ts";
import { browserTest, type Harness, OUTPUT, pushEvents } from "./harness.ts";
import { receivedAtHall, shanghai, worldEvents } from "./world.ts";

const PASSWORD = "e2e-desk-password-2026";
const HOUR = 3600_000;
const DAY = 24 * HOUR;

const push = (h: Harness, key: string, events: unknown[]) => pushEvents(h.base, key, events);

async function login(page: Page, h: Harness, username: string, next: string) {
  await page.goto(`${h.base}/login?next=${encodeURIComponent(next)}`);
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(`${h.base}${next}`), page.click("button[type=submit]")]);
}

/** Submit the form `selector` and wait for the page the post leads to. */
async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForNavigation(), page.locator(selector).locator("button").click()]);
}

/** A completed case of the staff's department whose applicant was dissatisfied on `judged` (9.1). */
function dissatisfied(c: string, judged: string): { department: unknown[]; platform: unknown[] } {
  const t = (day: string, h: string) => `${day}T${h}:00+08:00`;
  const done = shanghai(Date.parse(t(judged, "09:00")) - 2 * DAY);
  return {
    department: [
      receivedAtHall(c, Date.parse(done) - HOUR, "ZZ-GA-01", { name: "刘洋", contact: "13800138005" }),
      {
        id: `${c}-a`,
        case: c,
        type: "accepted",
        at: shanghai(Date.parse(done) - 50 * 60_000),
        handler: "窗口 4 号",
      },
      { id: `${c}-c`, case: c, type: "completed", at: done, result: "normal" },
    ],
    platform: [{
      id: `${c}-e`,
      case: c,
      type: "evaluation",
      at: t(judged, "10:00"),
      satisfied: false,
      satisfactionReason: "等待太久",
    }],
  };
}

browserTest(
  "staff page to the last case and back, explain a warning a supervisor then reads, appeal in time, and are refused with the date after the window",
  async (h) => {
    const { calendar } = h.deps.calendar;
    // 22:00 of the last working day up to today; the appeal window of a finding judged 10 working
    // days before it ends that day.
    let day = dateIn(h.clock());
    while (!calendar.isWorkday(day)) day = dateIn(startOfDay(day) - 12 * HOUR);
    const pinned = startOfDay(day) + 22 * HOUR;
    const real = Date.now();
    let shift = 0;
    h.deps.clock = () => pinned + (Date.now() - real) + shift;
    let judged = day;
    while (calendar.addWorkdays(judged, 10) > day) judged = dateIn(startOfDay(judged) - 12 * HOUR);
    assert.equal(calendar.addWorkdays(judged, 10), day);

    const none = { region: null, hall: null };
    for (
      const [username, role, departments] of [["e2e-ks", "department", ["410100-GAJ"]], [
        "e2e-sj",
        "province",
        [],
      ]] as const
    ) {
      await createUser(h.database.db, {
        username,
        password: PASSWORD,
        displayName: username === "e2e-ks" ? "公安局窗口" : "省监察员",
        role,
        departments: [...departments],
        ...none,
      }, h.deps.clock());
    }
    // 23 open cases of the department (2 of the world's and 21 more), and two judged cases.
    const now = h.deps.clock();
    const more = Array.from({ length: 21 }, (_, i) =>
      receivedAtHall(
        `GA2026-${String(i).padStart(3, "0")}`,
        now - (i + 1) * 3 * HOUR,
        "ZZ-GA-01",
        { name: "赵磊", contact: "13800138010" },
        `GA-${i}-r`,
      ));
    const inTime = dissatisfied("GA-APPEAL", judged);
    const late = dissatisfied("GA-LATE", judged);
    await push(h, h.ingestKey, [...worldEvents(now), ...more, ...inTime.department, ...late.department]);
    await push(h, h.evaluationKey, [...inTime.platform, ...late.platform]);

    const page = h.browser.pages()[0] ?? await h.browser.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await login(page, h, "e2e-ks", "/cases?status=open&limit=10");

    // Paging: rel="next" to the last page, every case once, the total shown on every page.
    const seen: string[] = [];
    let pages = 0;
    for (;;) {
      pages++;
      assert.equal(await page.locator("[data-total]").getAttribute("data-total"), "23");
      seen.push(
        ...await page.locator("tr[data-case]").evaluateAll((rows) =>
          rows.map((r) => r.getAttribute("data-case")!)
        ),
      );
      const next = page.locator('a[rel="next"]');
      if (await next.count() === 0) break;
      await Promise.all([page.waitForNavigation(), next.click()]);
    }
    assert.equal(pages, 3);
    assert.equal(seen.length, 23);
    assert.equal(new Set(seen).size, 23);
    assert.match(await page.locator(".pager").innerText(), /已是最后一页/);
    await page.screenshot({ path: `${OUTPUT}desk_last_page.png`, fullPage: true });
    await Promise.all([page.waitForNavigation(), page.locator('a[rel="prev"]').click()]);
    assert.deepEqual(
      await page.locator("tr[data-case]").evaluateAll((rows) =>
        rows.map((r) => r.getAttribute("data-case")!)
      ),
      seen.slice(10, 20),
    );

    // An explanation on the 8.1 warning of the world's case of 居住证签注 accepted today (N = 2).
    const warned = "ZZ2024-0004";
    assert.ok(seen.includes(warned));
    await page.goto(`${h.base}/cases/${warned}`);
    const answer = page.locator('#answers article[data-rule="8.1"][data-level="warning"]');
    await answer.locator("summary").click();
    await answer.locator("textarea[name=text]").fill("申请人补交材料，已电话联系");
    await submit(page, '#answers article[data-rule="8.1"][data-level="warning"] form.explain');
    assert.match(page.url(), /answered=explanation/);
    assert.match(
      await page.locator('#answers article[data-rule="8.1"][data-level="warning"] .explanations')
        .innerText(),
      /申请人补交材料，已电话联系[\s\S]*/,
    );
    assert.match(
      await page.locator('#answers article[data-rule="8.1"][data-level="warning"] .explanations')
        .innerText(),
      /公安局窗口（e2e-ks）/,
    );

    // The appeal within the window (its last day is today).
    await page.goto(`${h.base}/cases/GA-APPEAL`);
    const finding = page.locator('#answers article[data-finding="9.1"]');
    assert.match(await finding.locator(".appeal-window").innerText(), /（含）前申诉/);
    await finding.locator("form.appeal textarea").fill("申请人当日已办结，等待时间系系统故障");
    await submit(page, '#answers article[data-finding="9.1"] form.appeal');
    assert.match(page.url(), /answered=appeal(?!-)/);
    assert.equal(
      await page.locator('#answers article[data-finding="9.1"]').getAttribute("data-state"),
      "appealed",
    );
    await page.screenshot({ path: `${OUTPUT}desk_appeal.png`, fullPage: true });

    // The other case's form, opened today and sent tomorrow morning: recorded, refused with the date.
    await page.goto(`${h.base}/cases/GA-LATE`);
    await page.locator('#answers article[data-finding="9.1"] form.appeal textarea').fill("评价与事实不符");
    shift = 3 * HOUR; // 01:00 of the next day: after the window.
    assert.ok(h.deps.clock() >= endOfDay(day));
    await submit(page, '#answers article[data-finding="9.1"] form.appeal');
    assert.match(page.url(), /answered=appeal-refused/);
    const body = await page.locator("body").innerText();
    assert.match(body, /申诉已记录但未被受理/);
    assert.match(body, new RegExp(`申诉已超过期限：应在${day}（含）前提出`));
    assert.match(body, /申诉期限已过/);
    await page.screenshot({ path: `${OUTPUT}desk_appeal_refused.png`, fullPage: true });

    // A supervisor reads the explanation and the appeal on the case pages.
    await page.context().clearCookies();
    await login(page, h, "e2e-sj", `/cases/${warned}`);
    assert.match(await page.locator("#answers").innerText(), /申请人补交材料，已电话联系/);
    assert.equal(
      await page.locator("#answers form.explain").count(),
      0,
      "supervisors get no explanation form",
    );
    await page.goto(`${h.base}/cases/GA-APPEAL`);
    assert.equal(
      await page.locator('#answers article[data-finding="9.1"]').getAttribute("data-state"),
      "appealed",
    );
  },
);
