import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMPLEMENTARY, type CsvRow, SMALL, type WrapupInput } from "../../server/db/index.ts";
import { SERVICE_DIMENSIONS } from "../../server/db/service-export.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";
import { SAT_10_15, wrapupInput } from "../support/wrapup-input.ts";

const MIN = 60_000;

function cell(rows: readonly CsvRow[], period: string, dimension: string, value: string): string | undefined {
  return rows.find((r) => r.period === period && r.dimension === dimension && r.value === value)?.count;
}

for (const { kind, run } of await databaseKinds()) {
  describe.runIf(run)(`statistics storage (${kind})`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(kind, { seed: false });
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it("stores only day, weekday, hour and buckets: no session, counselor or finer time", async () => {
      const columns = (await t.opened.db.introspection.getTables())
        .find((x) => x.name === "wrapups")
        ?.columns.map((c) => c.name)
        .sort();
      expect(columns).toEqual([
        "caller_type",
        "day",
        "difficult",
        "duration_bucket",
        "follow_up",
        "gender",
        "harassment_type",
        "harassment_types",
        "hour",
        "id",
        "language",
        "outcomes",
        "partner",
        "platform",
        "referrals",
        "region",
        "weekday",
      ]);
      // 20:30 UTC on Saturday is 01:30 on Sunday in Karachi.
      await t.repos.stats.record(wrapupInput({ at: Date.UTC(2026, 10, 28, 20, 30), durationMs: 61 * MIN }));
      const row = await t.opened.db.selectFrom("wrapups").selectAll().executeTakeFirstOrThrow();
      expect(row).toMatchObject({ day: "2026-11-29", weekday: 0, hour: 1, duration_bucket: ">60m" });
      expect(row.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    });

    it("aggregates per day, per ISO week, per dimension and as an hour-by-weekday heatmap", async () => {
      const inputs: WrapupInput[] = [
        wrapupInput(),
        wrapupInput({
          harassmentTypes: ["impersonation"],
          outcomes: [],
          followUp: false,
          platform: "facebook",
          callerType: "family",
          gender: "male",
        }),
        wrapupInput({
          at: SAT_10_15 + 2 * 86_400_000,
          language: "en",
          referrals: ["law-enforcement", "legal-aid"],
        }),
        wrapupInput({
          at: SAT_10_15 + 2 * 86_400_000 + 3 * 3_600_000,
          region: "Lahore",
          difficult: true,
          durationMs: 5 * MIN,
        }),
        wrapupInput({ at: SAT_10_15 - 30 * 86_400_000 }), // outside the range
      ];
      for (const input of inputs) await t.repos.stats.record(input);

      const s = await t.repos.stats.summary({ from: "2026-11-28", to: "2026-11-30" });
      expect(s.total).toBe(4);
      expect(s.perDay).toEqual([
        { day: "2026-11-28", count: 2 },
        { day: "2026-11-29", count: 0 },
        { day: "2026-11-30", count: 2 },
      ]);
      expect(s.perWeek).toEqual([
        { week: "2026-W48", count: 2 },
        { week: "2026-W49", count: 2 },
      ]);
      expect(s.byHarassmentType).toEqual([
        { key: "blackmail", count: 3 },
        { key: "impersonation", count: 1 },
      ]);
      expect(s.byPlatform).toEqual([
        { key: "whatsapp", count: 3 },
        { key: "facebook", count: 1 },
      ]);
      expect(s.byCallerType).toEqual([
        { key: "self", count: 3 },
        { key: "family", count: 1 },
      ]);
      expect(s.byLanguage).toEqual([
        { key: "ur", count: 3 },
        { key: "en", count: 1 },
      ]);
      expect(s.byPartner).toEqual([{ key: "demo", count: 4 }]);
      expect(s.byRegion).toEqual([
        { key: "unknown", count: 3 },
        { key: "Lahore", count: 1 },
      ]);
      expect(s.byGender).toEqual([
        { key: "unknown", count: 3 },
        { key: "male", count: 1 },
      ]);
      expect(s.byReferral).toEqual([
        { key: "law-enforcement", count: 1 },
        { key: "legal-aid", count: 1 },
      ]);
      expect(s.byDuration).toEqual([
        { key: "10-30m", count: 3 },
        { key: "<10m", count: 1 },
      ]);
      expect(s.difficult).toBe(1);
      expect(s.heatmap).toHaveLength(7);
      expect(s.heatmap[6]?.[10]).toBe(2); // Saturday 10:00
      expect(s.heatmap[1]?.[10]).toBe(1); // Monday 10:00
      expect(s.heatmap[1]?.[13]).toBe(1); // Monday 13:00
      expect(s.heatmap.flat().reduce((a, b) => a + b, 0)).toBe(4);
    });

    it("suppresses small counts in the CSV export, including ones a total would reveal", async () => {
      // Week 48: 12 contacts; 9 blackmail, 3 impersonation. The contacts total (12) is
      // published, so "impersonation <5" alone would give 12 - 9 = 3.
      for (let i = 0; i < 9; i++) await t.repos.stats.record(wrapupInput({ referrals: ["legal-aid"] }));
      for (let i = 0; i < 3; i++)
        await t.repos.stats.record(wrapupInput({ harassmentTypes: ["impersonation"], region: "Gilgit" }));
      // Week 49: 2 contacts only (impersonation, so that it is common enough over the range to be named).
      for (let i = 0; i < 2; i++) {
        await t.repos.stats.record(
          wrapupInput({ at: SAT_10_15 + 3 * 86_400_000, harassmentTypes: ["impersonation"] }),
        );
      }

      const range = { from: "2026-11-23", to: "2026-12-06" };
      const rows = await t.repos.stats.exportRows(range, "week");
      expect(cell(rows, "2026-W48", "contacts", "all")).toBe("12");
      expect(cell(rows, "2026-W49", "contacts", "all")).toBe(SMALL);
      // A contact may name several types, so types do not partition the total: primary rule only,
      // and the fixed list of types is listed in full.
      expect(cell(rows, "2026-W48", "harassment_type", "impersonation")).toBe(SMALL);
      expect(cell(rows, "2026-W48", "harassment_type", "blackmail")).toBe("9");
      expect(cell(rows, "2026-W48", "harassment_type", "stalking")).toBe(SMALL);
      expect(cell(rows, "2026-W48", "outcome", "advice")).toBe(SMALL);
      expect(cell(rows, "2026-W48", "follow_up", "no")).toBe("12");
      // Fixed domains are listed in full (zeros included, hidden like any small count).
      expect(cell(rows, "2026-W48", "caller_type", "self")).toBe("12");
      expect(cell(rows, "2026-W48", "caller_type", "friend")).toBe(SMALL);
      // A rare region never appears by name.
      expect(rows.some((r) => r.value === "Gilgit")).toBe(false);
      expect(cell(rows, "2026-W48", "region", "(rare)")).toBe(SMALL);
      expect(cell(rows, "2026-W48", "referral", "legal-aid")).toBe("9");
      // Week 49 totals 2: every cell is small.
      expect(rows.filter((r) => r.period === "2026-W49").every((r) => r.count === SMALL)).toBe(true);

      // No number anywhere in the export below 5, and every week has the same rows.
      for (const r of rows) if (/^\d+$/.test(r.count)) expect(Number(r.count)).toBeGreaterThanOrEqual(5);
      const shape = (p: string) => rows.filter((r) => r.period === p).map((r) => `${r.dimension}:${r.value}`);
      expect(shape("2026-W49")).toEqual(shape("2026-W48"));

      // In every partition of a published total, the visible cells leave the hidden ones ambiguous.
      for (const dim of ["platform", "caller_type", "language", "region", "difficult", "follow_up"]) {
        const group = rows.filter((r) => r.period === "2026-W48" && r.dimension === dim);
        const hidden = group.filter((r) => r.count === SMALL || r.count === COMPLEMENTARY);
        const visibleSum = group
          .filter((r) => /^\d+$/.test(r.count))
          .reduce((a, r) => a + Number(r.count), 0);
        if (hidden.length === 1) expect(hidden[0]?.count === SMALL && 12 - visibleSum === 0).toBe(true);
      }
    });

    it("withholds a whole period when no cell hiding can protect it", async () => {
      // 8 contacts, 4 difficult and 4 not: "<5" and "<5" with a total of 8 means 4 and 4.
      for (let i = 0; i < 8; i++) {
        await t.repos.stats.record(
          wrapupInput({ difficult: i < 4, platform: "sms", harassmentTypes: ["threats"] }),
        );
      }
      const all = await t.repos.stats.exportRows({ from: "2026-11-28", to: "2026-11-28" }, "day");
      // The service figures come from the relay's counters, not the wrap-ups: not withheld with them.
      const rows = all.filter((r) => !(SERVICE_DIMENSIONS as readonly string[]).includes(r.dimension));
      expect(rows.length).toBeGreaterThan(10);
      expect(rows.every((r) => r.count === COMPLEMENTARY)).toBe(true);
    });

    it("writes RFC 4180 CSV and neutralises spreadsheet formulas", async () => {
      for (let i = 0; i < 6; i++) await t.repos.stats.record(wrapupInput({ platform: '=HYPERLINK("x")' }));
      const csv = await t.repos.stats.exportCsv({ from: "2026-11-28", to: "2026-11-28" }, "all");
      const lines = csv.split("\r\n");
      expect(lines[0]).toBe('"period","dimension","value","count"');
      expect(lines[1]).toBe('"2026-11-28/2026-11-28","contacts","all","6"');
      expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
      expect(csv.endsWith("\r\n")).toBe(true);
    });

    it("deletes statistics before a day (retention)", async () => {
      await t.repos.stats.record(wrapupInput({ at: SAT_10_15 - 400 * 86_400_000 }));
      await t.repos.stats.record(wrapupInput());
      expect(await t.repos.stats.deleteBefore("2026-01-01")).toBe(1);
      expect((await t.repos.stats.summary({ from: "2020-01-01", to: "2026-12-31" })).total).toBe(1);
    });
  });
}
