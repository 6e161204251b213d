import { equal, throws } from "node:assert/strict";
import {
  addDays,
  dateIn,
  dayNumber,
  endOfDay,
  epochMs,
  isoDate,
  shanghaiInstant,
  startOfDay,
  weekday,
} from "./dates.ts";

Deno.test("dayNumber and isoDate round-trip, including leap days and century years", () => {
  equal(dayNumber("1970-01-01"), 0);
  for (const d of ["2000-02-29", "2024-02-29", "2024-12-31", "2100-03-01", "1969-12-31"]) {
    equal(isoDate(dayNumber(d)), d);
  }
  equal(dayNumber("2024-03-01") - dayNumber("2024-02-28"), 2);
  equal(dayNumber("2025-03-01") - dayNumber("2025-02-28"), 1);
});

Deno.test("dayNumber refuses text that is not a calendar date", () => {
  for (const bad of ["2025-02-29", "2024-13-01", "2024-1-01", "20241001", "2024-10-01T00:00"]) {
    throws(() => dayNumber(bad), RangeError);
  }
});

Deno.test("weekday: 2024-10-01 is a Tuesday, 2024-09-29 a Sunday", () => {
  equal(weekday(dayNumber("2024-10-01")), 2);
  equal(weekday(dayNumber("2024-09-29")), 7);
  equal(addDays("2024-12-31", 1), "2025-01-01");
});

Deno.test("dateIn reads instants in Asia/Shanghai, whatever their offset", () => {
  equal(dateIn("2024-10-07T15:59:59Z"), "2024-10-07");
  equal(dateIn("2024-10-07T16:00:00Z"), "2024-10-08");
  equal(dateIn("2024-10-08T00:00:00+08:00"), "2024-10-08");
  equal(dateIn(epochMs("2024-10-07T23:59:59.999+08:00")), "2024-10-07");
});

Deno.test("startOfDay and endOfDay bracket a Shanghai date", () => {
  equal(startOfDay("2024-10-08"), epochMs("2024-10-08T00:00:00+08:00"));
  equal(endOfDay("2024-10-08"), epochMs("2024-10-08T23:59:59.999+08:00"));
  equal(shanghaiInstant(startOfDay("2024-10-08")), "2024-10-08T00:00:00+08:00");
});

Deno.test("epochMs refuses an instant without offset", () => {
  throws(() => epochMs("2024-10-08T09:30:00"));
});
