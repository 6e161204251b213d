/**
 * The supervision agency's flows in a real browser: a province supervisor draws a spot check with a
 * fixed seed, records a nonconforming result and opens a supervision order from it (confirming);
 * the department's staff sees the order on its desk and replies (confirming); the supervisor accepts
 * it (confirming) and the order is closed. Leaves screenshots in e2e/output/supervision-*.png.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dateIn } from "../rules/dates.ts";
import { createUser } from "../server/auth/users.ts";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";
import { feedbackEvents, worldEvents } from "./world.ts";

const PASSWORD = "e2e-password-2026";
const SUPERVISOR = { username: "e2e-sv", displayName: "省政务服务监察处", role: "province" as const };
const STAFF = { username: "e2e-sc", displayName: "郑州市市场监督管理局窗口", role: "department" as const };

async function login(page: Page, base: string, username: string, path: string) {
  await page.goto(`${base}${path}`);
  await page.fill("#username", username);
  await page.fill("#password", PASSWORD);
  await Promise.all([page.waitForURL(`${base}${path}`), page.click("button[type=submit]")]);
}

async function logout(page: Page) {
  await Promise.all([page.waitForNavigation(), page.click(".nav-logout button")]);
}

/** Click a submit button and wait for the page the post leads to. */
async function post(page: Page, selector: string): Promise<number | undefined> {
  const [res] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
  return res?.status();
}

Deno.test({
  name: "spot check → nonconforming → order; the department replies; the supervisor accepts",
  ignore: !hasChromium,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const h = await startHarness();
    const { database, base, browser, ingestKey, evaluationKey } = h;
    try {
      const now = h.clock();
      const none = { departments: [], region: null, hall: null };
      await createUser(database.db, { ...SUPERVISOR, password: PASSWORD, ...none }, now);
      await createUser(
        database.db,
        { ...STAFF, password: PASSWORD, ...none, departments: ["410100-SCJGJ"] },
        now,
      );
      // The department system pushes the cases, the evaluation platform the evaluations.
      const all = [...worldEvents(now), ...feedbackEvents(now, "E2E-Q99")] as { type: string }[];
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
      await Deno.mkdir(OUTPUT, { recursive: true });
      const page = browser.pages()[0] ?? await browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
      page.on("response", (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));

      // 1. The supervisor draws a spot check of 郑州市场监管's cases of the last month, seed "e2e".
      await login(page, base, SUPERVISOR.username, "/spot-checks");
      await page.selectOption("select[name=department]", "410100-SCJGJ");
      const today = dateIn(now);
      await page.fill("input[name=from]", dateIn(now - 40 * 86_400_000));
      await page.fill("input[name=to]", today);
      await page.fill("input[name=size]", "2");
      await page.fill("input[name=seed]", "e2e");
      assert.equal(await post(page, "#draw-form button"), 200);
      assert.match(await page.locator(".notice-ok").innerText(), /已抽取 2 件，种子 e2e/);
      const rows = page.locator("#sample tbody tr");
      assert.equal(await rows.count(), 2);
      const caseId = (await rows.first().getAttribute("data-case"))!;

      // 2. A nonconforming result without a note is refused, then recorded with one.
      const first = rows.first();
      await first.locator("select[name=result]").selectOption("nonconforming");
      assert.equal(await post(page, `#sample tr[data-case="${caseId}"] .result-form button`), 400);
      assert.match(await page.locator(".notice-error").innerText(), /note/);
      await page.locator(`#sample tr[data-case="${caseId}"] select[name=result]`).selectOption(
        "nonconforming",
      );
      await page.locator(`#sample tr[data-case="${caseId}"] input[name=note]`).fill(
        "受理材料缺少营业执照复印件",
      );
      assert.equal(await post(page, `#sample tr[data-case="${caseId}"] .result-form button`), 200);
      assert.match(await page.locator(".notice-ok").innerText(), /不合格/);
      assert.equal(await page.locator("#summary [data-nonconforming]").innerText(), "1");
      await page.screenshot({ path: `${OUTPUT}supervision-1-spot-check.png`, fullPage: true });

      // 3. An order from the result: the form, the confirmation, the order page.
      await post(page, `#sample tr[data-case="${caseId}"] a.order-link`);
      await page.fill("#order-form textarea[name=text]", "请核查受理材料并说明原因");
      await page.fill("#order-form input[name=days]", "3");
      assert.equal(await post(page, "#order-form button"), 200);
      assert.match(await page.locator(".confirm-box").innerText(), /省政务服务监察处（e2e-sv）/);
      await page.screenshot({ path: `${OUTPUT}supervision-2-confirm.png`, fullPage: true });
      assert.equal(await post(page, "#confirm-form button"), 200);
      assert.match(await page.locator(".notice-ok").innerText(), /已下达督办第 \d+ 号/);
      assert.equal(await page.locator("h1 .state").getAttribute("data-state"), "open");
      const orderUrl = page.url().split("?")[0];
      await logout(page);

      // 4. The department sees it on its desk and replies.
      await login(page, base, STAFF.username, "/orders");
      assert.equal(await page.locator("a[href='/orders'][aria-current=page]").count(), 1, "督办 in the nav");
      const row = page.locator("table.orders tbody tr");
      assert.equal(await row.count(), 1);
      await post(page, "table.orders tbody tr a[href^='/orders/']");
      await page.fill("#reply textarea[name=text]", "已补齐营业执照复印件并对窗口人员进行培训");
      assert.equal(await post(page, "#reply button"), 200);
      assert.match(await page.locator(".confirm-box").innerText(), /郑州市市场监督管理局窗口（e2e-sc）/);
      assert.equal(await post(page, "#confirm-form button"), 200);
      assert.match(await page.locator(".notice-ok").innerText(), /已提交整改反馈/);
      assert.equal(await page.locator("h1 .state").getAttribute("data-state"), "replied");
      await page.screenshot({ path: `${OUTPUT}supervision-3-replied.png`, fullPage: true });
      await logout(page);

      // 5. The supervisor accepts.
      await login(page, base, SUPERVISOR.username, new URL(orderUrl).pathname);
      await page.fill("#accept-form textarea[name=text]", "整改到位");
      assert.equal(await post(page, "#accept-form button"), 200);
      assert.equal(await post(page, "#confirm-form button"), 200);
      assert.match(await page.locator(".notice-ok").innerText(), /已验收办结/);
      assert.equal(await page.locator("h1 .state").getAttribute("data-state"), "closed");
      const steps = await page.locator("#steps li").evaluateAll((els) =>
        els.map((e) => e.getAttribute("data-action"))
      );
      assert.deepEqual(steps, ["issued", "replied", "accepted"]);
      await page.screenshot({ path: `${OUTPUT}supervision-4-closed.png`, fullPage: true });

      // 6. The case page lists the order.
      await page.goto(`${base}/cases/${encodeURIComponent(caseId)}`);
      assert.equal(await page.locator("#orders tbody tr").count(), 1);

      // 7. The queue: the 9.9 item selected, judged not abnormal with a reason, confirmed; it leaves.
      await page.goto(`${base}/queue?kind=feedback`);
      const item = page.locator('table.queue tr[data-case="E2E-Q99"]');
      assert.equal(await item.count(), 1);
      await item.locator('input[name="items"]').check();
      await page.selectOption('#bulk select[name="action"]', "judge_normal");
      await page.fill('#bulk input[name="reason"]', "取号机故障已修复，不属窗口人员责任");
      await page.screenshot({ path: `${OUTPUT}supervision-5-queue.png`, fullPage: true });
      assert.equal(await post(page, "#bulk button.primary"), 200);
      assert.match(await page.locator(".confirm-box").innerText(), /E2E-Q99（9\.9）/);
      assert.equal(await post(page, "#confirm-form button"), 200);
      assert.match(
        await page.locator(".notice-ok").innerText(),
        /已处理 1 项（研判：不计异常），记录人 省政务服务监察处（e2e-sv）/,
      );
      assert.equal(await page.locator('table.queue tr[data-case="E2E-Q99"]').count(), 0);
      await page.screenshot({ path: `${OUTPUT}supervision-6-queue-done.png`, fullPage: true });
      assert.deepEqual(errors, []);
    } finally {
      await h.close();
    }
  },
});
