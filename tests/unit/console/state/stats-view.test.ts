import { describe, expect, it } from "vitest";
import {
  categoryBars,
  countLabel,
  dailyBars,
  defaultRange,
  displayCount,
  heatmapCells,
  percent,
  weeklyBars,
} from "../../../../console/src/state/stats-view.ts";

describe("statistics view", () => {
  it("shows counts under 5 as <5 when small counts are hidden", () => {
    expect(countLabel(displayCount(3, true))).toBe("<5");
    expect(countLabel(displayCount(3, false))).toBe("3");
    expect(countLabel(displayCount(0, true))).toBe("0");
    expect(countLabel(displayCount(5, true))).toBe("5");
  });
  it("sorts categories and drops empty ones", () => {
    const bars = categoryBars(
      [
        { key: "whatsapp", count: 12 },
        { key: "email", count: 0 },
        { key: "tiktok", count: 2 },
        { key: "facebook", count: 30 },
      ],
      true,
    );
    expect(bars.map((b) => [b.key, countLabel(b.count)])).toEqual([
      ["facebook", "30"],
      ["whatsapp", "12"],
      ["tiktok", "<5"],
    ]);
  });
  it("fills every day of the range and orders weeks", () => {
    const days = dailyBars(
      { from: "2026-11-27", to: "2026-12-01", perDay: [{ day: "2026-11-29", count: 7 }] },
      true,
    );
    expect(days.map((d) => [d.key, d.count.value])).toEqual([
      ["2026-11-27", 0],
      ["2026-11-28", 0],
      ["2026-11-29", 7],
      ["2026-11-30", 0],
      ["2026-12-01", 0],
    ]);
    expect(
      weeklyBars(
        {
          perWeek: [
            { week: "2026-W49", count: 1 },
            { week: "2026-W48", count: 9 },
          ],
        },
        false,
      ).map((w) => w.key),
    ).toEqual(["2026-W48", "2026-W49"]);
  });
  it("shades the heatmap relative to the busiest hour, suppressed cells at the lowest shade", () => {
    const heat = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
    heat[1]![10] = 20;
    heat[1]![11] = 10;
    heat[2]![9] = 2;
    const cells = heatmapCells(heat, true);
    expect(cells).toHaveLength(7);
    expect(cells[1]?.[10]?.level).toBe(4);
    expect(cells[1]?.[11]?.level).toBe(2);
    expect(cells[2]?.[9]).toMatchObject({ level: 1, count: { suppressed: true } });
    expect(cells[0]?.[0]?.level).toBe(0);
  });
  it("computes percentages and the default range", () => {
    expect(percent(37, 100)).toBe(37);
    expect(percent(1, 0)).toBe(0);
    expect(defaultRange("2026-11-28")).toEqual({ from: "2026-10-30", to: "2026-11-28" });
  });
});
