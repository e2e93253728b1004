import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseFormSubmission } from "~/validation/form";
import { dateRangeSchema, rangeBounds, zonedDateString, zonedDayStart } from "./date-range";

const HOUR_MS = 3_600_000;

describe("zonedDayStart", () => {
  it("puts Seoul's midnight at 15:00 UTC the day before", () => {
    expect(zonedDayStart("2024-03-01", "Asia/Seoul").toISOString()).toBe("2024-02-29T15:00:00.000Z");
    expect(zonedDayStart("2025-01-01", "Asia/Seoul").toISOString()).toBe("2024-12-31T15:00:00.000Z");
  });

  it("follows New York's offset on either side of the March change, which makes that day 23 hours long", () => {
    const dayOfChange = zonedDayStart("2024-03-10", "America/New_York");
    const dayAfter = zonedDayStart("2024-03-11", "America/New_York");
    expect(dayOfChange.toISOString()).toBe("2024-03-10T05:00:00.000Z");
    expect(dayAfter.toISOString()).toBe("2024-03-11T04:00:00.000Z");
    expect(dayAfter.getTime() - dayOfChange.getTime()).toBe(23 * HOUR_MS);
  });

  it("makes New York's November change day 25 hours long", () => {
    const dayOfChange = zonedDayStart("2024-11-03", "America/New_York");
    expect(dayOfChange.toISOString()).toBe("2024-11-03T04:00:00.000Z");
    expect(zonedDayStart("2024-11-04", "America/New_York").getTime() - dayOfChange.getTime()).toBe(25 * HOUR_MS);
  });

  it("starts a day at the jump where clocks skip midnight, and at the second midnight where they fall back over it", () => {
    // Chile moved from UTC-4 to UTC-3 at 00:00 on 8 September 2024 and back at 00:00 (UTC-3) on 7 April 2024.
    expect(zonedDayStart("2024-09-08", "America/Santiago").toISOString()).toBe("2024-09-08T04:00:00.000Z");
    expect(zonedDayStart("2024-04-07", "America/Santiago").toISOString()).toBe("2024-04-07T04:00:00.000Z");
    expect(zonedDayStart("2024-04-06", "America/Santiago").toISOString()).toBe("2024-04-06T03:00:00.000Z");
  });

  it("returns the first instant of the day in any zone: on the day itself, while the millisecond before is not", () => {
    const zones = [
      "Asia/Seoul",
      "America/New_York",
      "America/Santiago",
      "America/Havana",
      "Europe/London",
      "Australia/Lord_Howe",
      "Asia/Kathmandu",
      "Pacific/Chatham",
    ];
    const days = fc
      .date({ min: new Date("1990-01-01T00:00:00Z"), max: new Date("2040-12-31T00:00:00Z"), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(
      fc.property(days, fc.constantFrom(...zones), (day, zone) => {
        const start = zonedDayStart(day, zone);
        expect(zonedDateString(start, zone)).toBe(day);
        expect(zonedDateString(new Date(start.getTime() - 1), zone) < day).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("zonedDateString", () => {
  it("reads the calendar day in the zone, not in UTC", () => {
    expect(zonedDateString(new Date("2024-02-29T15:00:00Z"), "Asia/Seoul")).toBe("2024-03-01");
    expect(zonedDateString(new Date("2024-02-29T14:59:59.999Z"), "Asia/Seoul")).toBe("2024-02-29");
    expect(zonedDateString(new Date("2024-03-10T04:59:59.999Z"), "America/New_York")).toBe("2024-03-09");
  });
});

describe("rangeBounds", () => {
  const now = new Date("2024-06-15T16:00:00Z"); // 01:00 on 16 June in Seoul, noon on 15 June in New York

  it("ends with today and starts 30 days before it when neither day is given", () => {
    expect(rangeBounds({}, "Asia/Seoul", now)).toEqual({
      start: new Date("2024-05-16T15:00:00Z"),
      end: new Date("2024-06-16T15:00:00Z"),
    });
    expect(rangeBounds({}, "America/New_York", now)).toEqual({
      start: new Date("2024-05-16T04:00:00Z"),
      end: new Date("2024-06-16T04:00:00Z"),
    });
  });

  it("ends at the start of the day after `to`", () => {
    expect(rangeBounds({ from: "2024-03-01", to: "2024-03-31" }, "Asia/Seoul", now)).toEqual({
      start: new Date("2024-02-29T15:00:00Z"),
      end: new Date("2024-03-31T15:00:00Z"),
    });
  });

  it("covers a single day when from and to are the same, 23 hours on New York's March change", () => {
    const { start, end } = rangeBounds({ from: "2024-03-10", to: "2024-03-10" }, "America/New_York", now);
    expect(start.toISOString()).toBe("2024-03-10T05:00:00.000Z");
    expect(end.toISOString()).toBe("2024-03-11T04:00:00.000Z");
  });

  it("starts 30 days before a given `to`, and ends with today after a lone `from`", () => {
    expect(rangeBounds({ to: "2024-03-31" }, "Asia/Seoul", now).start).toEqual(new Date("2024-02-29T15:00:00Z"));
    expect(rangeBounds({ from: "2024-06-01" }, "Asia/Seoul", now)).toEqual({
      start: new Date("2024-05-31T15:00:00Z"),
      end: new Date("2024-06-16T15:00:00Z"),
    });
  });
});

describe("dateRangeSchema", () => {
  it("takes calendar days, and empty fields as absent", () => {
    expect(dateRangeSchema.parse({ from: "2024-02-29", to: "2024-03-01" })).toEqual({
      from: "2024-02-29",
      to: "2024-03-01",
    });
    expect(dateRangeSchema.parse({ from: "", to: "" })).toEqual({});
    expect(dateRangeSchema.parse({ from: "2024-05-01", to: "2024-05-01" })).toEqual({
      from: "2024-05-01",
      to: "2024-05-01",
    });
  });

  it.each(["2023-02-29", "2024-13-01", "2024-3-1", "20240301", "2024-03-01T00:00", "0050-01-01", "9999-12-31"])("refuses %s", (day) => {
    const result = dateRangeSchema.safeParse({ from: day });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(["admin:dateRange.dateInvalid"]);
  });

  it("refuses a start after the end, on the start field of the posted form", () => {
    const formData = new FormData();
    formData.set("from", "2024-05-02");
    formData.set("to", "2024-05-01");
    const submission = parseFormSubmission(formData, dateRangeSchema);
    expect(submission.status).toBe("error");
    expect(submission.reply().error).toEqual({ from: ["admin:dateRange.fromAfterTo"] });
  });
});
