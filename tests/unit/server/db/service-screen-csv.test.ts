import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { serviceExportRows, serviceSummary } from "../../../../server/db/service-export.ts";
import type { ServiceDay } from "../../../../server/db/service-repo.ts";
import { dailyWaits, serviceView, type WaitFigure } from "../../../../console/src/state/service-view.ts";
import { countLabel, type DisplayCount } from "../../../../console/src/state/stats-view.ts";
import { ABANDON_BUCKETS, SERVICE_COUNTERS, WAIT_BUCKETS } from "../../../../shared/stats/service-level.ts";
import { COMPLEMENTARY } from "../../../../shared/stats/suppression.ts";

/**
 * The console's "Hide small counts" service figures and the CSV's service rows come from one
 * suppressService: for any figures, the screen shows exactly what the export publishes (the
 * range as `period=all`, each day of "Waits per day" as `period=day`).
 */
const range = { from: "2026-11-27", to: "2026-11-29" };
const small = fc.nat({ max: 12 });
const histogram = fc.array(fc.nat({ max: 4 }), {
  minLength: WAIT_BUCKETS.length,
  maxLength: WAIT_BUCKETS.length,
});

const dayArb = (day: string) =>
  fc
    .record({
      offered: small,
      answered: small,
      abandoned: small,
      quick_exit: small,
      refused_closed: small,
      refused_full: small,
      answeredWaits: histogram,
      abandonedWaits: histogram,
      closed: fc.array(fc.tuple(fc.nat({ max: 23 }), fc.nat({ max: 9 })), { maxLength: 4 }),
    })
    .map(({ answeredWaits, abandonedWaits, closed, ...counters }): ServiceDay => {
      const closedByHour = new Array<number>(7 * 24).fill(0);
      const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
      for (const [hour, n] of closed)
        closedByHour[weekday * 24 + hour] = (closedByHour[weekday * 24 + hour] ?? 0) + n;
      return { day, figures: { counters, answeredWaits, abandonedWaits, closedByHour } };
    });

const text = (c: DisplayCount) => countLabel(c, COMPLEMENTARY);
const wait = (w: WaitFigure) => (w.hidden ? COMPLEMENTARY : (w.bucket ?? "none"));

describe("service figures: screen and CSV publish the same", () => {
  it("for any figures, every service cell on screen equals its CSV row", () => {
    fc.assert(
      fc.property(fc.tuple(dayArb("2026-11-27"), dayArb("2026-11-29")), (days) => {
        const csv = new Map(
          serviceExportRows(days, range, "all").map((r) => [`${r.dimension}/${r.value}`, r.count] as const),
        );
        // Through JSON, as the dashboard receives it.
        const answer = JSON.parse(JSON.stringify(serviceSummary(days)));
        const view = serviceView(answer, true);
        for (const c of SERVICE_COUNTERS) expect(text(view.counters[c]), c).toBe(csv.get(`service/${c}`));
        ABANDON_BUCKETS.forEach((b, i) => {
          expect(text(view.abandoned[i]?.count ?? { value: 0, hidden: null }), b).toBe(
            csv.get(`abandoned_wait/${b}`),
          );
        });
        const p50 = serviceExportRows(days, range, "all").find((r) => r.dimension === "answered_wait_p50");
        expect(wait(view.p50)).toBe(p50?.value);
        view.closed.flat().forEach((cell) => {
          const name = `${["sun", "mon", "tue", "wed", "thu", "fri", "sat"][cell.weekday]}-${String(cell.hour).padStart(2, "0")}`;
          expect(text(cell.count), name).toBe(csv.get(`closed_attempts/${name}`));
        });

        const daily = serviceExportRows(days, range, "day");
        for (const d of dailyWaits(answer, range, true)) {
          const row = (dimension: string, value?: string) =>
            daily.find(
              (r) =>
                r.period === d.day && r.dimension === dimension && (value === undefined || r.value === value),
            );
          expect(text(d.answered), d.day).toBe(row("service", "answered")?.count);
          expect(wait(d.p50)).toBe(row("answered_wait_p50")?.value);
          expect(wait(d.p90)).toBe(row("answered_wait_p90")?.value);
        }
      }),
      { numRuns: 200 },
    );
  });
});
