/**
 * The supervision agency's flows in a real browser: a province supervisor draws a spot check with a
 * fixed seed, records a nonconforming result and opens a supervision order from it (confirming);
 * the department's staff sees the order on its desk and replies (confirming); the supervisor accepts
 * it (confirming) and the order is closed. Then the queue on a phone (390 px) as a city supervisor:
 * a bulk confirmation of 8.2a warnings with one reason, a void, an assignment with a deadline, and a
 * data conflict resolved — each confirmed first, each answered with a success message naming the
 * office. Leaves screenshots in e2e/output/supervision-*.png.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { dateIn } from "../rules/dates.ts";
import { createApiKey } from "../server/auth/api_keys.ts";
import { createUser } from "../server/auth/users.ts";
import { browserTest as harnessTest, type Harness, OUTPUT } from "./harness.ts";
import { feedbackEvents, receivedAtHall, shanghai, worldEvents } from "./world.ts";

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

/**
 * A browser test: the harness and its page, watched for page errors and 5xx answers (none may
 * happen), the screenshots' folder; everything closed after.
 */
function browserTest(name: string, fn: (h: Harness, page: Page, now: number) => Promise<void>): void {
  harnessTest(name, async (h) => {
    await Deno.mkdir(OUTPUT, { recursive: true });
    const page = h.browser.pages()[0] ?? await h.browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e}`));
    page.on("response", (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));
    await fn(h, page, h.clock());
    assert.deepEqual(errors, []);
  });
}

/** POST events with a sender's API key; they must all be stored. */
async function push(base: string, key: string, events: readonly unknown[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
  assert.equal(res.status, 200, await res.text());
}

browserTest(
  "spot check → nonconforming → order; the department replies; the supervisor accepts",
  async (h, page, now) => {
    const { database, base, ingestKey, evaluationKey } = h;
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
    await push(base, ingestKey, all.filter((e) => !rated(e)));
    await push(base, evaluationKey, all.filter(rated));

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
    assert.match(await page.locator(".notice-ok").innerText(), /不合格，检查人 省政务服务监察处（e2e-sv）/);
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
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已下达督办第 \d+ 号.*记录人 省政务服务监察处（e2e-sv）/,
    );
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
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已提交整改反馈.*记录人 郑州市市场监督管理局窗口（e2e-sc）/,
    );
    assert.equal(await page.locator("h1 .state").getAttribute("data-state"), "replied");
    await page.screenshot({ path: `${OUTPUT}supervision-3-replied.png`, fullPage: true });
    await logout(page);

    // 5. The supervisor accepts.
    await login(page, base, SUPERVISOR.username, new URL(orderUrl).pathname);
    await page.fill("#accept-form textarea[name=text]", "整改到位");
    assert.equal(await post(page, "#accept-form button"), 200);
    assert.equal(await post(page, "#confirm-form button"), 200);
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已验收办结，记录人 省政务服务监察处（e2e-sv）/,
    );
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
  },
);

const CITY = { username: "e2e-zz", displayName: "郑州市政务服务监察科", role: "region" as const };
const DAY = 86_400_000;

/** Case `c` of 郑州市场监管, received 20 days ago, its correction notice 4 days ago: an 8.2a warning. */
function lateNotice(now: number, c: string): unknown[] {
  return [
    receivedAtHall(c, now - 20 * DAY, "ZZ-SC-02", { name: "陈静", contact: "13800138003" }),
    {
      id: `${c}-n`,
      case: c,
      type: "correction_requested",
      at: shanghai(now - 4 * DAY),
      materials: ["申请书"],
    },
  ];
}

browserTest(
  "the queue on a phone: bulk confirm, void, assignment and a data conflict, each confirmed and reported",
  async (h, page, now) => {
    const { database, base, ingestKey, evaluationKey } = h;
    const none = { departments: [], region: null, hall: null };
    await createUser(database.db, { ...CITY, password: PASSWORD, ...none, region: "410100" }, now);
    // A second department system (郑州市公安局) claims case E2E-DC1 after 市场监管 did.
    const ga = await createUser(database.db, {
      username: "e2e-ga",
      displayName: "郑州市公安局业务系统",
      role: "ingest",
      ...none,
      departments: ["410100-GAJ"],
    }, now);
    const gaKey = (await createApiKey(database.db, { userId: ga.id, name: "e2e", createdBy: "e2e" })).key;
    const claim = (id: string, item: string) =>
      receivedAtHall("E2E-DC1", now - 2 * DAY, item, { name: "赵磊", contact: "13800138004" }, id);
    for (
      const [key, events] of [
        [ingestKey, [
          ...lateNotice(now, "E2E-K1"),
          ...lateNotice(now, "E2E-K2"),
          ...lateNotice(now, "E2E-K3"),
        ]],
        [
          ingestKey,
          feedbackEvents(now, "E2E-Q98").filter((e) => (e as { type: string }).type !== "evaluation"),
        ],
        [
          evaluationKey,
          feedbackEvents(now, "E2E-Q98").filter((e) => (e as { type: string }).type === "evaluation"),
        ],
        [ingestKey, [claim("E2E-DC1-sc", "ZZ-SC-02")]],
        [gaKey, [claim("E2E-DC1-ga", "ZZ-GA-01")]],
      ] as const
    ) await push(base, key, events);
    await page.setViewportSize({ width: 390, height: 844 });
    const noSideways = async (what: string) =>
      assert.ok(
        await page.evaluate(() => document.querySelector("main")!.scrollWidth <= innerWidth),
        `${what}: the page's main part does not scroll sideways at 390 px`,
      );
    await login(page, base, CITY.username, "/queue");
    await noSideways("queue");

    // 1. Bulk: two 8.2a warnings and a 9.9 item selected, "confirm as valid" with one reason.
    for (const c of ["E2E-K1", "E2E-K2", "E2E-Q98"]) {
      await page.locator(`table.queue tr[data-case="${c}"] input[name="items"]`).check();
    }
    await page.selectOption('#bulk select[name="action"]', "confirm");
    await page.fill('#bulk input[name="reason"]', "经核查确属未在 5 个工作日内一次性告知");
    await page.screenshot({ path: `${OUTPUT}supervision-7-phone-queue.png`, fullPage: false });
    assert.equal(await post(page, "#bulk button.primary"), 200);
    const confirm = await page.locator(".confirm-box").innerText();
    assert.match(confirm, /E2E-K1（8\.2a）、E2E-K2（8\.2a）/);
    assert.match(confirm, /不适用，保持不变\s*1 项/);
    assert.match(confirm, /郑州市政务服务监察科（e2e-zz）/);
    await noSideways("confirmation");
    await page.screenshot({ path: `${OUTPUT}supervision-8-phone-confirm.png`, fullPage: true });
    assert.equal(await post(page, "#confirm-form button"), 200);
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已处理 2 项（确认预警有效），记录人 郑州市政务服务监察科（e2e-zz）；1 项不适用，保持不变/,
    );
    assert.equal(await page.locator('table.queue tr[data-case="E2E-K1"]').count(), 0);
    assert.equal(await page.locator('table.queue tr[data-case="E2E-Q98"]').count(), 1);

    // 2. A void of the third, with its reason.
    await page.locator('table.queue tr[data-case="E2E-K3"] input[name="items"]').check();
    await page.selectOption('#bulk select[name="action"]', "void");
    await page.fill('#bulk input[name="reason"]', "补正告知日期系录入错误");
    assert.equal(await post(page, "#bulk button.primary"), 200);
    assert.equal(await post(page, "#confirm-form button"), 200);
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已处理 1 项（作废预警），记录人 郑州市政务服务监察科/,
    );

    // 3. The 9.9 item assigned to the supervisor with a review deadline; "mine" lists it.
    await page.locator('table.queue tr[data-case="E2E-Q98"] input[name="items"]').check();
    await page.selectOption('#bulk select[name="assignee"]', CITY.username);
    const due = dateIn(now + 3 * DAY);
    await page.fill('#bulk input[name="dueOn"]', due);
    assert.equal(await post(page, "#assign-button"), 200);
    assert.match(await page.locator(".notice-ok").innerText(), /已更新 1 项的承办人\/审核期限/);
    await page.goto(`${base}/queue?assignee=${CITY.username}`);
    const mine = page.locator('table.queue tr[data-case="E2E-Q98"]');
    assert.equal(await mine.count(), 1);
    assert.equal(await mine.locator("td[data-due]").getAttribute("data-due"), due);

    // 4. The data conflict: the claimants, the decision for 公安局, confirmed, the case moves.
    await page.goto(`${base}/queue?kind=data_conflict`);
    await post(page, 'table.queue tr[data-case="E2E-DC1"] a.resolve-conflict');
    assert.equal(await page.locator("#resolve-form tr[data-sender]").count(), 2);
    await noSideways("conflict");
    await page.locator('#resolve-form tr[data-sender="e2e-ga"] input[type=radio]').check();
    await page.fill('#resolve-form input[name="reason"]', "经核实该办件由市公安局受理");
    await page.screenshot({ path: `${OUTPUT}supervision-9-phone-conflict.png`, fullPage: true });
    assert.equal(await post(page, "#resolve-form button"), 200);
    assert.match(await page.locator(".confirm-box").innerText(), /合法报送方\s*e2e-ga（郑州市公安局）/);
    assert.equal(await post(page, "#confirm-form button"), 200);
    assert.match(
      await page.locator(".notice-ok").innerText(),
      /已裁定 E2E-DC1 属于报送方 e2e-ga：放行 1 条，暂存其他报送方 1 条，记录人 郑州市政务服务监察科（e2e-zz）/,
    );
    assert.equal(await page.locator('table.queue tr[data-kind="data_conflict"]').count(), 0);
    await page.screenshot({ path: `${OUTPUT}supervision-10-phone-resolved.png`, fullPage: false });
    await page.goto(`${base}/cases/E2E-DC1`);
    assert.match(await page.locator("main").innerText(), /郑州市公安局/);
  },
);
