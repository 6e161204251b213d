/**
 * The supervisor's desk pages in a real browser: a province supervisor logs in through the login form,
 * finds a case with red cards in the countdown list, disposes of one and voids the other on the case
 * page, judges a 9.9 feedback from the manual queue, downloads the rankings CSV and logs out.
 * The app runs in-process over a test database with the live hub; Debian's chromium drives it.
 * Skipped when /usr/bin/chromium is absent. Leaves screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { createUser } from "../server/auth/users.ts";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";
import { ruleName } from "../rules/names.ts";
import { feedbackEvents, receivedAtHall, shanghai, worldEvents } from "./world.ts";

const SUPERVISOR = { username: "e2e-sheng", password: "e2e-password-2026", displayName: "省监察员" };

/** A case on an item with no fee standard, charged twice: two 8.4 red cards at once. */
function feeEvents(now: number): unknown[] {
  const c = "E2E-FEE";
  return [
    receivedAtHall(c, now - 600_000, "ZZ-SC-02", {
      name: "郑州某某餐饮有限公司",
      contact: "13800138001",
      kind: "organization",
    }),
    { id: `${c}-a`, case: c, type: "accepted", at: shanghai(now - 540_000), handler: "窗口 2 号" },
    { id: `${c}-f1`, case: c, type: "fee", at: shanghai(now - 480_000), kind: "charge", amount: 80 },
    { id: `${c}-f2`, case: c, type: "fee", at: shanghai(now - 420_000), kind: "charge", amount: 20 },
  ];
}

/** Launch Debian's chromium with a fresh profile, as the project's browser tests do. */
/**
 * Layout problems of the case page's alerts table: wider than its section, a row taller than
 * `maxRow` px, or any visible element sticking out of its row or out of the table.
 */
function alertTableProblems(page: Page, maxRow: number): Promise<string[]> {
  return page.evaluate((maxRow) => {
    const problems: string[] = [];
    const table = document.querySelector("#alerts table");
    if (!table) return ["no alerts table"];
    const t = table.getBoundingClientRect();
    const section = table.parentElement!;
    if (t.width > section.clientWidth + 1) {
      problems.push(`table ${t.width}px wider than its section ${section.clientWidth}px`);
    }
    for (const tr of table.querySelectorAll("tbody tr")) {
      const r = tr.getBoundingClientRect();
      const row = (tr as HTMLElement).dataset.rule;
      if (r.height > maxRow) problems.push(`row ${row} is ${Math.round(r.height)}px tall`);
      for (const el of tr.querySelectorAll("*")) {
        const b = el.getBoundingClientRect();
        if (!el.checkVisibility()) continue; // not rendered (a closed <details>' text)
        const out = b.top < r.top - 1 || b.bottom > r.bottom + 1 || b.left < t.left - 1 ||
          b.right > t.right + 1;
        if (out) {
          problems.push(
            `row ${row}: <${el.tagName.toLowerCase()} class="${el.className}"> overflows ${
              JSON.stringify([b.left, b.top, b.right, b.bottom])
            } of ${JSON.stringify([t.left, r.top, t.right, r.bottom])}`,
          );
        }
      }
    }
    return problems;
  }, maxRow);
}

/**
 * Submit a decision form and wait for the page the post leads to (a redirect, or the refusal itself);
 * the answer's status. Waiting for a new navigation, not a URL: the decisions of one case all land on
 * the same URL.
 */
async function submit(page: Page, form: Locator): Promise<number | undefined> {
  const [res] = await Promise.all([page.waitForNavigation(), form.locator("button").click()]);
  return res?.status();
}

Deno.test({
  name: "a province supervisor logs in, decides on red cards and a 9.9 feedback, exports rankings, logs out",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const h = await startHarness();
    const { database, base, browser, ingestKey, evaluationKey } = h;
    try {
      const now = h.clock();
      const { db } = database;
      const none = { departments: [], region: null, hall: null };
      await createUser(db, { ...SUPERVISOR, role: "province", ...none }, now);
      // The department system pushes the cases, the evaluation platform the evaluations.
      const all = [...worldEvents(now), ...feeEvents(now), ...feedbackEvents(now, "E2E-FB")] as {
        type: string;
      }[];
      const rated = (e: { type: string }) => e.type === "evaluation" || e.type === "second_evaluation";
      for (
        const [key, events] of [[ingestKey, all.filter((e) => !rated(e))], [evaluationKey, all.filter(rated)]]
      ) {
        const res = await fetch(`${base}/api/v1/events`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
          body: JSON.stringify(events),
        });
        assert.equal(res.status, 200, await res.text());
      }

      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      /** The console errors a step causes on purpose (a refused form post answers 400). */
      const expectedErrors: RegExp[] = [];
      page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
      page.on("console", (m) => {
        if (m.type() !== "error") return;
        const i = expectedErrors.findIndex((e) => e.test(m.text()));
        if (i >= 0) expectedErrors.splice(i, 1);
        else errors.push(`${page.url()}: ${m.text()}`);
      });
      page.on(
        "response",
        (r) => r.status() >= 400 && r.status() !== 400 && errors.push(`${r.status()} ${r.url()}`),
      );
      await Deno.mkdir(OUTPUT, { recursive: true });

      // 1. The real login form, then the nav bar.
      await page.goto(`${base}/cases`);
      assert.match(new URL(page.url()).pathname, /^\/login$/);
      await page.fill("#username", SUPERVISOR.username);
      await page.fill("#password", SUPERVISOR.password);
      await Promise.all([page.waitForURL(`${base}/cases`), page.click("button[type=submit]")]);
      assert.equal(await page.locator(".nav-brand").innerText(), "监察台");
      assert.deepEqual(await page.locator(".nav-bar nav a").allInnerTexts(), [
        "大厅大屏",
        "办件时限",
        "人工监察",
        "随机抽查",
        "督办",
        "效能排名",
        "审计记录",
      ]);
      assert.equal(await page.locator(".nav-logout button").innerText(), "退出");
      assert.match(await page.locator(".nav-user").innerText(), /省监察员/);

      // 3. The countdown list shows the case with its red cards and remaining time.
      const listRow = page.locator('table.cases tr[data-case="E2E-FEE"]');
      assert.equal(await listRow.locator("td.countdown").getAttribute("data-remaining"), "3");
      assert.match(await listRow.locator("td.countdown").innerText(), /3/);
      assert.deepEqual(await listRow.locator(".badge-red").allInnerTexts(), ["红牌 8.4", "红牌 8.4"]);
      await page.screenshot({ path: `${OUTPUT}desk_cases.png`, fullPage: true });

      await Promise.all([page.waitForURL(`${base}/cases/E2E-FEE`), listRow.locator("a").click()]);
      const reds = page.locator('#alerts tr.alert-row[data-rule="8.4"]');
      assert.equal(await reds.count(), 2);
      for (const row of await reds.all()) {
        assert.equal(await row.locator(".badge").innerText(), "红牌");
        assert.match(await row.innerText(), new RegExp(`8\\.4\\s*${ruleName("8.4")}`));
      }
      assert.deepEqual(await alertTableProblems(page, 160), []);
      // The article text is folded until asked for.
      const article = reds.first().locator("details.article");
      assert.equal(await article.locator("p").isVisible(), false);
      await article.locator("summary").click();
      assert.match(await article.locator("p").innerText(), /无依据收费/);
      assert.deepEqual(await alertTableProblems(page, 400), []);
      await page.screenshot({ path: `${OUTPUT}desk_case.png`, fullPage: true });

      // The rule cell (id and short name) stays on one line: the wall screen's chip style stays off it.
      const ruleCell = reds.first().locator("td").first();
      const lines = await ruleCell.evaluate((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return range.getBoundingClientRect().height / parseFloat(getComputedStyle(td).lineHeight);
      });
      assert.ok(lines < 1.5, `rule cell on one line, not ${lines.toFixed(1)}`);

      // A blank reason (spaces pass the browser's `required`) is refused with a message on the page.
      const blank = page.locator(
        'tr[data-rule="8.4"]:has(td:text-is("E2E-FEE-f1")) form[data-action="void"]',
      );
      await blank.locator('input[name="reason"]').fill("   ");
      expectedErrors.push(/status of 400/);
      assert.equal(await submit(page, blank), 400);
      const message = page.locator("p.notice-error");
      assert.match(await message.innerText(), /监察处理未保存/);
      const mainBox = (await page.locator("main.case-page").boundingBox())!;
      const messageBox = (await message.boundingBox())!;
      assert.ok(messageBox.width > mainBox.width * 0.9, "the message spans the page, not a centered box");
      await page.screenshot({ path: `${OUTPUT}desk_case_refused.png`, fullPage: true });
      assert.equal(await page.locator("#reviews tr.review").count(), 0);

      // Circulated criticism for the first fee, void the second; each a plain form post and redirect.
      const dispose = page.locator(
        'tr[data-rule="8.4"]:has(td:text-is("E2E-FEE-f1")) form[data-action="dispose"]',
      );
      await dispose.locator('select[name="disposition"]').selectOption("circulated_criticism");
      await dispose.locator('input[name="reason"]').fill("无收费标准擅自收取80元");
      assert.equal(await submit(page, dispose), 200);
      assert.match(page.url(), /\/cases\/E2E-FEE#reviews$/);
      const voidForm = page.locator(
        'tr[data-rule="8.4"]:has(td:text-is("E2E-FEE-f2")) form[data-action="void"]',
      );
      await voidForm.locator('input[name="reason"]').fill("系统重复推送，已退费");
      assert.equal(await submit(page, voidForm), 200);
      assert.match(page.url(), /\/cases\/E2E-FEE#reviews$/);

      const reviews = page.locator("#reviews tr.review");
      assert.equal(await reviews.count(), 2);
      const first = await reviews.nth(0).innerText();
      assert.match(first, /e2e-sheng/);
      assert.match(first, /红牌处理/);
      assert.match(first, /通报批评/);
      assert.match(first, /无收费标准擅自收取80元/);
      const second = await reviews.nth(1).innerText();
      assert.match(second, /作废/);
      assert.match(second, /系统重复推送，已退费/);
      assert.doesNotMatch(first + second, /未生效/);
      const today = shanghai(h.clock()).slice(0, 10);
      const f1 = page.locator('tr[data-rule="8.4"]:has(td:text-is("E2E-FEE-f1"))');
      assert.match(await f1.innerText(), new RegExp(`通报批评（e2e-sheng，${today}）`));
      const f2 = page.locator('tr[data-rule="8.4"]:has(td:text-is("E2E-FEE-f2"))');
      assert.match(await f2.getAttribute("class") ?? "", /\bvoided\b/);
      assert.match(await f2.innerText(), new RegExp(today));
      assert.equal(await f2.locator("form").count(), 0, "a voided alert offers no further decision");
      assert.deepEqual(await alertTableProblems(page, 160), []);

      // The decisions are in the audit trail, read with the same session.
      const audit = await page.request.get(`${base}/api/v1/audit?action=case.review`);
      assert.equal(audit.status(), 200);
      const { records } = await audit.json() as {
        records: {
          actor: string;
          action: string;
          target: string;
          detail: { action: string; reason: string };
        }[];
      };
      const mine = records.filter((r) => r.target === "E2E-FEE");
      assert.deepEqual(mine.map((r) => [r.actor, r.detail.action, r.detail.reason]).sort(), [
        ["e2e-sheng", "dispose", "无收费标准擅自收取80元"],
        ["e2e-sheng", "void", "系统重复推送，已退费"],
      ]);

      // 4. The manual queue lists the 9.9 feedback; judged not abnormal on the case page, it leaves.
      await page.locator(".nav-bar nav a", { hasText: "人工监察" }).click();
      await page.waitForURL(`${base}/queue`);
      const queued = page.locator('table.queue tr[data-case="E2E-FB"]');
      assert.equal(await queued.getAttribute("data-kind"), "feedback");
      assert.match(await queued.innerText(), /9\.9/);
      await page.screenshot({ path: `${OUTPUT}desk_queue.png`, fullPage: true });
      await Promise.all([page.waitForURL(/\/cases\/E2E-FB#manual$/), queued.locator("a").click()]);
      const judge = page.locator('#manual form[data-action="judge"]');
      await judge.locator('select[name="abnormal"]').selectOption("false");
      await judge.locator('input[name="reason"]').fill("设备故障已修复，不属窗口人员责任");
      assert.equal(await submit(page, judge), 200);
      assert.match(page.url(), /\/cases\/E2E-FB#reviews$/);
      assert.match(await page.locator("#reviews tr.review").innerText(), /不计异常/);
      assert.equal(
        await page.locator('#findings tr.finding[data-rule="9.9"]').getAttribute("data-state"),
        "dismissed",
      );
      assert.equal(
        await page.locator('#manual tr.manual[data-kind="feedback"]').getAttribute("data-open"),
        "0",
      );
      await page.goto(`${base}/queue`);
      assert.equal(await page.locator('table.queue tr[data-case="E2E-FB"]').count(), 0);

      // 5. Rankings, and the CSV export downloads with a BOM for Excel.
      await page.locator(".nav-bar nav a", { hasText: "效能排名" }).click();
      await page.waitForURL(new RegExp(`^${base}/reports`));
      const ranked = page.locator('section[data-level="department"] table.report-table tbody tr');
      assert.ok(await ranked.count() > 0, "department rankings rendered");
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.locator('section[data-level="department"] a.report-export[href*="rankings.csv"]').click(),
      ]);
      assert.match(download.suggestedFilename(), /\.csv$/);
      const bytes = await Deno.readFile(await download.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.match(new TextDecoder().decode(bytes.subarray(3)), /郑州市/);
      await page.screenshot({ path: `${OUTPUT}desk_reports.png`, fullPage: true });

      // 7. Logging out from the bar lands on the login page, and the desk pages are closed again.
      await Promise.all([page.waitForURL(`${base}/login`), page.locator(".nav-logout button").click()]);
      await page.goto(`${base}/queue`);
      assert.match(page.url(), /\/login\?next=%2Fqueue$/);

      // 6. Not one console error on any page.
      assert.deepEqual(errors, []);
    } finally {
      await h.close();
    }
  },
});
