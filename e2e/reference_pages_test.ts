/**
 * Reference data pages in a real browser: an administrator logs in, uploads a CSV with a bad row (every
 * problem listed by row and column, nothing imported), then a good XLSX (imported, banner), opens and
 * edits one item, and marks a holiday and an adjusted working day on the calendar's month grid, saved
 * through the API. The province's audit page then lists those changes. Screenshots in e2e/output/.
 */
import assert from "node:assert/strict";
import { createUser } from "../server/auth/users.ts";
import { toXlsx } from "../server/export/xlsx.ts";
import { COLUMNS } from "../server/reference_io/columns.ts";
import { toCsv } from "../server/reports/csv.ts";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";

const ADMIN = { username: "e2e-guanli", password: "e2e-password-2026", displayName: "管理员" };
const PROVINCE = { username: "e2e-sheng-audit", password: "e2e-password-2026", displayName: "省监察员" };
const HEADER = COLUMNS.departments.map((c) => c.header);

Deno.test({
  name:
    "admin imports departments from CSV and XLSX, edits an item, marks the calendar; province reads the audit",
  ignore: !hasChromium,
  async fn() {
    const h = await startHarness();
    try {
      const none = { departments: [], region: null, hall: null };
      await createUser(h.database.db, { ...ADMIN, role: "admin", ...none }, h.clock());
      await createUser(h.database.db, { ...PROVINCE, role: "province", ...none }, h.clock());
      const page = await h.browser.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(String(e)));
      await Deno.mkdir(OUTPUT, { recursive: true });
      const tmp = await Deno.makeTempDir({ prefix: "jct-import-" });
      const login = async (who: { username: string; password: string }, next: string) => {
        await page.goto(`${h.base}/login?next=${encodeURIComponent(next)}`);
        await page.fill("#username", who.username);
        await page.fill("#password", who.password);
        await Promise.all([page.waitForURL(`${h.base}${next}`), page.click("button[type=submit]")]);
      };

      await login(ADMIN, "/admin/reference");
      const section = page.locator("#kind-departments");
      const before = Number((await section.locator(".count").innerText()).match(/\d+/)![0]);

      // 1. A CSV with a bad row and a duplicate code: refused whole, problems by row and column.
      const bad = `${tmp}/部门.csv`;
      await Deno.writeTextFile(
        bad,
        toCsv(HEADER, [
          ["410100-E2E-1", "郑州市测试局", "410100"],
          ["410100-E2E-2", "", "410100"],
          ["410100-E2E-1", "重复的局", "410100"],
          ["410100-E2E-3", "未知区划的局", "419999"],
        ]),
      );
      await section.locator("input[type=file]").setInputFiles(bad);
      await Promise.all([page.waitForLoadState("load"), section.locator("button[type=submit]").click()]);
      const rows = page.locator("#kind-departments table.import-errors tbody tr");
      assert.equal(await rows.count(), 3);
      assert.deepEqual(
        (await rows.allInnerTexts()).map((t) => t.split("\t").slice(0, 2).join(" ")),
        ["第 3 行 部门名称", "第 4 行 部门编码", "第 5 行 所属区划"],
      );
      assert.match(await page.locator(".admin-banner").innerText(), /3 处错误，未导入任何记录/);
      await page.screenshot({ path: `${OUTPUT}reference-import-refused.png`, fullPage: true });
      assert.equal(Number((await section.locator(".count").innerText()).match(/\d+/)![0]), before);

      // 2. A good XLSX: imported, counted.
      const good = `${tmp}/部门.xlsx`;
      await Deno.writeFile(
        good,
        await toXlsx("部门", HEADER, [["410100-E2E-1", "郑州市测试局", "410100"], [
          "410100-E2E-2",
          "郑州市二局",
          "410100",
        ]]),
      );
      await section.locator("input[type=file]").setInputFiles(good);
      await Promise.all([
        page.waitForURL(/imported=departments/),
        section.locator("button[type=submit]").click(),
      ]);
      assert.match(await page.locator(".admin-banner").innerText(), /已导入部门 2 条/);
      assert.equal(Number((await section.locator(".count").innerText()).match(/\d+/)![0]), before + 2);
      await page.screenshot({ path: `${OUTPUT}reference-page.png`, fullPage: true });

      // 3. One item: open it from the list, change its promised days, save.
      await page.locator("table.item-table a", { hasText: "ZZ-SC-02" }).click();
      await page.waitForURL(/\/admin\/items\/ZZ-SC-02$/);
      await page.fill("#f-promisedDays", "30");
      await Promise.all([page.waitForLoadState("load"), page.click("form.item-form button[type=submit]")]);
      assert.match(
        await page.locator(".admin-banner").innerText(),
        /承诺时限（工作日）：promisedDays must not exceed statutoryDays|承诺时限/,
      );
      await page.fill("#f-promisedDays", "2");
      await Promise.all([page.waitForURL(/saved/), page.click("form.item-form button[type=submit]")]);
      assert.match(await page.locator(".admin-banner").innerText(), /已保存事项 ZZ-SC-02/);
      assert.equal(await page.inputValue("#f-promisedDays"), "2");
      await page.screenshot({ path: `${OUTPUT}reference-item.png`, fullPage: true });

      // 4. The calendar grid: a weekday becomes a holiday, a Sunday an adjusted working day.
      await page.goto(`${h.base}/admin/calendar/2026`);
      const grid = page.locator(".calendar-grid");
      await grid.locator('button[data-date="2026-10-09"]').waitFor();
      const friday = grid.locator('button[data-date="2026-10-09"]');
      const wasHoliday = (await friday.getAttribute("class"))!.includes("holiday");
      if (wasHoliday) await friday.click(); // → workday
      if (wasHoliday) await friday.click(); // → none
      await friday.click();
      assert.match((await friday.getAttribute("class"))!, /holiday/);
      const sunday = grid.locator('button[data-date="2026-11-15"]');
      await sunday.click();
      await sunday.click();
      assert.match((await sunday.getAttribute("class"))!, /workday/);
      await grid.locator("button.calendar-save").click();
      await grid.locator(".calendar-status.tone-ok").waitFor();
      await page.screenshot({ path: `${OUTPUT}calendar-grid.png`, fullPage: true });
      const year = await page.evaluate(async () => (await fetch("/api/v1/calendar/2026")).json());
      assert.ok(year.holidays.includes("2026-10-09"));
      assert.ok(year.workdays.includes("2026-11-15"));

      // 5. The province's audit page lists these changes and filters them.
      await page.goto(`${h.base}/logout`).catch(() => {});
      await page.context().clearCookies();
      await login(PROVINCE, "/audit?action=department.");
      const actions = await page.locator("#audit tbody tr").evaluateAll((trs) =>
        trs.map((tr) => tr.getAttribute("data-action"))
      );
      // Newest first: the import, then the world's own setup through the API.
      assert.equal(actions[0], "department.import");
      assert.ok(actions.every((a) => a?.startsWith("department.")), actions.join());
      await page.selectOption('select[name="action"]', "calendar.");
      await Promise.all([page.waitForLoadState("load"), page.click(".audit-filter button[type=submit]")]);
      assert.ok((await page.locator("#audit tbody tr").count()) >= 1);
      assert.match(await page.locator("#chain").innerText(), /审计链完整/);
      await page.screenshot({ path: `${OUTPUT}audit-page.png`, fullPage: true });
      assert.deepEqual(errors, []);
      await Deno.remove(tmp, { recursive: true });
    } finally {
      await h.close();
    }
  },
});
