import {
  COMPLEMENTARY,
  RARE,
  rangeDomain,
  STATS_GROUPS,
  type StatsDimension,
  suppressGroup,
  suppressPeriod,
} from "../../shared/stats/suppression.ts";
import {
  bump,
  harassmentTypesOf,
  outcomesOf,
  PARTITION_DIMENSIONS,
  referralsOf,
  UNKNOWN,
  type WrapupGroup,
} from "./stats-aggregate.ts";
import { daysBetween, periodOf } from "./stats-periods.ts";
import type { CsvRow, DayRange, ExportPeriod } from "./stats-types.ts";

export { RARE };

/** The value(s) each published group takes for a wrap-up (partitions: exactly one). */
const VALUES_OF: Readonly<Record<StatsDimension, (g: WrapupGroup) => readonly string[]>> = {
  platform: (g) => [PARTITION_DIMENSIONS.platform(g)],
  caller_type: (g) => [PARTITION_DIMENSIONS.caller_type(g)],
  partner: (g) => [PARTITION_DIMENSIONS.partner(g)],
  language: (g) => [PARTITION_DIMENSIONS.language(g)],
  region: (g) => [PARTITION_DIMENSIONS.region(g)],
  gender: (g) => [PARTITION_DIMENSIONS.gender(g)],
  duration: (g) => [PARTITION_DIMENSIONS.duration(g)],
  difficult: (g) => [PARTITION_DIMENSIONS.difficult(g)],
  follow_up: (g) => [PARTITION_DIMENSIONS.follow_up(g)],
  referral: referralsOf,
  harassment_type: harassmentTypesOf,
  outcome: outcomesOf,
};

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

  // Values of each group over the whole range: open dimensions pool values rarer than 5.
  const domains = STATS_GROUPS.map((spec) => {
    const totals = new Map<string, number>();
    for (const g of groups) for (const v of VALUES_OF[spec.dimension](g)) bump(totals, v, g.n);
    return { dimension: spec.dimension, ...rangeDomain(spec.dimension, totals) };
  });

  const rows: CsvRow[] = [];
  const totals = periods.map((p) => (byPeriod.get(p) ?? []).reduce((s, g) => s + g.n, 0));
  // Per-period totals have no published sum (no grand total), so only the primary rule applies.
  const shownTotals = suppressGroup(totals, false).shown;
  periods.forEach((p, i) => {
    rows.push({ period: p, dimension: "contacts", value: "all", count: shownTotals[i] ?? "" });
  });

  periods.forEach((p, i) => {
    const inPeriod = byPeriod.get(p) ?? [];
    const counted = domains.map(({ dimension, values, rare }) => {
      const counts = new Map<string, number>(values.map((v) => [v, 0]));
      for (const g of inPeriod) {
        for (const raw of VALUES_OF[dimension](g)) bump(counts, rare.has(raw) ? RARE : raw, g.n);
      }
      return { group: dimension, counts: values.map((v) => counts.get(v) ?? 0) };
    });
    // The same per-period rule the console's "Hide small counts" view applies.
    const period = suppressPeriod(totals[i] ?? 0, counted);
    if (period.withheld) rows[i] = { period: p, dimension: "contacts", value: "all", count: COMPLEMENTARY };
    domains.forEach(({ dimension, values }, g) => {
      values.forEach((v, j) => {
        rows.push({ period: p, dimension, value: v, count: period.groups[g]?.[j] ?? COMPLEMENTARY });
      });
    });
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
