import { describe, expect, it } from "vitest";
import { calendarDate, localDate } from "../../../../console/src/state/dates.ts";

describe("dates for people", () => {
  it("a holiday reads as its own day in English and Urdu, never as an ISO string", () => {
    expect(calendarDate("2026-12-25", "en")).toBe("25 December 2026");
    const urdu = calendarDate("2026-12-25", "ur");
    expect(urdu).toContain("دسمبر");
    expect(urdu).toContain("25");
    expect(urdu).toContain("2026");
    expect(urdu).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // The first of the month stays the first, wherever the browser is (no UTC-midnight slip).
    expect(calendarDate("2027-01-01", "en")).toBe("1 January 2027");
  });

  it("leaves text that is not a YYYY-MM-DD day as it is", () => {
    expect(calendarDate("soon", "en")).toBe("soon");
  });

  it("a certificate's end reads as a date", () => {
    // The day it falls on in the browser's time zone: local noon on 15 June is 15 June.
    expect(localDate(new Date(2026, 5, 15, 12).getTime(), "en")).toBe("15 June 2026");
  });
});
