import { describe, expect, it } from "vitest";
import {
  categoryBars,
  countLabel,
  defaultRange,
  percent,
  RARE,
  shareOf,
  statsView,
} from "../../../../console/src/state/stats-view.ts";
import type { StatsResponse } from "../../../../shared/protocol/http/index.ts";
import { emptyService } from "../../../../console/src/state/service-view.ts";

const empty = (): number[][] => Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));

function stats(over: Partial<StatsResponse>): StatsResponse {
  return {
    from: "2026-11-27",
    to: "2026-12-01",
    total: 0,
    difficult: 0,
    followUp: 0,
    perDay: [],
    perWeek: [],
    byPlatform: [],
    byHarassmentType: [],
    byOutcome: [],
    byCallerType: [],
    byRegion: [],
    byGender: [],
    byReferral: [],
    byPartner: [],
    byLanguage: [],
    byDuration: [],
    heatmap: empty(),
    timeZone: "UTC",
    service: emptyService(),
    ...over,
  };
}

const text = (c: Parameters<typeof countLabel>[0]) => countLabel(c, "suppressed");

describe("statistics view", () => {
  it("shows exact counts, sorted, without empty categories, when small counts are not hidden", () => {
    const bars = categoryBars([
      { key: "whatsapp", count: 12 },
      { key: "email", count: 0 },
      { key: "tiktok", count: 2 },
      { key: "facebook", count: 30 },
    ]);
    expect(bars.map((b) => [b.key, text(b.count)])).toEqual([
      ["facebook", "30"],
      ["whatsapp", "12"],
      ["tiktok", "2"],
    ]);
  });

  it("hides as the CSV does: <5, the smallest visible cell of a partition, rare values pooled", () => {
    const heat = empty();
    heat[1]![10] = 20;
    heat[1]![11] = 18;
    const view = statsView(
      stats({
        total: 38,
        heatmap: heat,
        difficult: 10,
        followUp: 12,
        perDay: [
          { day: "2026-11-29", count: 20 },
          { day: "2026-11-30", count: 18 },
        ],
        perWeek: [{ week: "2026-W48", count: 38 }],
        // 30 + 6 + 2 = 38: the 2 alone would be 38 - 36, so the 6 is hidden too.
        byPlatform: [
          { key: "whatsapp", count: 30 },
          { key: "facebook", count: 6 },
          { key: "tiktok", count: 2 },
        ],
        byRegion: [
          { key: "unknown", count: 30 },
          { key: "gilgit", count: 1 },
          { key: "skardu", count: 1 },
          { key: "lahore", count: 6 },
        ],
      }),
      true,
    );
    expect(view.withheld).toBe(false);
    expect(view.dimensions.byPlatform.map((b) => [b.key, text(b.count)])).toEqual([
      ["whatsapp", "30"],
      ["facebook", "suppressed"],
      ["(rare)", "<5"],
    ]);
    expect(view.dimensions.byRegion.map((b) => b.key)).toContain(RARE);
    expect(view.dimensions.byRegion.map((b) => b.key)).not.toContain("gilgit");
    // Every language of the fixed list is listed, as in the CSV.
    expect(view.dimensions.byLanguage.map((b) => b.key).sort()).toEqual(["en", "ur"]);
    // Days of the range: zero days are <5, not 0, and no day is 0.
    expect(view.perDay.map((d) => d.key)).toEqual([
      "2026-11-27",
      "2026-11-28",
      "2026-11-29",
      "2026-11-30",
      "2026-12-01",
    ]);
    expect(view.perDay.map((d) => text(d.count))).toEqual(["<5", "<5", "20", "18", "<5"]);
    expect(view.heatmap[1]?.[10]?.level).toBe(4);
    expect(view.heatmap[0]?.[0]).toMatchObject({ level: 0, count: { hidden: "small" } });
  });

  it("gives no share beside a hidden count and withholds a period the CSV withholds", () => {
    const hidden = statsView(stats({ total: 100, difficult: 4, followUp: 50 }), true);
    expect(text(hidden.difficult)).toBe("<5");
    expect(shareOf(hidden.difficult, hidden.total)).toBeNull();
    expect(shareOf(hidden.followUp, hidden.total)).toBe(50);
    const open = statsView(stats({ total: 100, difficult: 4, followUp: 50 }), false);
    expect(shareOf(open.difficult, open.total)).toBe(4);
    // Difficult 4 + not difficult 4 = 8 pins both whatever is hidden: rule 3 withholds everything.
    const view = statsView(stats({ total: 8, difficult: 4, followUp: 0 }), true);
    expect(view.withheld).toBe(true);
    expect(text(view.total)).toBe("suppressed");
    expect(text(view.difficult)).toBe("suppressed");
    expect(view.perDay.every((d) => text(d.count) === "suppressed")).toBe(true);
  });

  it("computes percentages and the default range", () => {
    expect(percent(37, 100)).toBe(37);
    expect(percent(1, 0)).toBe(0);
    expect(defaultRange("2026-11-28")).toEqual({ from: "2026-10-30", to: "2026-11-28" });
  });
});
