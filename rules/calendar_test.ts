import { deepEqual, equal, throws } from "node:assert/strict";
import { BUILTIN_CALENDAR_DATA, builtinCalendar } from "./builtin_calendar.ts";
import { Calendar, type CalendarData, CalendarDataError } from "./calendar.ts";

const calendar = builtinCalendar();
const REFERENCE = new URL("../../shared/calendar/cn-official.json", import.meta.url);
const referenceExists = (() => {
  try {
    return Deno.statSync(REFERENCE).isFile;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "the built-in calendar equals the shared official reference data",
  ignore: !referenceExists,
  fn() {
    const reference = JSON.parse(Deno.readTextFileSync(REFERENCE)) as CalendarData;
    deepEqual(Object.keys(BUILTIN_CALENDAR_DATA.years).sort(), Object.keys(reference.years).sort());
    for (const [year, data] of Object.entries(reference.years)) {
      deepEqual(calendar.year(Number(year)), {
        holidays: [...data.holidays].sort(),
        workdays: [...data.workdays].sort(),
      });
    }
  },
});

Deno.test("working days per year 2019–2026 match the State Council notices", () => {
  const totals = [2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026].map((y) =>
    calendar.workdaysBetween(`${y - 1}-12-31`, `${y}-12-31`)
  );
  deepEqual(totals, [250, 249, 250, 249, 249, 251, 248, 248]);
});

Deno.test("National Day 2024: 10-01..07 off, Sunday 09-29 and Saturday 10-12 are working days", () => {
  const days = [
    "2024-09-28",
    "2024-09-29",
    "2024-09-30",
    "2024-10-01",
    "2024-10-04",
    "2024-10-07",
    "2024-10-08",
  ];
  deepEqual(days.map((d) => calendar.isWorkday(d)), [false, true, true, false, false, false, true]);
  deepEqual(["2024-10-12", "2024-10-13"].map((d) => calendar.isWorkday(d)), [true, false]);
  equal(calendar.addWorkdays("2024-09-27", 1), "2024-09-29");
  equal(calendar.addWorkdays("2024-09-30", 1), "2024-10-08");
  equal(calendar.addWorkdays("2024-10-03", 1), "2024-10-08");
  equal(calendar.addWorkdays("2024-10-11", 1), "2024-10-12");
  equal(calendar.workdaysBetween("2024-09-27", "2024-10-08"), 3);
});

Deno.test("Spring Festival 2025: 01-28..02-04 off, Sunday 01-26 and Saturday 02-08 are working days", () => {
  const days = [
    "2025-01-25",
    "2025-01-26",
    "2025-01-27",
    "2025-01-28",
    "2025-02-04",
    "2025-02-05",
    "2025-02-08",
  ];
  deepEqual(days.map((d) => calendar.isWorkday(d)), [false, true, true, false, false, true, true]);
  equal(calendar.addWorkdays("2025-01-27", 1), "2025-02-05");
  equal(calendar.addWorkdays("2025-02-07", 1), "2025-02-08");
});

Deno.test("addWorkdays counts strictly after the date, backwards for negative k, and k = 0 is the date", () => {
  equal(calendar.addWorkdays("2024-10-05", 2), "2024-10-09");
  equal(calendar.addWorkdays("2024-10-08", -1), "2024-09-30");
  equal(calendar.addWorkdays("2024-10-05", -1), "2024-09-30");
  equal(calendar.addWorkdays("2024-09-30", -1), "2024-09-29");
  equal(calendar.addWorkdays("2024-10-05", 0), "2024-10-05");
  equal(calendar.workdaysBetween("2024-10-10", "2024-10-08"), 0);
});

Deno.test("ordinal and dateOfOrdinal are inverse on working days and monotone over days off", () => {
  const o = calendar.ordinal("2024-09-30");
  deepEqual(["2024-10-01", "2024-10-07"].map((d) => calendar.ordinal(d)), [o, o]);
  equal(calendar.dateOfOrdinal(o), "2024-09-30");
  equal(calendar.dateOfOrdinal(o + 1), "2024-10-08");
});

Deno.test("2027 has no notice: missingYears reports it and its dates fall back to Monday–Friday", () => {
  deepEqual(calendar.missingYears("2026-12-01", "2027-01-10"), [2027]);
  deepEqual(calendar.missingYears("2024-01-01", "2026-12-31"), []);
  // 2027-01-01 is a Friday: without a notice it counts as a working day (New Year is not assumed).
  equal(calendar.isWorkday("2027-01-01"), true);
  equal(calendar.isWorkday("2027-01-02"), false);
  equal(calendar.workdaysBetween("2026-12-31", "2027-12-31"), 261);
});

Deno.test("an administrator's year replaces the fallback; malformed data is refused naming the field", () => {
  const custom = new Calendar({ years: { "2027": { holidays: ["2027-01-01"], workdays: [] } } });
  deepEqual(custom.missingYears("2027-01-01", "2027-12-31"), []);
  equal(custom.isWorkday("2027-01-01"), false);
  throws(
    () => new Calendar({ years: { "2027": { holidays: ["2026-12-31"], workdays: [] } } }),
    (e: unknown) => e instanceof CalendarDataError && e.message.includes("2027.holidays"),
  );
  throws(() => new Calendar({ years: { "27": { holidays: [], workdays: [] } } }), CalendarDataError);
});
