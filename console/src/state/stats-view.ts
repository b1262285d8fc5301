import type { StatsResponse } from "../../../shared/protocol/http/index.ts";

/**
 * Turns the stats answer into what the dashboard draws. The server sends exact counts (admins
 * plan staffing with them); the CSV export suppresses counts under 5. "Hide small counts" (on by
 * default, because screenshots of dashboards travel) shows the dashboard as the export would:
 * with few contacts, a count of 1 or 2 in a region or category can point to a person.
 */
export const SUPPRESS_BELOW = 5;

export type DisplayCount = Readonly<{ value: number; suppressed: boolean }>;

export function displayCount(count: number, hideSmall: boolean): DisplayCount {
  if (hideSmall && count > 0 && count < SUPPRESS_BELOW) return { value: SUPPRESS_BELOW, suppressed: true };
  return { value: Math.max(0, count), suppressed: false };
}

/** Text for a count: "<5" when suppressed. */
export function countLabel(count: DisplayCount): string {
  return count.suppressed ? `<${SUPPRESS_BELOW}` : String(count.value);
}

export type Bar = Readonly<{ key: string; count: DisplayCount }>;

export function categoryBars(
  counts: readonly Readonly<{ key: string; count: number }>[],
  hideSmall: boolean,
): readonly Bar[] {
  return [...counts]
    .filter((c) => c.count > 0)
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
    .map((c) => ({ key: c.key, count: displayCount(c.count, hideSmall) }));
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Every day of the range, zeros included, so quiet days show as gaps (at most 400 days). */
export function dailyBars(
  stats: Pick<StatsResponse, "from" | "to" | "perDay">,
  hideSmall: boolean,
): readonly Bar[] {
  const counts = new Map(stats.perDay.map((d) => [d.day, d.count]));
  const out: Bar[] = [];
  const last = dayNumber(stats.to);
  for (let day = dayNumber(stats.from); day <= last && out.length < 400; day++) {
    const key = dateOf(day);
    out.push({ key, count: displayCount(counts.get(key) ?? 0, hideSmall) });
  }
  return out;
}

export function weeklyBars(stats: Pick<StatsResponse, "perWeek">, hideSmall: boolean): readonly Bar[] {
  return [...stats.perWeek]
    .sort((a, b) => a.week.localeCompare(b.week))
    .map((w) => ({ key: w.week, count: displayCount(w.count, hideSmall) }));
}

export type HeatCell = Readonly<{ weekday: number; hour: number; count: DisplayCount; level: number }>;

/** 7 × 24 cells (weekday 0 = Sunday), each with a shade 0-4 relative to the busiest hour. */
export function heatmapCells(
  heatmap: StatsResponse["heatmap"],
  hideSmall: boolean,
): readonly (readonly HeatCell[])[] {
  const raw = (weekday: number, hour: number) => Math.max(0, heatmap[weekday]?.[hour] ?? 0);
  let max = 0;
  for (let w = 0; w < 7; w++) for (let h = 0; h < 24; h++) max = Math.max(max, raw(w, h));
  return Array.from({ length: 7 }, (_, weekday) =>
    Array.from({ length: 24 }, (_, hour) => {
      const n = raw(weekday, hour);
      const count = displayCount(n, hideSmall);
      // A suppressed cell is drawn at the lowest shade so its exact size cannot be read off.
      const level = n === 0 ? 0 : count.suppressed ? 1 : Math.min(4, Math.max(1, Math.ceil((n / max) * 4)));
      return { weekday, hour, count, level };
    }),
  );
}

export function percent(part: number, total: number): number {
  return total <= 0 ? 0 : Math.round((part / total) * 100);
}

/** The default range: the 30 days ending `today` (YYYY-MM-DD). */
export function defaultRange(today: string): Readonly<{ from: string; to: string }> {
  return { from: dateOf(dayNumber(today) - 29), to: today };
}

/** Today's date in a time zone, for the date pickers. */
export function todayIn(timeZone: string, now: number): string {
  try {
    return new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    }).format(now);
  } catch {
    return dateOf(Math.floor(now / DAY_MS));
  }
}
