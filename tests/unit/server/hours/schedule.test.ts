import * as v from "valibot";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCHEDULE,
  HolidaySchema,
  isValidTimeZone,
  minutesOf,
  WeeklyScheduleSchema,
} from "../../../../server/hours/schedule.ts";

describe("schedule schema", () => {
  it("accepts the default schedule and 24:00 as a closing time", () => {
    expect(v.safeParse(WeeklyScheduleSchema, DEFAULT_SCHEDULE).success).toBe(true);
    const late = [[{ open: "18:00", close: "24:00" }], [], [], [], [], [], []];
    expect(v.safeParse(WeeklyScheduleSchema, late).success).toBe(true);
    expect(minutesOf("24:00")).toBe(1440);
  });

  it("rejects malformed, reversed, or wrongly sized schedules", () => {
    const bad = [
      [[{ open: "17:00", close: "09:00" }], [], [], [], [], [], []],
      [[{ open: "9:00", close: "17:00" }], [], [], [], [], [], []],
      [[{ open: "09:00", close: "24:30" }], [], [], [], [], [], []],
      [[], [], [], [], [], []],
      [[{ open: "09:00", close: "17:00", extra: 1 }], [], [], [], [], [], []],
    ];
    for (const schedule of bad) expect(v.safeParse(WeeklyScheduleSchema, schedule).success).toBe(false);
  });

  it("checks holiday dates and time zones", () => {
    expect(v.safeParse(HolidaySchema, { date: "2026-02-29", label: "x" }).success).toBe(false);
    expect(v.safeParse(HolidaySchema, { date: "2028-02-29", label: "leap" }).success).toBe(true);
    expect(isValidTimeZone("Asia/Karachi")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });
});
