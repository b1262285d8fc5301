import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPLEMENTARY, SMALL, suppressGroup } from "../../../shared/stats/suppression.ts";

/**
 * A reader's view of a published partition: which values of the hidden cells are consistent
 * with the labels, the rule, and the known total? Brute force over small tables.
 */
function consistentValues(shown: readonly string[], total: number, index: number): Set<number> {
  const visible = shown.filter((s) => s !== SMALL && s !== COMPLEMENTARY).map(Number);
  const cap = visible.length > 0 ? Math.min(...visible) : total;
  const hidden = shown.map((s, i) => ({ s, i })).filter((x) => x.s === SMALL || x.s === COMPLEMENTARY);
  const remaining = total - visible.reduce((a, b) => a + b, 0);
  const found = new Set<number>();
  const assign = (k: number, left: number, chosen: Map<number, number>) => {
    if (k === hidden.length) {
      if (left === 0) {
        const v = chosen.get(index);
        if (v !== undefined) found.add(v);
      }
      return;
    }
    const cell = hidden[k];
    if (cell === undefined) return;
    const [lo, hi] = cell.s === SMALL ? [0, 4] : [5, Math.max(5, cap)];
    for (let v = lo; v <= Math.min(hi, left); v++) {
      chosen.set(cell.i, v);
      assign(k + 1, left - v, chosen);
    }
    chosen.delete(cell.i);
  };
  assign(0, remaining, new Map());
  return found;
}

describe("small-count suppression", () => {
  it("shows counts of 5 and more, hides 0-4 as <5", () => {
    expect(suppressGroup([12, 5, 4, 0, 1], false).shown).toEqual(["12", "5", SMALL, SMALL, SMALL]);
  });

  it("hides a second cell when a single small cell could be backed out of the total", () => {
    // Total 15 is published elsewhere: 15 - 12 = 3 would reveal the hidden cell.
    expect(suppressGroup([12, 3], true).shown).toEqual([COMPLEMENTARY, SMALL]);
    expect(suppressGroup([20, 9, 2], true).shown).toEqual(["20", COMPLEMENTARY, SMALL]);
  });

  it("hides more when the hidden cells are all at the top of their range", () => {
    // Two hidden cells that sum to 8 can only be 4 and 4.
    const { shown, safe } = suppressGroup([30, 4, 4], true);
    expect(safe).toBe(true);
    expect(shown.filter((s) => s === COMPLEMENTARY).length).toBeGreaterThan(0);
  });

  it("needs nothing more when the hidden cells are ambiguous already", () => {
    expect(suppressGroup([30, 2, 1], true).shown).toEqual(["30", SMALL, SMALL]);
    expect(suppressGroup([30, 10, 0], true).shown).toEqual(["30", "10", SMALL]);
  });

  it("reports a group that no hiding can protect (4 + 4 = 8)", () => {
    expect(suppressGroup([4, 4], true)).toEqual({ shown: [SMALL, SMALL], safe: false });
    expect(suppressGroup([4, 4], false).safe).toBe(true);
  });

  it("leaves non-partitions (referrals) to the primary rule", () => {
    expect(suppressGroup([12, 3], false).shown).toEqual(["12", SMALL]);
  });

  it("never lets a reader pin down a count of 1-4 from the total (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 14 }), { minLength: 1, maxLength: 5 }), (counts) => {
        const { shown, safe } = suppressGroup(counts, true);
        const total = counts.reduce((a, b) => a + b, 0);
        // A total under 5 is itself published as "<5", and an unsafe group withholds its period.
        if (total < 5 || !safe) return;
        shown.forEach((s, i) => {
          if (s !== SMALL) return;
          const possible = consistentValues(shown, total, i);
          expect(possible.has(counts[i] ?? -1)).toBe(true);
          if (possible.size === 1) expect([...possible]).toEqual([0]);
        });
        counts.forEach((c, i) => {
          if (c < 5) expect(shown[i]).toBe(SMALL);
          else if (shown[i] !== COMPLEMENTARY) expect(shown[i]).toBe(String(c));
        });
      }),
      { numRuns: 400 },
    );
  });
});
