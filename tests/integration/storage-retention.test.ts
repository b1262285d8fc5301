import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyRetention } from "../../server/db/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";
import { wrapupInput } from "../support/wrapup-input.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 6, 0);

for (const { kind, run } of await databaseKinds()) {
  describe.runIf(run)(`retention (${kind})`, () => {
    let t: TestDatabase;
    beforeEach(async () => {
      t = await openTestDatabase(kind, { seed: false });
    });
    afterEach(async () => {
      await t.cleanup();
    });

    it("deletes audit lines older than a year and wrap-ups older than three years (service figures too)", async () => {
      for (const age of [10, 364, 366, 900]) {
        await t.repos.audit.record({ at: NOW - age * DAY, actor: null, action: "login", target: null });
      }
      for (const age of [10, 1095, 1097, 2000]) {
        await t.repos.stats.record(wrapupInput({ at: NOW - age * DAY }));
      }
      for (const age of [10, 1097])
        await t.repos.service.count({ type: "offered" }, NOW - age * DAY, "Asia/Karachi");
      expect(await applyRetention(t.repos, NOW)).toEqual({ audit: 2, wrapups: 2, serviceHours: 1 });
      expect((await t.repos.audit.list({ limit: 10 })).length).toBe(2);
      expect((await t.repos.stats.summary({ from: "2020-01-01", to: "2026-12-31" })).total).toBe(2);
      expect((await t.repos.service.days({ from: "2020-01-01", to: "2026-12-31" })).length).toBe(1);
      expect(await applyRetention(t.repos, NOW)).toEqual({ audit: 0, wrapups: 0, serviceHours: 0 });
    });
  });
}
