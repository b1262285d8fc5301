import { HARASSMENT_TYPES, OUTCOMES } from "../../shared/protocol/http/wrapup.ts";
import { LANGUAGES } from "../../shared/protocol/index.ts";
import { REFERRAL_CATEGORIES } from "./records.ts";
import {
  bump,
  harassmentTypesOf,
  outcomesOf,
  PARTITION_DIMENSIONS,
  type PartitionDimension,
  referralsOf,
  UNKNOWN,
  type WrapupGroup,
} from "./stats-aggregate.ts";
import { daysBetween, periodOf } from "./stats-periods.ts";
import { COMPLEMENTARY, SUPPRESSION_THRESHOLD, suppressGroup } from "./stats-suppression.ts";
import {
  CALLER_TYPES,
  type CsvRow,
  DURATION_BUCKETS,
  type DayRange,
  type ExportPeriod,
} from "./stats-types.ts";

/** Values of open dimensions seen fewer than 5 times in the whole range are pooled under this. */
export const RARE = "(rare)";

/** Fixed domains are listed in full, so a row's presence never says "at least one". */
const FIXED: Partial<Record<PartitionDimension, readonly string[]>> = {
  caller_type: CALLER_TYPES,
  language: LANGUAGES,
  duration: DURATION_BUCKETS,
  difficult: ["no", "yes"],
  follow_up: ["no", "yes"],
};

/**
 * Dimensions where one contact may count under several values (so the cells do not sum to the
 * period's total): only the primary rule applies, and every value of the fixed list is listed.
 */
const MULTI: readonly Readonly<{
  dimension: string;
  values: readonly string[];
  of: (g: WrapupGroup) => readonly string[];
}>[] = [
  { dimension: "referral", values: REFERRAL_CATEGORIES, of: referralsOf },
  { dimension: "harassment_type", values: HARASSMENT_TYPES, of: harassmentTypesOf },
  { dimension: "outcome", values: OUTCOMES, of: outcomesOf },
];

/**
 * Builds the suppressed export. Every period in the range appears (empty ones too), every
 * dimension lists the same values in every period, and the only published totals are the
 * per-period contact counts: that is what makes the per-group suppression in
 * stats-suppression.ts sufficient (ARCHITECTURE.md "Storage").
 */
export function buildExportRows(
  groups: readonly WrapupGroup[],
  range: DayRange,
  period: ExportPeriod,
): readonly CsvRow[] {
  const periods = [...new Set(daysBetween(range.from, range.to).map((d) => periodOf(d, period, range)))];
  const byPeriod = new Map<string, WrapupGroup[]>(periods.map((p) => [p, []]));
  for (const g of groups) byPeriod.get(periodOf(g.day, period, range))?.push(g);

  // Domain of each open dimension: values common enough over the whole range keep their name.
  const domains = new Map<PartitionDimension, readonly string[]>();
  const pooled = new Map<PartitionDimension, ReadonlySet<string>>();
  for (const dim of Object.keys(PARTITION_DIMENSIONS) as PartitionDimension[]) {
    const fixed = FIXED[dim];
    if (fixed !== undefined) {
      domains.set(dim, fixed);
      continue;
    }
    const totals = new Map<string, number>();
    for (const g of groups) bump(totals, PARTITION_DIMENSIONS[dim](g), g.n);
    const common = [...totals.entries()].filter(([, n]) => n >= SUPPRESSION_THRESHOLD).map(([k]) => k);
    const rare = new Set([...totals.keys()].filter((k) => !common.includes(k)));
    pooled.set(dim, rare);
    domains.set(dim, [...common.sort(), ...(rare.size > 0 ? [RARE] : [])]);
  }

  const rows: CsvRow[] = [];
  const totals = periods.map((p) => (byPeriod.get(p) ?? []).reduce((s, g) => s + g.n, 0));
  // Per-period totals have no published sum (no grand total), so only the primary rule applies.
  const shownTotals = suppressGroup(totals, false).shown;
  periods.forEach((p, i) => {
    rows.push({ period: p, dimension: "contacts", value: "all", count: shownTotals[i] ?? "" });
  });

  periods.forEach((p, i) => {
    const inPeriod = byPeriod.get(p) ?? [];
    const periodRows: CsvRow[] = [];
    const totalShown = (totals[i] ?? 0) >= SUPPRESSION_THRESHOLD;
    let periodSafe = true;
    for (const [dim, domain] of domains) {
      const counts = new Map<string, number>(domain.map((v) => [v, 0]));
      const rare = pooled.get(dim);
      for (const g of inPeriod) {
        const raw = PARTITION_DIMENSIONS[dim](g);
        bump(counts, rare?.has(raw) ? RARE : raw, g.n);
      }
      // The group sums to the period's total, which the reader knows only when it is published.
      const group = suppressGroup(
        domain.map((v) => counts.get(v) ?? 0),
        totalShown,
      );
      periodSafe &&= group.safe;
      domain.forEach((v, j) => {
        periodRows.push({ period: p, dimension: dim, value: v, count: group.shown[j] ?? "" });
      });
    }
    for (const multi of MULTI) {
      const counts = new Map<string, number>(multi.values.map((c) => [c, 0]));
      for (const g of inPeriod) for (const value of multi.of(g)) bump(counts, value, g.n);
      const group = suppressGroup(
        multi.values.map((c) => counts.get(c) ?? 0),
        false,
      );
      multi.values.forEach((c, j) => {
        periodRows.push({ period: p, dimension: multi.dimension, value: c, count: group.shown[j] ?? "" });
      });
    }
    if (periodSafe) {
      rows.push(...periodRows);
    } else {
      // Rule 3: withhold the whole period, its total included.
      rows[i] = { period: p, dimension: "contacts", value: "all", count: COMPLEMENTARY };
      rows.push(...periodRows.map((r) => ({ ...r, count: COMPLEMENTARY })));
    }
  });
  return rows;
}

/** RFC 4180: quote every field, double inner quotes; a leading =+-@ is prefixed with ' so a
 * spreadsheet does not run an admin-entered value (partner name, region) as a formula. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replaceAll('"', '""')}"`;
}

export function toCsv(rows: readonly CsvRow[]): string {
  const lines = [["period", "dimension", "value", "count"].map(csvField).join(",")];
  for (const r of rows) lines.push([r.period, r.dimension, r.value, r.count].map(csvField).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export { UNKNOWN };
