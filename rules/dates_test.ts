import assert from "node:assert/strict";
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

Deno.test("dateIn(), startOfDay() and epochMs() agree with the time-zone database (fast path since 1992)", async () => {
  const { Temporal } = await import("temporal-polyfill");
  const { dateIn, epochMs, startOfDay, dayNumber, isoDate } = await import("./dates.ts");
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < 2000; i++) {
    const ms = Math.floor(Date.UTC(1985, 0, 1) + next() * (Date.UTC(2099, 11, 31) - Date.UTC(1985, 0, 1)));
    const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO("Asia/Shanghai");
    assert.equal(dateIn(ms), z.toPlainDate().toString(), `dateIn(${ms})`);
    const text = z.toString({ timeZoneName: "never" });
    assert.equal(epochMs(text), ms, text);
    assert.equal(dateIn(text), z.toPlainDate().toString());
    const day = isoDate(dayNumber(z.toPlainDate().toString()));
    assert.equal(
      startOfDay(day),
      Temporal.PlainDate.from(day).toZonedDateTime("Asia/Shanghai").epochMilliseconds,
    );
  }
  assert.equal(epochMs("2024-09-02T09:00:00.5Z"), Date.UTC(2024, 8, 2, 9, 0, 0, 500));
  assert.equal(
    epochMs("2024-12-31T23:59:60+08:00"),
    Temporal.Instant.from("2024-12-31T23:59:60+08:00").epochMilliseconds,
  );
  assert.throws(() => epochMs("2024-09-02T09:00:00"));
});
