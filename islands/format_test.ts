import assert from "node:assert/strict";
import {
  formatCount,
  formatDate,
  formatTime,
  formatTotal,
  shanghaiDate,
  shortDepartmentName,
} from "./format.ts";

// 2024-10-16T17:30:05Z is 01:30:05 on 17 October in Shanghai.
const ms = Date.UTC(2024, 9, 16, 17, 30, 5);

Deno.test("formatTime() and shanghaiDate() show Shanghai time whatever the machine's zone", () => {
  assert.equal(formatTime(ms), "01:30:05");
  assert.equal(shanghaiDate(ms), "2024-10-17");
});

Deno.test("formatDate() names the day in Chinese", () => {
  assert.equal(formatDate(ms), "2024年10月17日星期四");
});

Deno.test("formatTotal() marks a total that stopped at its cap as a floor", () => {
  assert.equal(formatTotal(10_000, true), "10,000+");
  assert.equal(formatTotal(9_999, false), "9,999");
  assert.equal(formatTotal(0, false), "0");
});

Deno.test("formatCount() shows a dash until figures arrive", () => {
  assert.equal(formatCount(null), "—");
  assert.equal(formatCount(12345), "12,345");
});

Deno.test("shortDepartmentName() drops the hall's region from the front of a department's name", () => {
  assert.equal(shortDepartmentName("郑州市公安局", "郑州市"), "公安局");
  assert.equal(shortDepartmentName("郑州市金水区市场监管局", "郑州市 金水区"), "市场监管局");
  assert.equal(shortDepartmentName("河南省公安厅", "郑州市"), "河南省公安厅");
  assert.equal(shortDepartmentName("郑州市局", "郑州市"), "郑州市局", "too short a remainder is kept whole");
  assert.equal(shortDepartmentName("公安局", null), "公安局");
});
