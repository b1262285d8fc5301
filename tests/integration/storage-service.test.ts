import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, createRepositories } from "../../server/db/index.ts";
import { databaseKinds, openTestDatabase, type TestDatabase } from "../support/db-fixture.ts";

/** Monday 2026-11-30, 11:20 in Karachi (06:20 UTC). */
const AT = Date.UTC(2026, 10, 30, 6, 20);
const MIN = 60_000;
const TZ = "Asia/Karachi";

for (const { kind, run } of await databaseKinds()) {
  describe.runIf(run)(`service figures storage (${kind})`, () => {
    let t: TestDatabase | undefined;
    afterEach(async () => {
      await t?.cleanup();
      t = undefined;
    });

    it("adds events to their local day and hour, waits to the day's histogram", async () => {
      t = await openTestDatabase(kind, { seed: false });
      const { service } = t.repos;
      await service.count({ type: "offered" }, AT, TZ);
      await service.count({ type: "offered" }, AT + 30 * MIN, TZ);
      await service.count({ type: "answered", waitMs: 90_000 }, AT + 31 * MIN, TZ);
      await service.count({ type: "abandoned", waitMs: 20 * MIN }, AT + 35 * MIN, TZ);
      await service.count({ type: "quick-exit" }, AT + 35 * MIN, TZ);
      // 23:30 in Karachi is 18:30 UTC: still Monday there.
      await service.count({ type: "refused", reason: "closed" }, Date.UTC(2026, 10, 30, 18, 30), TZ);
      // 00:30 Tuesday in Karachi, Monday in UTC: the next local day.
      await service.count({ type: "refused", reason: "full" }, Date.UTC(2026, 10, 30, 19, 30), TZ);
      const days = await service.days({ from: "2026-11-30", to: "2026-12-01" });
      expect(days.map((d) => d.day)).toEqual(["2026-11-30", "2026-12-01"]);
      const [monday, tuesday] = days;
      expect(monday?.figures.counters).toEqual({
        offered: 2,
        answered: 1,
        abandoned: 1,
        quick_exit: 1,
        refused_closed: 1,
        refused_full: 0,
      });
      expect(monday?.figures.answeredWaits).toEqual([0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
      expect(monday?.figures.abandonedWaits).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
      // Monday (weekday 1), 23:00.
      expect(monday?.figures.closedByHour?.[1 * 24 + 23]).toBe(1);
      expect(tuesday?.figures.counters.refused_full).toBe(1);
      // Per hour: 11:00 and 23:00 on Monday, 00:00 on Tuesday; nothing finer is stored.
      const rows = await t.opened.db
        .selectFrom("service_hours")
        .select(["day", "hour"])
        .orderBy("day")
        .orderBy("hour")
        .execute();
      expect(rows).toEqual([
        { day: "2026-11-30", hour: 11 },
        { day: "2026-11-30", hour: 23 },
        { day: "2026-12-01", hour: 0 },
      ]);
    });

    it("counts exactly once per event when two nodes add to the same hour at once", async () => {
      t = await openTestDatabase(kind, { seed: false });
      // A second connection pool on the same database: another relay node.
      const other = await openDatabase(t.url, { seed: false });
      try {
        const nodes = [t.repos.service, createRepositories(other.db).service];
        await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            nodes[i % 2]?.count({ type: "answered", waitMs: (i % 4) * MIN }, AT, TZ),
          ),
        );
        const [day] = await t.repos.service.days({ from: "2026-11-30", to: "2026-11-30" });
        expect(day?.figures.counters.answered).toBe(40);
        expect(day?.figures.answeredWaits.reduce((a, b) => a + b, 0)).toBe(40);
      } finally {
        await other.close();
      }
    });
  });
}
