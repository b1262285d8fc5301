import { describe, expect, it } from "vitest";
import { isOpenAt, nextClosing, nextOpening, openingStatus } from "../../../../server/hours/opening-hours.ts";
import { DEFAULT_SCHEDULE, type WeeklySchedule } from "../../../../server/hours/schedule.ts";

const KARACHI = "Asia/Karachi"; // UTC+5, no daylight saving
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Local Karachi wall time as an instant. */
const pk = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h - 5, mi);

describe("opening hours", () => {
  it("is open 09:00-17:00 Karachi time by default, closing exactly at 17:00", () => {
    expect(isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, pk(2026, 11, 28, 8, 59))).toBe(false);
    expect(isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, pk(2026, 11, 28, 9, 0))).toBe(true);
    expect(isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, pk(2026, 11, 28, 16, 59))).toBe(true);
    expect(isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, pk(2026, 11, 28, 17, 0))).toBe(false);
    // 04:30 UTC is 09:30 in Karachi but 04:30 in London: the zone decides.
    expect(isOpenAt(DEFAULT_SCHEDULE, [], "Europe/London", pk(2026, 11, 28, 9, 30))).toBe(false);
  });

  it("stays closed all local day on a holiday, and the next opening skips it", () => {
    const holidays = [{ date: "2026-12-25", label: "Quaid-e-Azam Day" }];
    expect(isOpenAt(DEFAULT_SCHEDULE, holidays, KARACHI, pk(2026, 12, 25, 12))).toBe(false);
    expect(isOpenAt(DEFAULT_SCHEDULE, holidays, KARACHI, pk(2026, 12, 24, 12))).toBe(true);
    expect(nextOpening(DEFAULT_SCHEDULE, holidays, KARACHI, pk(2026, 12, 24, 18))).toBe(pk(2026, 12, 26, 9));
    // 23:30 UTC on the 24th is already the 25th in Karachi: the holiday applies.
    expect(isOpenAt(DEFAULT_SCHEDULE, holidays, KARACHI, Date.UTC(2026, 11, 24, 23, 30))).toBe(false);
  });

  it("finds the next opening: now when open, later today, tomorrow, or next week", () => {
    const weekdaysOnly: WeeklySchedule = [
      [],
      [{ open: "09:00", close: "17:00" }],
      [{ open: "09:00", close: "17:00" }],
      [{ open: "09:00", close: "17:00" }],
      [{ open: "09:00", close: "17:00" }],
      [
        { open: "09:00", close: "13:00" },
        { open: "14:30", close: "17:00" },
      ],
      [],
    ];
    const friday = (h: number, mi = 0) => pk(2026, 11, 27, h, mi);
    expect(nextOpening(weekdaysOnly, [], KARACHI, friday(10))).toBe(friday(10));
    expect(nextOpening(weekdaysOnly, [], KARACHI, friday(7))).toBe(friday(9));
    expect(nextOpening(weekdaysOnly, [], KARACHI, friday(13, 30))).toBe(friday(14, 30));
    // Friday evening: Saturday and Sunday are closed, so Monday 09:00.
    expect(nextOpening(weekdaysOnly, [], KARACHI, friday(18))).toBe(pk(2026, 11, 30, 9));
    expect(isOpenAt(weekdaysOnly, [], KARACHI, pk(2026, 11, 29, 12))).toBe(false);
  });

  it("returns null when the helpline has no hours at all", () => {
    const never: WeeklySchedule = [[], [], [], [], [], [], []];
    expect(nextOpening(never, [], KARACHI, pk(2026, 11, 28, 10))).toBeNull();
    expect(openingStatus({ schedule: never, holidays: [], timeZone: KARACHI }, pk(2026, 11, 28, 10))).toEqual(
      {
        type: "closed",
        opensAt: null,
      },
    );
  });

  it("treats adjacent ranges and 24:00-00:00 as one opening when finding the closing time", () => {
    const nights: WeeklySchedule = [
      [{ open: "00:00", close: "02:00" }],
      [],
      [],
      [],
      [],
      [],
      [
        { open: "20:00", close: "22:00" },
        { open: "22:00", close: "24:00" },
      ],
    ];
    const saturday21 = pk(2026, 11, 28, 21);
    expect(nextClosing(nights, [], KARACHI, saturday21)).toBe(pk(2026, 11, 29, 2));
    expect(openingStatus({ schedule: nights, holidays: [], timeZone: KARACHI }, saturday21)).toEqual({
      type: "open",
      closesAt: pk(2026, 11, 29, 2),
    });
    expect(nextClosing(nights, [], KARACHI, pk(2026, 11, 29, 3))).toBeNull();
    expect(openingStatus({ schedule: nights, holidays: [], timeZone: KARACHI }, pk(2026, 11, 29, 3))).toEqual(
      {
        type: "closed",
        opensAt: pk(2026, 12, 5, 20),
      },
    );
  });

  it("follows daylight saving time in zones that have it", () => {
    // London: GMT in winter, BST (UTC+1) from 29 March 2026.
    const london = "Europe/London";
    expect(nextOpening(DEFAULT_SCHEDULE, [], london, Date.UTC(2026, 2, 27, 18))).toBe(
      Date.UTC(2026, 2, 28, 9),
    );
    // Clocks go forward at 01:00 UTC on the 29th, so that day's 09:00 is 08:00 UTC.
    expect(nextOpening(DEFAULT_SCHEDULE, [], london, Date.UTC(2026, 2, 28, 18))).toBe(
      Date.UTC(2026, 2, 29, 8),
    );
    expect(nextOpening(DEFAULT_SCHEDULE, [], london, Date.UTC(2026, 2, 29, 18))).toBe(
      Date.UTC(2026, 2, 30, 8),
    );
    expect(isOpenAt(DEFAULT_SCHEDULE, [], london, Date.UTC(2026, 2, 30, 8, 30))).toBe(true);
    expect(isOpenAt(DEFAULT_SCHEDULE, [], london, Date.UTC(2026, 2, 30, 16, 30))).toBe(false);
    // A range opening inside the spring-forward gap (01:00-02:00 does not exist) moves forward
    // by the gap: "01:30" opens at 02:30 BST, 01:30 UTC.
    const gap: WeeklySchedule = [[{ open: "01:30", close: "05:00" }], [], [], [], [], [], []];
    expect(nextOpening(gap, [], london, Date.UTC(2026, 2, 28, 22))).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(isOpenAt(gap, [], london, Date.UTC(2026, 2, 29, 1, 30))).toBe(true);
  });

  it("agrees with itself: nextOpening is now exactly when isOpenAt is true", () => {
    const start = pk(2026, 11, 23, 0);
    for (let t = start; t < start + 7 * DAY; t += 37 * 60_000) {
      const open = isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, t);
      const next = nextOpening(DEFAULT_SCHEDULE, [], KARACHI, t);
      expect(next === t).toBe(open);
      if (next !== null && !open) expect(isOpenAt(DEFAULT_SCHEDULE, [], KARACHI, next)).toBe(true);
    }
  });
});
