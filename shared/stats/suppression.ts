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
 *
 * Used by both the CSV export (server/db/stats-export.ts) and the console's "Hide small counts"
 * view (console/src/state/stats-view.ts), through `suppressPeriod` and `STATS_GROUPS`: one rule,
 * one list of partitions. This module imports nothing but shared/protocol lists.
 */
import { CALLER_TYPES, DURATION_BUCKETS, HARASSMENT_TYPES, OUTCOMES } from "../protocol/http/wrapup.ts";
import { REFERRAL_CATEGORIES } from "../protocol/http/directory.ts";
import { LANGUAGES } from "../protocol/limits.ts";

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

/** Values of open dimensions seen fewer than 5 times in the whole range are pooled under this. */
export const RARE = "(rare)";

/**
 * Every published group of counts, by its CSV dimension name, in the CSV's order. `partition`:
 * each contact counts exactly once, so the cells sum to the period's contact total. `fixed`: the
 * full list of values, every one listed in every period (so a row's presence never says "at
 * least one"); open dimensions list values common over the range and pool the rest as RARE.
 */
export const STATS_GROUPS = [
  { dimension: "platform", partition: true },
  { dimension: "caller_type", partition: true, fixed: CALLER_TYPES },
  { dimension: "partner", partition: true },
  { dimension: "language", partition: true, fixed: LANGUAGES },
  { dimension: "region", partition: true },
  { dimension: "gender", partition: true },
  { dimension: "duration", partition: true, fixed: DURATION_BUCKETS },
  { dimension: "difficult", partition: true, fixed: ["no", "yes"] },
  { dimension: "follow_up", partition: true, fixed: ["no", "yes"] },
  // One contact may have several of these: they do not sum to the total (rule 1 only).
  { dimension: "referral", partition: false, fixed: REFERRAL_CATEGORIES },
  { dimension: "harassment_type", partition: false, fixed: HARASSMENT_TYPES },
  { dimension: "outcome", partition: false, fixed: OUTCOMES },
] as const satisfies readonly Readonly<{
  dimension: string;
  partition: boolean;
  fixed?: readonly string[];
}>[];

export type StatsDimension = (typeof STATS_GROUPS)[number]["dimension"];

/**
 * The console also shows the range's contacts per day, per week, per month (the growth chart)
 * and per weekday-hour beside the range's total: each of these partitions that total (the CSV
 * publishes per-period totals with no grand total, so there they get rule 1 only).
 */
export const TIME_GROUPS = ["day", "week", "month", "hour"] as const;
export type TimeGroup = (typeof TIME_GROUPS)[number];

export function isPartition(group: StatsDimension | TimeGroup): boolean {
  if ((TIME_GROUPS as readonly string[]).includes(group)) return true;
  return STATS_GROUPS.some((g) => g.dimension === group && g.partition);
}

/**
 * The values a dimension lists for a range: its fixed list, or the values seen 5 times or more
 * over the range (sorted) followed by RARE when any value was rarer. `rare` holds the pooled ones.
 */
export function rangeDomain(
  dimension: StatsDimension,
  rangeCounts: ReadonlyMap<string, number>,
): Readonly<{ values: readonly string[]; rare: ReadonlySet<string> }> {
  const spec = STATS_GROUPS.find((g) => g.dimension === dimension);
  if (spec !== undefined && "fixed" in spec) return { values: spec.fixed, rare: new Set() };
  const common = [...rangeCounts.entries()]
    .filter(([, n]) => n >= SUPPRESSION_THRESHOLD)
    .map(([k]) => k)
    .sort();
  const rare = new Set([...rangeCounts.keys()].filter((k) => !common.includes(k)));
  return { values: [...common, ...(rare.size > 0 ? [RARE] : [])], rare };
}

export type SuppressedPeriod = Readonly<{
  /** The period's contact total as published. */
  total: string;
  /** Each group's cells as published, in the order given. */
  groups: readonly (readonly string[])[];
  /** Rule 3: the whole period (total and every cell) is withheld as COMPLEMENTARY. */
  withheld: boolean;
}>;

/**
 * One period as published: its total gets rule 1; each group gets rule 1, and rule 2 when it is
 * a partition and the total is published; if any partition stays unsafe, rule 3 withholds all.
 */
export function suppressPeriod(
  total: number,
  groups: readonly Readonly<{ group: StatsDimension | TimeGroup; counts: readonly number[] }>[],
): SuppressedPeriod {
  const totalShown = total >= SUPPRESSION_THRESHOLD;
  let safeAll = true;
  const shown = groups.map(({ group, counts }) => {
    const result = suppressGroup(counts, isPartition(group) && totalShown);
    safeAll &&= result.safe;
    return result.shown;
  });
  if (!safeAll) {
    return { total: COMPLEMENTARY, groups: shown.map((g) => g.map(() => COMPLEMENTARY)), withheld: true };
  }
  return { total: suppressGroup([total], false).shown[0] ?? SMALL, groups: shown, withheld: false };
}
