import type { ServiceResponse } from "../../shared/protocol/http/index.ts";
import { ABANDON_BUCKETS, SERVICE_COUNTERS } from "../../shared/stats/service-level.ts";
import { suppressService } from "../../shared/stats/service-suppression.ts";
import { addFigures, emptyFigures, type ServiceDay } from "./service-repo.ts";
import { daysBetween, periodOf } from "./stats-periods.ts";
import type { CsvRow, DayRange, ExportPeriod } from "./stats-types.ts";

const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;

/** CSV value of a closed-hours cell: weekday and local hour, e.g. "sun-09". */
export function closedCellName(index: number): string {
  return `${WEEKDAYS[Math.floor(index / 24)] ?? "sun"}-${String(index % 24).padStart(2, "0")}`;
}

/** The dashboard's exact service figures over a range. */
export function serviceSummary(days: readonly ServiceDay[]): ServiceResponse {
  const all = days.reduce((sum, d) => addFigures(sum, d.figures), emptyFigures());
  return {
    counters: { ...all.counters },
    answeredWaits: [...all.answeredWaits],
    abandonedWaits: [...all.abandonedWaits],
    closedByHour: [...(all.closedByHour ?? [])],
    perDay: days.map((d) => ({
      day: d.day,
      counters: { ...d.figures.counters },
      answeredWaits: [...d.figures.answeredWaits],
      abandonedWaits: [...d.figures.abandonedWaits],
    })),
  };
}

/** The CSV dimensions of the service rows (apart from the contacts' own). */
export const SERVICE_DIMENSIONS = [
  "service",
  "abandoned_wait",
  "answered_wait_p50",
  "answered_wait_p90",
  "closed_attempts",
] as const;

/** A percentile's value column: its wait bucket, "none" without waits, or "suppressed". */
const percentileValue = (shown: string) => (shown === "" ? "none" : shown);

/**
 * Service rows of the CSV, period by period, as suppressService publishes them: every period
 * of the range (empty ones too) lists every row, so a row's presence says nothing. A percentile
 * row names its wait bucket in the value column; its count is the answered count it was read
 * from, as published beside it (so the count column stays a count, "<5" or "suppressed").
 */
export function serviceExportRows(
  days: readonly ServiceDay[],
  range: DayRange,
  period: ExportPeriod,
): readonly CsvRow[] {
  const periods = [...new Set(daysBetween(range.from, range.to).map((d) => periodOf(d, period, range)))];
  const byPeriod = new Map(periods.map((p) => [p, emptyFigures()]));
  for (const d of days) {
    const p = periodOf(d.day, period, range);
    const sum = byPeriod.get(p);
    if (sum !== undefined) byPeriod.set(p, addFigures(sum, d.figures));
  }
  const rows: CsvRow[] = [];
  for (const p of periods) {
    const shown = suppressService(byPeriod.get(p) ?? emptyFigures());
    for (const c of SERVICE_COUNTERS)
      rows.push({ period: p, dimension: "service", value: c, count: shown.counters[c] });
    ABANDON_BUCKETS.forEach((b, i) => {
      rows.push({ period: p, dimension: "abandoned_wait", value: b, count: shown.abandoned[i] ?? "" });
    });
    const answered = shown.counters.answered;
    rows.push({
      period: p,
      dimension: "answered_wait_p50",
      value: percentileValue(shown.p50),
      count: answered,
    });
    rows.push({
      period: p,
      dimension: "answered_wait_p90",
      value: percentileValue(shown.p90),
      count: answered,
    });
    shown.closedByHour.forEach((count, i) => {
      rows.push({ period: p, dimension: "closed_attempts", value: closedCellName(i), count });
    });
  }
  return rows;
}
