/**
 * The API docs page in a real browser: Swagger UI loads from the product itself under the
 * Content-Security-Policy (no CDN, no inline script), reads /api/v1/openapi.json and lists the
 * operations with their Chinese summaries. Leaves e2e/output/api-docs.png.
 */
import assert from "node:assert/strict";
import { hasChromium, OUTPUT, startHarness } from "./harness.ts";

Deno.test({
  name: "the API docs page shows every operation group, offline and under the CSP",
  ignore: !hasChromium,
  async fn() {
    const h = await startHarness();
    try {
      const page = await h.browser.newPage();
      const problems: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error") problems.push(m.text());
      });
      page.on("pageerror", (e) => problems.push(e.message));
      const outside: string[] = [];
      page.on("request", (r) => {
        if (!r.url().startsWith(h.base) && !r.url().startsWith("data:")) outside.push(r.url());
      });
      await page.goto(`${h.base}/api/docs`);
      await page.locator(".opblock-tag").first().waitFor({ timeout: 20_000 });
      const tags = await page.locator(".opblock-tag").allInnerTexts();
      for (const tag of ["接入 Ingestion", "办件 Cases", "基础数据 Reference data", "管理 Administration"]) {
        assert.ok(tags.some((t) => t.includes(tag)), `group ${tag} in ${tags.join(" | ")}`);
      }
      await page.locator(".opblock-summary-description", { hasText: "推送一批办件事件" }).first().waitFor();
      await Deno.mkdir(OUTPUT, { recursive: true });
      await page.locator("#operations-接入_Ingestion-postEvents").click().catch(() => {});
      await page.screenshot({ path: `${OUTPUT}api-docs.png`, fullPage: false });
      assert.deepEqual(outside, [], "no request leaves the product");
      assert.deepEqual(problems, [], "no console errors (a CSP violation would be one)");
    } finally {
      await h.close();
    }
  },
});
