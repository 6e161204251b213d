// The fast paths of dates.ts against the reference (Temporal and the time-zone database).
import assert from "node:assert/strict";
import { Temporal } from "temporal-polyfill";
import { dateIn, dayNumber, epochMs, isIsoDate, isoDate, shanghaiInstant } from "./dates.ts";

/** What Temporal reads an instant as: its epoch ms, or the error's kind. */
function reference(text: string): number | string {
  try {
    return Temporal.Instant.from(text).epochMilliseconds;
  } catch (err) {
    return (err as Error).name;
  }
}

function read(text: string): number | string {
  try {
    return epochMs(text);
  } catch (err) {
    return (err as Error).name;
  }
}

function random(seed: number): (n: number) => number {
  return (n) => Math.floor((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 * n);
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

Deno.test("epochMs agrees with Temporal on random instants of years 0000–9999, any offset, Z and 0–9 fraction digits", () => {
  const next = random(20241008);
  for (let i = 0; i < 5000; i++) {
    const y = next(10) < 8 ? 1990 + next(60) : next(10000);
    const text = `${pad(y, 4)}-${pad(1 + next(12))}-${pad(1 + next(31))}T${pad(next(24))}:${pad(next(60))}:${
      pad(next(60))
    }${next(3) === 0 ? "" : "." + String(next(1e9)).padStart(9, "0").slice(0, 1 + next(9))}${
      next(4) === 0 ? "Z" : `${next(2) ? "+" : "-"}${pad(next(24))}:${pad(next(60))}`
    }`;
    assert.equal(read(text), reference(text), text);
  }
});

Deno.test("epochMs reads leap days, the last millisecond of a year and instants before 1970 as Temporal does", () => {
  for (
    const text of [
      "2024-02-29T12:00:00+08:00",
      "2000-02-29T00:00:00Z",
      "1900-02-28T23:59:59.999-05:30",
      "2024-12-31T23:59:59.999+08:00",
      "1969-12-31T23:59:59.9999Z",
      "1970-01-01T00:00:00.000000001Z",
      "0000-01-01T00:00:00+23:59",
      "9999-12-31T23:59:59.999999999-23:59",
      "1991-09-15T00:00:00+08:00",
      "2024-10-08T09:30:00-00:00",
    ]
  ) assert.equal(epochMs(text), reference(text), text);
  assert.equal(epochMs("2024-02-29T00:00:00Z") - epochMs("2024-02-28T00:00:00Z"), 86_400_000);
});

Deno.test("epochMs refuses or reads every text outside the strict form exactly as Temporal does", () => {
  for (
    const text of [
      "2023-02-29T00:00:00Z",
      "1900-02-29T00:00:00Z",
      "2024-04-31T00:00:00Z",
      "2024-13-01T00:00:00Z",
      "2024-00-10T00:00:00Z",
      "2024-10-00T00:00:00Z",
      "2024-10-08T24:00:00Z",
      "2024-10-08T23:60:00Z",
      "2024-12-31T23:59:60+08:00",
      "2024-10-08T09:30:00+24:00",
      "2024-10-08T09:30:00+08:60",
      "2024-10-08T09:30:00+0800",
      "2024-10-08T09:30:00+08",
      "2024-10-08t09:30:00z",
      "2024-10-08 09:30:00Z",
      "2024-10-08T09:30:00.1234567891Z",
      "2024-10-08T09:30:00.Z",
      "2024-10-08T09:30:00,5Z",
      "2024-10-08T09:30Z",
      "2024-10-08T09:30:00",
      "2024-10-08T09:30:00Z ",
      " 2024-10-08T09:30:00Z",
      "2024-10-08T09:30:00+08:00[Asia/Shanghai]",
      "+002024-10-08T09:30:00Z",
      "-002024-10-08T09:30:00Z",
      "2024-1a-08T09:30:00Z",
      "２０２４-10-08T09:30:00Z",
      "",
      "yesterday",
    ]
  ) assert.equal(read(text), reference(text), JSON.stringify(text));
  assert.throws(() => epochMs("2023-02-29T00:00:00Z"), RangeError);
});

Deno.test("dayNumber, isoDate and isIsoDate keep their answers for every day of 1900–2100 and for bad text", () => {
  let day = dayNumber("1900-01-01");
  for (
    const d = new Date(Date.UTC(1900, 0, 1));
    d.getUTCFullYear() <= 2100;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const text = d.toISOString().slice(0, 10);
    assert.equal(dayNumber(text), day, text);
    assert.equal(isoDate(day), text);
    assert.equal(dayNumber(text), Math.round(d.getTime() / 86_400_000));
    day++;
  }
  assert.equal(isoDate(-719528), "0000-01-01");
  assert.equal(isoDate(2932896), "9999-12-31");
  for (
    const bad of ["2024-02-30", "2024-1-01", "2024-01-1 ", "2024/01/01", "２０２４-01-01", "2024-01-01\n", ""]
  ) {
    assert.equal(isIsoDate(bad), false, JSON.stringify(bad));
  }
  assert.throws(() => dayNumber("2024-02-30"), {
    name: "RangeError",
    message: "not a calendar date: 2024-02-30",
  });
  assert.throws(() => dayNumber("2024-1-01"), {
    name: "RangeError",
    message: 'not an ISO date (YYYY-MM-DD): "2024-1-01"',
  });
});

Deno.test("shanghaiInstant and dateIn agree with the time-zone database, before 1992 (DST years) and after", () => {
  const next = random(7);
  const from = Date.UTC(1985, 0, 1), to = Date.UTC(2200, 0, 1);
  for (let i = 0; i < 3000; i++) {
    const ms = from + next(to - from);
    const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO("Asia/Shanghai");
    assert.equal(
      shanghaiInstant(ms),
      z.toString({ timeZoneName: "never", fractionalSecondDigits: 0 }),
      `${ms}`,
    );
    assert.equal(dateIn(ms), z.toPlainDate().toString(), `${ms}`);
  }
  // 1991: the last summer of daylight saving time in China (UTC+09:00).
  assert.equal(shanghaiInstant(Date.UTC(1991, 6, 1, 0, 0, 0)), "1991-07-01T09:00:00+09:00");
  assert.equal(shanghaiInstant(Date.UTC(1992, 0, 1) - 1), "1992-01-01T07:59:59+08:00");
  assert.equal(shanghaiInstant(Date.UTC(9999, 11, 31, 15, 59, 59, 999)), "9999-12-31T23:59:59+08:00");
  assert.throws(() => shanghaiInstant(1.5), RangeError);
});
