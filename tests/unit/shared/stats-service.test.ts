import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  abandonCounts,
  counterOf,
  histogram,
  percentileBucket,
  WAIT_BUCKETS,
  waitBucket,
} from "../../../shared/stats/service-level.ts";
import { suppressService, type ServiceFigures } from "../../../shared/stats/service-suppression.ts";
import { COMPLEMENTARY, SMALL } from "../../../shared/stats/suppression.ts";

const MIN = 60_000;

/** A histogram of the given waits, in minutes. */
const waits = (...minutes: number[]) =>
  histogram(minutes.map((m) => ({ bucket: waitBucket(m * MIN), count: 1 })));

function figures(
  over: Partial<ServiceFigures["counters"]>,
  extra: Partial<ServiceFigures> = {},
): ServiceFigures {
  return {
    counters: {
      offered: 0,
      answered: 0,
      abandoned: 0,
      quick_exit: 0,
      refused_closed: 0,
      refused_full: 0,
      ...over,
    },
    answeredWaits: histogram([]),
    abandonedWaits: histogram([]),
    ...extra,
  };
}

describe("service figures: counting", () => {
  it("puts each wait in one bucket, edges going up", () => {
    expect(waitBucket(0)).toBe("<30s");
    expect(waitBucket(-5_000)).toBe("<30s");
    expect(waitBucket(29_999)).toBe("<30s");
    expect(waitBucket(30_000)).toBe("30s-1m");
    expect(waitBucket(MIN)).toBe("1-2m");
    expect(waitBucket(4.9 * MIN)).toBe("3-5m");
    expect(waitBucket(5 * MIN)).toBe("5-10m");
    expect(waitBucket(15 * MIN)).toBe("15-30m");
    expect(waitBucket(59.9 * MIN)).toBe("30-60m");
    expect(waitBucket(3 * 60 * MIN)).toBe("60m+");
  });

  it("names the counter each event adds to", () => {
    expect(counterOf({ type: "offered" })).toBe("offered");
    expect(counterOf({ type: "answered", waitMs: 1 })).toBe("answered");
    expect(counterOf({ type: "abandoned", waitMs: 1 })).toBe("abandoned");
    expect(counterOf({ type: "quick-exit" })).toBe("quick_exit");
    expect(counterOf({ type: "refused", reason: "closed" })).toBe("refused_closed");
    expect(counterOf({ type: "refused", reason: "full" })).toBe("refused_full");
  });

  it("folds the stored buckets into the four abandonment ranges", () => {
    // <1 min: 10 s, 40 s; 1-5: 1.5, 4; 5-15: 6, 14; 15+: 20, 90.
    expect(abandonCounts(waits(10 / 60, 40 / 60, 1.5, 4, 6, 14, 20, 90))).toEqual([2, 2, 2, 2]);
    expect(abandonCounts(waits(0.9, 0.95, 16))).toEqual([2, 0, 0, 1]);
  });
});

describe("service figures: percentiles from buckets", () => {
  it("returns the bucket holding the nearest-rank percentile", () => {
    // Ten waits: five under 30 s, three of 1-2 min, two of 10-15 min.
    const h = waits(0.1, 0.1, 0.2, 0.2, 0.3, 1.5, 1.5, 1.5, 12, 12);
    expect(percentileBucket(h, 0.5)).toBe("<30s");
    expect(percentileBucket(h, 0.6)).toBe("1-2m");
    expect(percentileBucket(h, 0.8)).toBe("1-2m");
    expect(percentileBucket(h, 0.9)).toBe("10-15m");
    expect(percentileBucket(histogram([]), 0.5)).toBeNull();
  });

  it("matches the bucket of the exact percentile of the waits themselves", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 * MIN }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0.5, 0.9),
        (list, p) => {
          const sorted = [...list].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1] ?? 0;
          const h = histogram(list.map((ms) => ({ bucket: waitBucket(ms), count: 1 })));
          expect(percentileBucket(h, p)).toBe(waitBucket(exact));
        },
      ),
    );
  });

  it("ignores unknown buckets in stored rows", () => {
    expect(
      histogram([
        { bucket: "2-3m", count: 2 },
        { bucket: "nonsense", count: 9 },
      ]),
    ).toEqual(WAIT_BUCKETS.map((b) => (b === "2-3m" ? 2 : 0)));
  });
});

describe("service figures: suppression", () => {
  it("shows large counts and the wait percentiles", () => {
    const shown = suppressService(
      figures(
        { offered: 40, answered: 30, abandoned: 10, quick_exit: 6, refused_closed: 12, refused_full: 0 },
        {
          answeredWaits: waits(...Array.from({ length: 30 }, (_, i) => (i < 20 ? 0.2 : 7))),
          abandonedWaits: waits(0.5, 0.5, 0.5, 0.5, 0.5, 2, 2, 2, 2, 2),
        },
      ),
    );
    expect(shown.counters).toEqual({
      offered: "40",
      answered: "30",
      abandoned: "10",
      quick_exit: "6",
      refused_closed: "12",
      refused_full: SMALL,
    });
    expect(shown.p50).toBe("<30s");
    expect(shown.p90).toBe("5-10m");
    expect(shown.abandoned).toEqual(["5", "5", SMALL, SMALL]);
  });

  it("hides answered beside a small abandoned count, since offered would give it away", () => {
    const shown = suppressService(
      figures({ offered: 20, answered: 17, abandoned: 3 }, { answeredWaits: waits(1, 1, 1, 1, 1) }),
    );
    expect(shown.counters.offered).toBe("20");
    expect(shown.counters.abandoned).toBe(SMALL);
    expect(shown.counters.answered).toBe(COMPLEMENTARY);
    // No percentile beside a hidden answered count.
    expect(shown.p50).toBe(COMPLEMENTARY);
    expect(shown.p90).toBe(COMPLEMENTARY);
  });

  it("never publishes the wait of fewer than five answered chats", () => {
    const shown = suppressService(
      figures({ offered: 4, answered: 4 }, { answeredWaits: waits(30, 30, 30, 30) }),
    );
    expect(shown.counters.answered).toBe(SMALL);
    expect(shown.p50).toBe(COMPLEMENTARY);
  });

  it("hides small closed-hours cells; the hidden rest stays ambiguous over 167 cells", () => {
    const closedByHour = new Array<number>(7 * 24).fill(0);
    closedByHour[22] = 9;
    closedByHour[23] = 2;
    const shown = suppressService(figures({ refused_closed: 11 }, { closedByHour }));
    expect(shown.counters.refused_closed).toBe("11");
    expect(shown.closedByHour[22]).toBe("9");
    expect(shown.closedByHour[23]).toBe(SMALL);
    expect(shown.closedByHour[0]).toBe(SMALL);
  });

  it("withholds the abandonment ranges when even hiding leaves one pinned", () => {
    // Four ranges of 4 each and 16 published: every hidden range could only be 4.
    const four = (m: number) => [m, m, m, m];
    const shown = suppressService(
      figures(
        { offered: 60, answered: 44, abandoned: 16 },
        { abandonedWaits: waits(...four(0.1), ...four(2), ...four(10), ...four(20)) },
      ),
    );
    expect(shown.counters.abandoned).toBe("16");
    expect(shown.abandoned).toEqual([COMPLEMENTARY, COMPLEMENTARY, COMPLEMENTARY, COMPLEMENTARY]);
  });
});
