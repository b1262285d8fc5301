import type { StatsResponse } from "../../../shared/protocol/http/index.ts";
import {
  COMPLEMENTARY,
  RARE,
  rangeDomain,
  SMALL,
  STATS_GROUPS,
  type StatsDimension,
  suppressPeriod,
} from "../../../shared/stats/suppression.ts";

/**
 * Turns the stats answer into what the dashboard draws. The server sends exact counts (admins
 * plan staffing with them). "Hide small counts" (on by default, because screenshots of
 * dashboards travel) hides exactly what the CSV export hides, with the same function
 * (shared/stats/suppression.ts): the range is one period, every group is suppressed as the CSV
 * suppresses it, and a period the CSV would withhold is withheld here too. The per-day, per-week
 * and weekday-hour groups, which the screen shows beside the range's total, are partitions too.
 */
export { RARE };

/** "small": shown as "<5"; "suppressed": shown as the word (complementary cells, rule 3). */
export type Hidden = "small" | "suppressed" | null;
export type DisplayCount = Readonly<{ value: number; hidden: Hidden }>;

function exact(value: number): DisplayCount {
  return { value: Math.max(0, value), hidden: null };
}

/** A count as the suppression published it ("<5", "suppressed" or the number). */
export function published(value: number, shown: string | undefined): DisplayCount {
  if (shown === SMALL) return { value, hidden: "small" };
  if (shown === COMPLEMENTARY || shown === undefined) return { value, hidden: "suppressed" };
  return exact(value);
}

/** Text for a count: "<5", the "suppressed" word, or the number. Never a number for a hidden cell. */
export function countLabel(count: DisplayCount, suppressedWord: string): string {
  if (count.hidden === "small") return SMALL;
  if (count.hidden === "suppressed") return suppressedWord;
  return String(count.value);
}

export type Bar = Readonly<{ key: string; count: DisplayCount }>;

export type HeatCell = Readonly<{ weekday: number; hour: number; count: DisplayCount; level: number }>;

/** A month's contacts and its growth over the month before (percent; null when either is hidden
 * or the month before had none). */
export type MonthBar = Bar & Readonly<{ growth: number | null }>;

/** The dashboard's charts, keyed by the answer's field. */
export const SCREEN_DIMENSIONS = {
  byHarassmentType: "harassment_type",
  byPlatform: "platform",
  byCallerType: "caller_type",
  byPartner: "partner",
  byLanguage: "language",
  byRegion: "region",
  byGender: "gender",
  byReferral: "referral",
  byOutcome: "outcome",
  byDuration: "duration",
} as const satisfies Readonly<Record<string, StatsDimension>>;
export type ScreenDimension = keyof typeof SCREEN_DIMENSIONS;

export type StatsView = Readonly<{
  /** Rule 3: the CSV would withhold this range; every figure is "suppressed". */
  withheld: boolean;
  total: DisplayCount;
  difficult: DisplayCount;
  followUp: DisplayCount;
  perDay: readonly Bar[];
  perWeek: readonly Bar[];
  /** Month over month, the months the range touches (the first and last may be partial). */
  perMonth: readonly MonthBar[];
  dimensions: Readonly<Record<ScreenDimension, readonly Bar[]>>;
  heatmap: readonly (readonly HeatCell[])[];
}>;

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Every day of the range, zeros included, so quiet days show as gaps (at most 400 days). */
/** Every date of the range, oldest first (at most 400). */
export function rangeDates(from: string, to: string): readonly string[] {
  const out: string[] = [];
  const last = dayNumber(to);
  for (let day = dayNumber(from); day <= last && out.length < 400; day++) out.push(dateOf(day));
  return out;
}

function rangeDays(
  stats: Pick<StatsResponse, "from" | "to" | "perDay">,
): readonly (readonly [string, number])[] {
  const counts = new Map(stats.perDay.map((d) => [d.day, d.count]));
  return rangeDates(stats.from, stats.to).map((key) => [key, counts.get(key) ?? 0] as const);
}

function rangeWeeks(stats: Pick<StatsResponse, "perWeek">): readonly (readonly [string, number])[] {
  return [...stats.perWeek]
    .sort((a, b) => a.week.localeCompare(b.week))
    .map((w) => [w.week, w.count] as const);
}

/** Visible bars by count (largest first); hidden ones after, in their fixed order, so their place
 * among the visible ones does not bound them. */
function ordered(bars: readonly Bar[]): readonly Bar[] {
  const visible = bars.filter((b) => b.count.hidden === null);
  const hidden = bars.filter((b) => b.count.hidden !== null);
  return [...visible.sort((a, b) => b.count.value - a.count.value || a.key.localeCompare(b.key)), ...hidden];
}

/** Exact counts, without zero categories (what admins see with "Hide small counts" off). */
export function categoryBars(counts: readonly Readonly<{ key: string; count: number }>[]): readonly Bar[] {
  return ordered(counts.filter((c) => c.count > 0).map((c) => ({ key: c.key, count: exact(c.count) })));
}

function countsOf(stats: StatsResponse, dimension: StatsDimension): ReadonlyMap<string, number> {
  if (dimension === "difficult")
    return new Map([
      ["no", stats.total - stats.difficult],
      ["yes", stats.difficult],
    ]);
  if (dimension === "follow_up")
    return new Map([
      ["no", stats.total - stats.followUp],
      ["yes", stats.followUp],
    ]);
  const field = (Object.keys(SCREEN_DIMENSIONS) as ScreenDimension[]).find(
    (k) => SCREEN_DIMENSIONS[k] === dimension,
  );
  return new Map(field === undefined ? [] : stats[field].map((c) => [c.key, c.count]));
}

/** Weekday x hour cells with shades (used for contacts and for attempts while closed). */
export function heatLevels(
  cell: (weekday: number, hour: number) => DisplayCount,
): readonly (readonly HeatCell[])[] {
  const counts = Array.from({ length: 7 }, (_, w) => Array.from({ length: 24 }, (_, h) => cell(w, h)));
  // Shades are relative to the busiest visible hour; a hidden cell has no shade of its own.
  let max = 0;
  for (const row of counts) for (const c of row) if (c.hidden === null) max = Math.max(max, c.value);
  return counts.map((row, weekday) =>
    row.map((count, hour) => {
      const n = count.value;
      const level = count.hidden !== null || n === 0 ? 0 : Math.min(4, Math.max(1, Math.ceil((n / max) * 4)));
      return { weekday, hour, count, level };
    }),
  );
}

/** The whole dashboard, exact or as the CSV would publish it. */
function rangeMonths(days: readonly (readonly [string, number])[]): readonly (readonly [string, number])[] {
  const months = new Map<string, number>();
  for (const [day, n] of days) months.set(day.slice(0, 7), (months.get(day.slice(0, 7)) ?? 0) + n);
  return [...months.entries()];
}

function withGrowth(bars: readonly Bar[]): readonly MonthBar[] {
  return bars.map((b, i) => {
    const before = bars[i - 1]?.count;
    const shown =
      before !== undefined && before.hidden === null && b.count.hidden === null && before.value > 0;
    return { ...b, growth: shown ? Math.round(((b.count.value - before.value) / before.value) * 100) : null };
  });
}

export function statsView(stats: StatsResponse, hideSmall: boolean): StatsView {
  const days = rangeDays(stats);
  const weeks = rangeWeeks(stats);
  const months = rangeMonths(days);
  const rawHeat = (weekday: number, hour: number) => Math.max(0, stats.heatmap[weekday]?.[hour] ?? 0);
  if (!hideSmall) {
    const dimensions = Object.fromEntries(
      (Object.keys(SCREEN_DIMENSIONS) as ScreenDimension[]).map((k) => [k, categoryBars(stats[k])]),
    ) as Record<ScreenDimension, readonly Bar[]>;
    return {
      withheld: false,
      total: exact(stats.total),
      difficult: exact(stats.difficult),
      followUp: exact(stats.followUp),
      perDay: days.map(([key, n]) => ({ key, count: exact(n) })),
      perWeek: weeks.map(([key, n]) => ({ key, count: exact(n) })),
      perMonth: withGrowth(months.map(([key, n]) => ({ key, count: exact(n) }))),
      dimensions,
      heatmap: heatLevels((w, h) => exact(rawHeat(w, h))),
    };
  }
  // The same groups, values and pooling as the CSV's single period for this range.
  const groups = STATS_GROUPS.map(({ dimension }) => {
    const counts = countsOf(stats, dimension);
    const { values, rare } = rangeDomain(dimension, counts);
    const pooled = new Map<string, number>(values.map((v) => [v, 0]));
    for (const [k, n] of counts) {
      const key = rare.has(k) ? RARE : k;
      pooled.set(key, (pooled.get(key) ?? 0) + n);
    }
    return { dimension, values, counts: values.map((v) => pooled.get(v) ?? 0) };
  });
  const hours = Array.from({ length: 7 * 24 }, (_, i) =>
    Math.max(0, stats.heatmap[Math.floor(i / 24)]?.[i % 24] ?? 0),
  );
  const period = suppressPeriod(stats.total, [
    ...groups.map((g) => ({ group: g.dimension, counts: g.counts })),
    { group: "day", counts: days.map(([, n]) => n) },
    { group: "week", counts: weeks.map(([, n]) => n) },
    { group: "month", counts: months.map(([, n]) => n) },
    { group: "hour", counts: hours },
  ]);
  const shown = (i: number) => period.groups[i] ?? [];
  const barsOf = (i: number): readonly Bar[] => {
    const g = groups[i];
    if (g === undefined) return [];
    return g.values.map((key, j) => ({ key, count: published(g.counts[j] ?? 0, shown(i)[j]) }));
  };
  const at = (dimension: StatsDimension) => groups.findIndex((g) => g.dimension === dimension);
  const yes = (dimension: StatsDimension): DisplayCount => {
    const i = at(dimension);
    const j = groups[i]?.values.indexOf("yes") ?? -1;
    return published(groups[i]?.counts[j] ?? 0, shown(i)[j]);
  };
  const dimensions = Object.fromEntries(
    (Object.keys(SCREEN_DIMENSIONS) as ScreenDimension[]).map((k) => [
      k,
      ordered(barsOf(at(SCREEN_DIMENSIONS[k]))),
    ]),
  ) as Record<ScreenDimension, readonly Bar[]>;
  const dayCells = shown(groups.length);
  const weekCells = shown(groups.length + 1);
  const monthCells = shown(groups.length + 2);
  const hourCells = shown(groups.length + 3);
  return {
    withheld: period.withheld,
    total: published(stats.total, period.total),
    difficult: yes("difficult"),
    followUp: yes("follow_up"),
    perDay: days.map(([key, n], i) => ({ key, count: published(n, dayCells[i]) })),
    perWeek: weeks.map(([key, n], i) => ({ key, count: published(n, weekCells[i]) })),
    perMonth: withGrowth(months.map(([key, n], i) => ({ key, count: published(n, monthCells[i]) }))),
    dimensions,
    heatmap: heatLevels((w, h) => published(rawHeat(w, h), hourCells[w * 24 + h])),
  };
}

/** A share of the total, only when both figures are shown: beside a hidden count it would give
 * the count away ("<5 (4%)" of 100 is 4). */
export function shareOf(part: DisplayCount, total: DisplayCount): number | null {
  return part.hidden === null && total.hidden === null ? percent(part.value, total.value) : null;
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
