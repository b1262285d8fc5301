import { describe, expect, it } from "vitest";
import { daysBetween, isoWeek, periodOf } from "../../../../server/db/stats-periods.ts";

describe("statistics periods", () => {
  it("numbers ISO weeks across year boundaries", () => {
    expect(isoWeek("2026-11-28")).toBe("2026-W48");
    expect(isoWeek("2026-11-30")).toBe("2026-W49"); // Monday
    expect(isoWeek("2021-01-03")).toBe("2020-W53"); // Sunday before week 1
    expect(isoWeek("2024-12-30")).toBe("2025-W01"); // Monday in ISO year 2025
    expect(isoWeek("2026-01-01")).toBe("2026-W01");
  });

  it("lists days inclusively across months", () => {
    expect(daysBetween("2026-02-27", "2026-03-02")).toEqual([
      "2026-02-27",
      "2026-02-28",
      "2026-03-01",
      "2026-03-02",
    ]);
    expect(daysBetween("2026-03-02", "2026-03-01")).toEqual([]);
  });

  it("maps a day to its export period", () => {
    const range = { from: "2026-11-01", to: "2026-11-30" };
    expect(periodOf("2026-11-28", "day", range)).toBe("2026-11-28");
    expect(periodOf("2026-11-28", "week", range)).toBe("2026-W48");
    expect(periodOf("2026-11-28", "month", range)).toBe("2026-11");
    expect(periodOf("2026-11-28", "all", range)).toBe("2026-11-01/2026-11-30");
  });
});
