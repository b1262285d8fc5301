/**
 * Small-count suppression for published statistics.
 *
 * Threat: an advocacy report is public; a cell like "2 callers from Gilgit about blackmail in
 * week 48" can point at a person. Rule (also in ARCHITECTURE.md "Storage"):
 *
 * 1. Primary: every count below 5 (including 0, so that "<5" never tells 0 from 1-4) is shown
 *    as "<5".
 * 2. Complementary: in a group of cells that sums to a published total (a partition), the
 *    reader knows the sum of the hidden cells. While that sum would pin down a hidden count of
 *    1-4 exactly, the smallest visible cell is hidden too (shown as "suppressed"). A reader
 *    knows a "<5" cell lies in 0..4 and a "suppressed" cell lies between 5 and the smallest
 *    cell still shown; the check uses exactly those bounds.
 *
 * 3. If even hiding every cell of a group leaves a count pinned (e.g. 4 + 4 = 8 published), the
 *    whole period is withheld: its total and every cell become "suppressed" (the caller does
 *    this when `safe` is false).
 *
 * Groups that are not partitions (e.g. referral categories, where one contact may count in
 * several) get only the primary rule. The caller must not publish any other sum across groups
 * (the export has no grand total and no cross-period totals), otherwise this guarantee breaks.
 */

export const SUPPRESSION_THRESHOLD = 5;
export const SMALL = "<5";
export const COMPLEMENTARY = "suppressed";

type Hidden = "primary" | "complementary";

/** Whether the hidden cells, given their known sum, leave every small count ambiguous. */
function safe(counts: readonly number[], hidden: ReadonlyMap<number, Hidden>): boolean {
  if (hidden.size === 0) return true;
  const visible = counts.filter((_, i) => !hidden.has(i));
  const hiddenSum = [...hidden.keys()].reduce((sum, i) => sum + (counts[i] ?? 0), 0);
  const cap = visible.length > 0 ? Math.min(...visible) : hiddenSum;
  const bounds = [...hidden.entries()].map(([i, kind]) => ({
    i,
    kind,
    lo: kind === "primary" ? 0 : SUPPRESSION_THRESHOLD,
    hi: kind === "primary" ? SUPPRESSION_THRESHOLD - 1 : Math.max(SUPPRESSION_THRESHOLD, cap),
  }));
  const sumLo = bounds.reduce((s, b) => s + b.lo, 0);
  const sumHi = bounds.reduce((s, b) => s + b.hi, 0);
  return bounds.every((b) => {
    if (b.kind !== "primary") return true;
    const lo = Math.max(b.lo, hiddenSum - (sumHi - b.hi));
    const hi = Math.min(b.hi, hiddenSum - (sumLo - b.lo));
    // Pinned to one value: harmless only when that value is 0 (nobody to identify).
    return lo < hi || hi === 0;
  });
}

export type SuppressedGroup = Readonly<{
  /** The published form of each count, in the same order. */
  shown: readonly string[];
  /** False when no amount of hiding within the group protects it (rule 3). */
  safe: boolean;
}>;

/**
 * `partition` says the group's total is known to the reader (published directly or as another
 * cell); only then can hidden cells be backed out and need complementary suppression.
 */
export function suppressGroup(counts: readonly number[], partition: boolean): SuppressedGroup {
  const hidden = new Map<number, Hidden>();
  counts.forEach((c, i) => {
    if (c < SUPPRESSION_THRESHOLD) hidden.set(i, "primary");
  });
  if (partition) {
    while (!safe(counts, hidden)) {
      let next = -1;
      counts.forEach((c, i) => {
        if (!hidden.has(i) && (next === -1 || c < (counts[next] ?? Number.POSITIVE_INFINITY))) next = i;
      });
      if (next === -1) break;
      hidden.set(next, "complementary");
    }
  }
  const shown = counts.map((c, i) => {
    const kind = hidden.get(i);
    if (kind === "primary") return SMALL;
    if (kind === "complementary") return COMPLEMENTARY;
    return String(c);
  });
  return { shown, safe: !partition || safe(counts, hidden) };
}
