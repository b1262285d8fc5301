import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countLabel, SCREEN_DIMENSIONS, statsView } from "../../../../console/src/state/stats-view.ts";
import { toWrapupRow, type WrapupGroup } from "../../../../server/db/stats-aggregate.ts";
import { buildExportRows } from "../../../../server/db/stats-export.ts";
import { summarizeGroups } from "../../../../server/db/stats-repo.ts";
import type { WrapupInput } from "../../../../server/db/stats-types.ts";
import type { StatsResponse } from "../../../../shared/protocol/http/index.ts";
import { emptyService } from "../../../../console/src/state/service-view.ts";
import type { PartnerId } from "../../../../shared/protocol/index.ts";
import { COMPLEMENTARY, SMALL } from "../../../../shared/stats/suppression.ts";

/**
 * The console's "Hide small counts" view and the CSV export (one period for the whole range)
 * fed the same wrap-ups: every cell the CSV hides is hidden on screen with the same text, and
 * while the screen does not withhold the range, every cell reads the same in both.
 */
const range = { from: "2026-11-27", to: "2026-12-01" } as const;
const DAY0 = Date.UTC(2026, 10, 27);

const wrapupArb = fc.record({
  day: fc.integer({ min: 0, max: 4 }),
  hour: fc.integer({ min: 0, max: 23 }),
  platform: fc.constantFrom("whatsapp", "facebook", "tiktok", "email"),
  region: fc.constantFrom(null, "gilgit", "lahore", "karachi"),
  difficult: fc.boolean(),
  followUp: fc.boolean(),
  callerType: fc.constantFrom("self", "family") as fc.Arbitrary<WrapupInput["callerType"]>,
  harassment: fc.constantFrom("blackmail", "threats"),
  repeat: fc.integer({ min: 1, max: 12 }),
});

type Spec = Readonly<{
  day: number;
  hour: number;
  platform: string;
  region: string | null;
  difficult: boolean;
  followUp: boolean;
  callerType: WrapupInput["callerType"];
  harassment: string;
  repeat: number;
}>;

function groupsOf(specs: readonly Spec[]): WrapupGroup[] {
  const out: WrapupGroup[] = [];
  for (const s of specs) {
    const input: WrapupInput = {
      at: DAY0 + s.day * 86_400_000 + s.hour * 3_600_000,
      timeZone: "UTC",
      durationMs: 20 * 60_000,
      partner: "demo" as PartnerId,
      language: "en",
      platform: s.platform,
      harassmentTypes: [s.harassment],
      outcomes: ["advice"],
      followUp: s.followUp,
      callerType: s.callerType,
      region: s.region,
      gender: null,
      referrals: [],
      difficult: s.difficult,
    };
    const { id: _id, ...row } = toWrapupRow(input, "x");
    out.push({ ...row, n: s.repeat });
  }
  return out;
}

type Cells = Map<string, string>;

function csvCells(groups: readonly WrapupGroup[]): Cells {
  const cells: Cells = new Map();
  for (const r of buildExportRows(groups, range, "all")) cells.set(`${r.dimension}/${r.value}`, r.count);
  return cells;
}

function screenCells(groups: readonly WrapupGroup[]): Readonly<{ cells: Cells; withheld: boolean }> {
  // Through JSON, as the dashboard receives it over HTTP.
  const answer = JSON.parse(
    JSON.stringify({ ...summarizeGroups(groups, range), ...range, timeZone: "UTC", service: emptyService() }),
  ) as StatsResponse;
  const view = statsView(answer, true);
  const text = (c: Parameters<typeof countLabel>[0]) => countLabel(c, COMPLEMENTARY);
  const cells: Cells = new Map([
    ["contacts/all", text(view.total)],
    ["difficult/yes", text(view.difficult)],
    ["follow_up/yes", text(view.followUp)],
  ]);
  for (const [field, dimension] of Object.entries(SCREEN_DIMENSIONS)) {
    for (const bar of view.dimensions[field as keyof typeof SCREEN_DIMENSIONS]) {
      cells.set(`${dimension}/${bar.key}`, text(bar.count));
    }
  }
  return { cells, withheld: view.withheld };
}

function compare(groups: readonly WrapupGroup[]): void {
  const csv = csvCells(groups);
  const screen = screenCells(groups);
  for (const [cell, shown] of screen.cells) {
    const published = csv.get(cell);
    expect(published, cell).toBeDefined();
    if (screen.withheld) expect(shown, cell).toBe(COMPLEMENTARY);
    else expect(shown, cell).toBe(published);
  }
  // Every dimension the screen shows lists what the CSV lists (difficult/follow-up: the "yes" cell).
  for (const [cell, published] of csv) {
    const [dimension] = cell.split("/");
    if (dimension === "difficult" || dimension === "follow_up") continue;
    expect(screen.cells.has(cell), cell).toBe(true);
    if (published === SMALL || published === COMPLEMENTARY)
      expect(screen.cells.get(cell), cell).not.toMatch(/^\d/);
  }
}

describe("the screen's hidden view and the CSV", () => {
  it("hide the same cells for the same wrap-ups", () => {
    // 30 + 6 + 2 by platform, a difficult count of 3, a rare region.
    const spec = (platform: string, repeat: number, over: Partial<Spec> = {}): Spec => ({
      day: 2,
      hour: 10,
      platform,
      region: "lahore",
      difficult: false,
      followUp: false,
      callerType: "self",
      harassment: "blackmail",
      repeat,
      ...over,
    });
    const groups = groupsOf([
      spec("whatsapp", 27),
      spec("whatsapp", 3, { difficult: true, region: "gilgit" }),
      spec("facebook", 6, { day: 3 }),
      spec("tiktok", 2, { day: 3, followUp: true }),
    ]);
    const csv = csvCells(groups);
    expect(csv.get("platform/(rare)")).toBe(SMALL);
    expect(csv.get("platform/facebook")).toBe(COMPLEMENTARY);
    expect(csv.get("difficult/yes")).toBe(SMALL);
    compare(groups);
    const screen = screenCells(groups);
    expect(screen.withheld).toBe(false);
    expect(screen.cells.get("platform/facebook")).toBe(COMPLEMENTARY);
    expect(screen.cells.get("region/(rare)")).toBe(SMALL);
  });

  it("withhold the same period (rule 3)", () => {
    const spec = (difficult: boolean): Spec => ({
      day: 1,
      hour: 9,
      platform: "whatsapp",
      region: null,
      difficult,
      followUp: false,
      callerType: "self",
      harassment: "blackmail",
      repeat: 4,
    });
    const groups = groupsOf([spec(true), spec(false)]);
    expect(csvCells(groups).get("contacts/all")).toBe(COMPLEMENTARY);
    expect(screenCells(groups).withheld).toBe(true);
    compare(groups);
  });

  it("agree on random wrap-ups", () => {
    fc.assert(
      fc.property(fc.array(wrapupArb, { maxLength: 25 }), (specs) => {
        compare(groupsOf(specs));
      }),
      { numRuns: 150 },
    );
  });
});
